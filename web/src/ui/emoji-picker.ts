// Dialog "Emoji picker": every emoji of Unicode's data (loaded on first use), searchable by its
// CLDR short name and keywords, the viewer's recent choices first. Each emoji is a button named
// by its short name in the UI language, its text the emoji. There is one table per language
// (tools/emoji-table.mjs); index.html names them: <meta name="parley-emoji" data-en="..." data-de="...">.
import { language, t } from "../i18n/i18n";
import { openDialog } from "./dialog";
import { h, replaceChildren } from "./dom";

type EmojiRow = [emoji: string, name: string, keywords: string, group: string];

const tables = new Map<string, Promise<EmojiRow[]>>();
const recentKey = "parley.recent-emoji";
const recentCount = 16;

/// The current language's table (English where there is none for it); a failed load is tried
/// again next time.
function loadTable(): Promise<EmojiRow[]> {
  const urls = document.querySelector<HTMLMetaElement>("meta[name=parley-emoji]")?.dataset ?? {};
  // data-pt-br is dataset.ptBr
  const key = (code: string) => code.toLowerCase().replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
  const code = urls[key(language())] ? key(language()) : "en";
  let table = tables.get(code);
  if (!table) {
    table = fetch(urls[code] ?? "/assets/emoji-en.json").then((reply) => {
      if (!reply.ok) throw new Error(`emoji table: ${reply.status}`);
      return reply.json() as Promise<EmojiRow[]>;
    });
    table.catch(() => tables.delete(code));
    tables.set(code, table);
  }
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

/// Matches by every word of the query against the name and keywords, ignoring case (CLDR's
/// German names are capitalised: "Daumen hoch").
export function searchEmoji(rows: EmojiRow[], query: string): EmojiRow[] {
  const words = query.toLocaleLowerCase(language()).split(/\s+/).filter(Boolean);
  if (words.length === 0) return rows;
  return rows.filter(([, name, keywords]) => {
    const lower = name.toLocaleLowerCase(language());
    return words.every((word) => lower.includes(word) || keywords.includes(word));
  });
}

export function openEmojiPicker(_opener: HTMLElement, onPick: (emoji: string) => void): void {
  const dialog = openDialog(t("emoji.title"));
  const search = h("input", { type: "search", "aria-label": t("emoji.search"), placeholder: t("emoji.search") });
  const grid = h("div", { className: "emoji-grid" });
  const status = h("p", { role: "status", className: "hint" }, t("common.loading"));
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
        status.textContent = found.length === 0 ? t("emoji.noMatch") : "";
        // The first 400 matches: enough to browse, few enough to lay out at once.
        replaceChildren(
          grid,
          recent.length ? h("h3", {}, t("emoji.recent")) : null,
          recent.length ? h("div", { className: "emoji-row" }, recent.map(button)) : null,
          h("div", { className: "emoji-row" }, found.slice(0, 400).map(button)),
        );
      };
      search.addEventListener("input", render);
      render();
    },
    () => (status.textContent = t("emoji.loadFailed")),
  );
}
