// Dialog "Emoji picker": every emoji of Unicode's data (loaded on first use), searchable by its
// CLDR short name and keywords, the viewer's recent choices first. Each emoji is a button named
// by its short name, its text the emoji.
import { openDialog } from "./dialog";
import { h, replaceChildren } from "./dom";

type EmojiRow = [emoji: string, name: string, keywords: string, group: string];

let table: Promise<EmojiRow[]> | null = null;
const recentKey = "parley.recent-emoji";
const recentCount = 16;

function loadTable(): Promise<EmojiRow[]> {
  const url = document.querySelector<HTMLMetaElement>("meta[name=parley-emoji]")?.content ?? "/assets/emoji.json";
  table ??= fetch(url).then((reply) => {
    if (!reply.ok) throw new Error(`emoji table: ${reply.status}`);
    return reply.json() as Promise<EmojiRow[]>;
  });
  return table;
}

export function recentEmoji(): string[] {
  try {
    return JSON.parse(localStorage.getItem(recentKey) ?? "[]") as string[];
  } catch {
    return [];
  }
}

function remember(emoji: string): void {
  localStorage.setItem(recentKey, JSON.stringify([emoji, ...recentEmoji().filter((e) => e !== emoji)].slice(0, recentCount)));
}

/// Matches by every word of the query against the name and keywords.
export function searchEmoji(rows: EmojiRow[], query: string): EmojiRow[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return rows;
  return rows.filter(([, name, keywords]) => words.every((word) => name.includes(word) || keywords.includes(word)));
}

export function openEmojiPicker(_opener: HTMLElement, onPick: (emoji: string) => void): void {
  const dialog = openDialog("Emoji picker");
  const search = h("input", { type: "search", "aria-label": "Search emoji", placeholder: "Search emoji" });
  const grid = h("div", { className: "emoji-grid" });
  const status = h("p", { role: "status", className: "hint" }, "Loading…");
  dialog.body.append(search, status, grid);
  const button = ([emoji, name]: EmojiRow) =>
    h("button", {
      type: "button",
      className: "emoji",
      "aria-label": name,
      title: name,
      onclick: () => {
        remember(emoji);
        dialog.close();
        onPick(emoji);
      },
    }, emoji);
  loadTable().then(
    (rows) => {
      const byEmoji = new Map(rows.map((row) => [row[0], row]));
      const render = () => {
        const query = search.value.trim();
        const found = searchEmoji(rows, query);
        const recent = query ? [] : recentEmoji().map((emoji) => byEmoji.get(emoji)).filter((row): row is EmojiRow => !!row);
        status.textContent = found.length === 0 ? "No emoji match." : "";
        // The first 400 matches: enough to browse, few enough to lay out at once.
        replaceChildren(
          grid,
          recent.length ? h("h3", {}, "Recent") : null,
          recent.length ? h("div", { className: "emoji-row" }, recent.map(button)) : null,
          h("div", { className: "emoji-row" }, found.slice(0, 400).map(button)),
        );
      };
      search.addEventListener("input", render);
      render();
    },
    () => (status.textContent = "The emoji cannot be loaded. Try again."),
  );
}
