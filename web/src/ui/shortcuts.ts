// Keyboard shortcuts (UI.md "Global"): Ctrl/Cmd+K opens the quick switcher over rooms and people,
// Alt+Up/Down moves between rooms, Alt+Shift+Up/Down between unread rooms, Escape closes the open
// panel and marks the room read, and `?` opens the dialog "Keyboard shortcuts" listing them all.
import type { Room, User } from "../api/types";
import { t } from "../i18n/i18n";
import type { MessageKey } from "../i18n/en";
import { adjacentRoom, matchNames } from "../state/navigation";
import { openDialog } from "./dialog";
import { h, isTyping, replaceChildren, uniqueId } from "./dom";

export interface ShortcutActions {
  /// The rooms in the sidebar's order.
  rooms(): Room[];
  roomTitle(room: Room): string;
  currentRoomId(): string | null;
  openRoom(room: Room): void;
  searchPeople(query: string): Promise<User[]>;
  openPerson(user: User): void;
  /// Escape outside a dialog: closes the open panel, or marks the room read.
  escape(): void;
}

const shortcuts: [string, MessageKey][] = [
  ["Ctrl+K / ⌘K", "shortcuts.quickSwitcher"],
  ["Alt+↑ / Alt+↓", "shortcuts.previousNextRoom"],
  ["Alt+Shift+↑ / Alt+Shift+↓", "shortcuts.previousNextUnread"],
  ["Esc", "shortcuts.escape"],
  ["Enter", "shortcuts.send"],
  ["Shift+Enter", "shortcuts.newLine"],
  ["↑", "shortcuts.editLast"],
  ["?", "shortcuts.help"],
];

/// Listens for the shortcuts on the whole page; returns the function that stops listening.
export function installShortcuts(actions: ShortcutActions): () => void {
  const onKey = (event: KeyboardEvent) => {
    if (event.defaultPrevented || document.querySelector("[role=dialog]")) return;
    if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "k") {
      event.preventDefault();
      openQuickSwitcher(actions);
    } else if (event.altKey && (event.key === "ArrowUp" || event.key === "ArrowDown")) {
      const room = adjacentRoom(actions.rooms(), actions.currentRoomId(), event.key === "ArrowUp" ? -1 : 1, event.shiftKey);
      event.preventDefault();
      if (room) actions.openRoom(room);
    } else if (event.key === "Escape") {
      actions.escape();
    } else if (event.key === "?" && !isTyping(event.target)) {
      event.preventDefault();
      openShortcutHelp();
    }
  };
  document.addEventListener("keydown", onKey);
  return () => document.removeEventListener("keydown", onKey);
}

export function openShortcutHelp(): void {
  const dialog = openDialog(t("shortcuts.title"));
  dialog.body.append(
    h(
      "dl",
      { className: "shortcut-list" },
      shortcuts.flatMap(([keys, key]) => [h("dt", {}, h("kbd", {}, keys)), h("dd", {}, t(key))]),
    ),
  );
}

interface Choice {
  label: string;
  detail: string;
  open(): void;
}

/// The dialog "Quick switcher": a combobox whose listbox holds the matching rooms, then people;
/// arrows move, Enter opens.
export function openQuickSwitcher(actions: ShortcutActions): void {
  const dialog = openDialog(t("shortcuts.switcherTitle"));
  const listId = uniqueId("switcher-list");
  const input = h("input", {
    type: "text",
    role: "combobox",
    "aria-label": t("shortcuts.switcherInput"),
    "aria-controls": listId,
    "aria-expanded": "true",
    "aria-autocomplete": "list",
    autocomplete: "off",
  });
  const list = h("ul", { role: "listbox", id: listId, "aria-label": t("shortcuts.switcherResults"), className: "switcher-list" });
  dialog.body.append(input, list);
  let choices: Choice[] = [];
  let active = 0;
  let asked = 0;

  const render = () => {
    replaceChildren(
      list,
      choices.map((choice, index) => {
        const option = h("li", { role: "option", id: `${listId}-${index}`, "aria-selected": String(index === active), className: "switcher-option" }, choice.label, h("span", { className: "hint" }, ` ${choice.detail}`));
        option.addEventListener("mousedown", (event) => event.preventDefault());
        option.addEventListener("click", () => choose(index));
        return option;
      }),
    );
    if (choices.length === 0) list.append(h("li", { className: "hint", role: "presentation" }, t("shortcuts.noMatch")));
    input.setAttribute("aria-activedescendant", choices.length ? `${listId}-${active}` : "");
  };
  const choose = (index: number) => {
    const choice = choices[index];
    if (!choice) return;
    dialog.close();
    choice.open();
  };
  const update = async () => {
    const query = input.value;
    const rooms = matchNames(actions.rooms(), (room) => actions.roomTitle(room), query).map((room) => ({
      label: actions.roomTitle(room),
      detail: t(room.type === "direct" ? "shortcuts.kindDirect" : "shortcuts.kindRoom"),
      open: () => actions.openRoom(room),
    }));
    choices = rooms;
    active = 0;
    render();
    if (!query.trim()) return;
    const ask = ++asked;
    const people = await actions.searchPeople(query.trim()).catch(() => [] as User[]);
    if (ask !== asked) return;
    const named = new Set(rooms.map((room) => room.label));
    choices = [
      ...rooms,
      ...people.filter((person) => !named.has(person.display_name)).map((person) => ({ label: person.display_name, detail: `@${person.username}`, open: () => actions.openPerson(person) })),
    ];
    render();
  };
  input.addEventListener("input", () => void update());
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (choices.length) active = (active + (event.key === "ArrowDown" ? 1 : -1) + choices.length) % choices.length;
      render();
    } else if (event.key === "Enter") {
      event.preventDefault();
      choose(active);
    }
  });
  void update();
}
