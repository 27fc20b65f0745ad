// `@` autocompletion in the composer: typing `@` and the start of a name lists the room's
// members (listbox under the box; arrows move, Enter or Tab inserts `@username `, Escape closes).
import type { User } from "../api/types";
import { t } from "../i18n/i18n";
import { h, uniqueId } from "./dom";

/// The `@word` being typed just before the caret, if any.
export function mentionQuery(text: string, caret: number): { start: number; query: string } | null {
  const match = /(^|\s)@(\w{0,20})$/.exec(text.slice(0, caret));
  return match ? { start: caret - match[2].length - 1, query: match[2].toLowerCase() } : null;
}

/// Members whose username or display name starts with the query (a word of the name too), best first.
export function matchMembers(users: User[], query: string, limit = 8): User[] {
  const score = (user: User) => {
    const username = user.username.toLowerCase();
    const name = user.display_name.toLowerCase();
    if (username.startsWith(query)) return 0;
    if (name.startsWith(query)) return 1;
    if (name.split(/\s+/).some((word) => word.startsWith(query))) return 2;
    return -1;
  };
  return users
    .map((user) => ({ user, rank: score(user) }))
    .filter((entry) => entry.rank >= 0)
    .sort((a, b) => a.rank - b.rank || a.user.username.localeCompare(b.user.username))
    .slice(0, limit)
    .map((entry) => entry.user);
}

export class MentionPicker {
  readonly element: HTMLElement;
  private options: User[] = [];
  private active = 0;
  private range: { start: number; end: number } | null = null;

  constructor(
    private readonly textbox: HTMLTextAreaElement,
    private readonly members: () => User[],
  ) {
    this.element = h("ul", { role: "listbox", id: uniqueId("mentions"), className: "mentions", "aria-label": t("mentions.label"), hidden: true });
    textbox.setAttribute("aria-autocomplete", "list");
    textbox.setAttribute("aria-controls", this.element.id);
    textbox.addEventListener("input", () => this.update());
    textbox.addEventListener("blur", () => window.setTimeout(() => this.close(), 150));
  }

  get isOpen(): boolean {
    return !this.element.hidden;
  }

  /// Handles the keys the list uses while it is open; true when the key was taken.
  handleKey(event: KeyboardEvent): boolean {
    if (!this.isOpen) return false;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      this.active = (this.active + (event.key === "ArrowDown" ? 1 : this.options.length - 1)) % this.options.length;
      this.render();
    } else if (event.key === "Enter" || event.key === "Tab") {
      this.choose(this.options[this.active]);
    } else if (event.key === "Escape") {
      this.close();
    } else {
      return false;
    }
    event.preventDefault();
    return true;
  }

  private update(): void {
    const caret = this.textbox.selectionStart ?? this.textbox.value.length;
    const found = mentionQuery(this.textbox.value, caret);
    this.options = found ? matchMembers(this.members(), found.query) : [];
    if (!found || this.options.length === 0) {
      this.close();
      return;
    }
    this.range = { start: found.start, end: caret };
    this.active = 0;
    this.render();
  }

  private render(): void {
    this.element.replaceChildren(
      ...this.options.map((user, index) => {
        const option = h("li", { role: "option", id: `${this.element.id}-${index}`, "aria-selected": String(index === this.active), className: "mention-option" }, user.display_name, " ", h("span", { className: "hint" }, `@${user.username}`));
        option.addEventListener("mousedown", (event) => {
          event.preventDefault();
          this.choose(user);
        });
        return option;
      }),
    );
    this.element.hidden = false;
    this.textbox.setAttribute("aria-expanded", "true");
    this.textbox.setAttribute("aria-activedescendant", `${this.element.id}-${this.active}`);
  }

  private choose(user: User): void {
    if (!this.range) return;
    const value = this.textbox.value;
    const inserted = `@${user.username} `;
    this.textbox.value = value.slice(0, this.range.start) + inserted + value.slice(this.range.end);
    const caret = this.range.start + inserted.length;
    this.textbox.setSelectionRange(caret, caret);
    this.close();
    this.textbox.focus();
  }

  close(): void {
    this.element.hidden = true;
    this.range = null;
    this.textbox.setAttribute("aria-expanded", "false");
    this.textbox.removeAttribute("aria-activedescendant");
  }
}
