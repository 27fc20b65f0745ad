// The search page, `#/search?q=...` (UI.md "Search, notifications, settings"): filter chips and
// fields that write their operators into the query (state/search-query.ts) and search again
// through `deps.search`, a sort order, and the region "Search results": hits grouped by room, each
// an article with its sender, time, the server's highlight and the messages around it, its main
// part a link to the message. Paged with `next_cursor`.
import { describeError, type ApiClient } from "../api/client";
import type { Message, Room } from "../api/types";
import { dateTime, t } from "../i18n/i18n";
import { clearFilter, filterValues, hasFilter, removeFilter, setFilter, setFilterValues, type SearchOperator } from "../state/search-query";
import { h, uniqueId } from "./dom";

/// A message as search keeps it: without `reactions` and `read_count`, which belong to a viewer.
export type SearchMessage = Omit<Message, "reactions" | "read_count">;

/// One hit (API.md "search result"); `highlight` is escaped HTML with `<mark>` around the hits.
export interface SearchResult {
  message: SearchMessage;
  highlight: string;
  context: { before: SearchMessage | null; after: SearchMessage | null };
}

export interface SearchPage {
  results: SearchResult[];
  next_cursor: string | null;
}

export type SearchSort = "relevance" | "recent";

export interface SearchDeps {
  api: ApiClient;
  /// The query of the route, as typed.
  query: string;
  /// The viewer's rooms: the names of the groups, and the choices of the room filter.
  rooms(): Room[];
  /// The viewer's username, for "From me" (`from:<username>`).
  currentUsername: string;
  /// Searches for `query` (goes to its route, which draws this view anew).
  search(query: string): void;
}

const pageSize = 20;

/// The order chosen last. The route holds only the query, so the order is kept here for the next
/// search in this tab.
let chosenSort: SearchSort = "relevance";
/// The control that wrote the query the view is drawn anew for: it gets the focus back.
let focusAfterSearch: string | null = null;

export function searchView(deps: SearchDeps): HTMLElement {
  const results = new SearchResults(deps);
  const query = deps.query.trim();
  const page = h(
    "div",
    { className: "page search" },
    h("h1", {}, query ? t("search.resultsFor", { query }) : t("search.title")),
    h("div", { className: "search-tools" }, filters(deps), sortControl((sort) => results.load(sort))),
    h("p", { className: "hint search-tips" }, t("search.tips")),
    results.element,
  );
  results.load(chosenSort);
  restoreFocus(page);
  return page;
}

/// `GET /search` for one page.
export function searchPath(query: string, sort: SearchSort, cursor: string | null, limit = pageSize): string {
  const parameters = new URLSearchParams({ q: query, sort, limit: String(limit) });
  if (cursor) parameters.set("cursor", cursor);
  return `/search?${parameters}`;
}

/// `#/rooms/{room}?message={id}`: the room, scrolled to the message and highlighting it.
/// Where a hit opens: the message in its room, or for a thread reply (not in the room's log)
/// the thread it is in.
export function messageHref(message: Pick<SearchMessage, "id" | "room_id" | "parent_id">): string {
  const room = encodeURIComponent(message.room_id);
  if (message.parent_id) return `#/rooms/${room}/threads/${encodeURIComponent(message.parent_id)}`;
  return `#/rooms/${room}?message=${encodeURIComponent(message.id)}`;
}

// Filters: each writes its operator into the query and searches again.

function write(deps: SearchDeps, control: string, query: string): void {
  if (query === deps.query) return;
  focusAfterSearch = control;
  deps.search(query);
}

function restoreFocus(page: HTMLElement): void {
  const control = focusAfterSearch;
  focusAfterSearch = null;
  if (!control) return;
  requestAnimationFrame(() => page.querySelector<HTMLElement>(`[data-search-control="${control}"]`)?.focus());
}

function filters(deps: SearchDeps): HTMLElement {
  return h(
    "div",
    { role: "group", "aria-label": t("search.filters"), className: "search-filters" },
    h(
      "div",
      { className: "search-chips" },
      chip(deps, "has-link", t("search.hasLink"), { kind: "has", value: "link" }),
      chip(deps, "has-attachment", t("search.hasFile"), { kind: "has", value: "attachment" }),
      chip(deps, "is-thread", t("search.inThread"), { kind: "is", value: "thread" }),
      mineChip(deps),
    ),
    h("div", { className: "search-fields" }, roomField(deps), fromField(deps), dateField(deps, "after"), dateField(deps, "before")),
  );
}

function chip(deps: SearchDeps, control: string, label: string, operator: SearchOperator): HTMLButtonElement {
  const pressed = hasFilter(deps.query, operator);
  return h(
    "button",
    {
      type: "button",
      className: "chip",
      "aria-pressed": String(pressed),
      "data-search-control": control,
      onclick: () => write(deps, control, pressed ? removeFilter(deps.query, operator) : setFilter(deps.query, operator)),
    },
    label,
  );
}

/// "From me": `from:<the viewer's username>`.
function mineChip(deps: SearchDeps): HTMLElement {
  return chip(deps, "from-me", t("search.fromMe"), { kind: "from", value: deps.currentUsername });
}

function labelled(label: string, control: HTMLInputElement | HTMLSelectElement): HTMLElement {
  control.id = uniqueId("search-field");
  return h("div", { className: "search-field" }, h("label", { for: control.id }, label), control);
}

/// The room filter (`in:`): all rooms, or one of the viewer's.
function roomField(deps: SearchDeps): HTMLElement {
  const current = (filterValues(deps.query, "in")[0] ?? "").toLowerCase();
  const rooms = [...deps.rooms()].sort((a, b) => a.name.localeCompare(b.name));
  const known = rooms.some((room) => room.id.toLowerCase() === current);
  const select = h(
    "select",
    { "data-search-control": "in" },
    h("option", { value: "" }, t("search.allRooms")),
    rooms.map((room) => h("option", { value: room.id, selected: room.id.toLowerCase() === current }, room.name)),
    current && !known ? h("option", { value: current, selected: true }, t("search.otherRoom")) : null,
  );
  select.addEventListener("change", () =>
    write(deps, "in", select.value ? setFilter(deps.query, { kind: "in", value: select.value }) : clearFilter(deps.query, "in")),
  );
  return labelled(t("search.room"), select);
}

/// The sender filter (`from:`): usernames, several separated by blanks or commas.
function fromField(deps: SearchDeps): HTMLElement {
  const input = h("input", {
    type: "text",
    value: filterValues(deps.query, "from").join(" "),
    placeholder: t("search.fromPlaceholder"),
    autocomplete: "off",
    spellcheck: "false",
    "data-search-control": "from",
  });
  const commit = () => write(deps, "from", setFilterValues(deps.query, "from", input.value.split(/[\s,]+/)));
  input.addEventListener("change", commit);
  const field = labelled(t("search.from"), input);
  // A form of its own, so that Enter in the box applies it.
  const form = h("form", { className: "search-from" }, field);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    commit();
  });
  return form;
}

/// `after:` / `before:` as a date field. A date is applied once complete (a picked one at once; a
/// typed one when its year has four digits, not at each digit); clearing it applies on leaving the
/// field or on Enter.
function dateField(deps: SearchDeps, kind: "after" | "before"): HTMLElement {
  const values = filterValues(deps.query, kind);
  const shown = /^\d{4}-\d{2}-\d{2}$/.test(values[values.length - 1] ?? "") ? values[values.length - 1] : "";
  const input = h("input", { type: "date", value: shown, "data-search-control": kind });
  const commit = () => {
    if (input.value) write(deps, kind, setFilter(deps.query, { kind, value: input.value }));
    else if (shown) write(deps, kind, clearFilter(deps.query, kind));
  };
  input.addEventListener("change", () => {
    if (Number(input.value.slice(0, 4)) >= 1000) commit();
  });
  input.addEventListener("blur", () => {
    if (!input.value) commit();
  });
  input.addEventListener("keydown", (event: KeyboardEvent) => {
    if (event.key === "Enter") commit();
  });
  return labelled(t(kind === "after" ? "search.after" : "search.before"), input);
}

function sortControl(sorted: (sort: SearchSort) => void): HTMLElement {
  const select = h(
    "select",
    {},
    h("option", { value: "relevance", selected: chosenSort === "relevance" }, t("search.sortRelevance")),
    h("option", { value: "recent", selected: chosenSort === "recent" }, t("search.sortRecent")),
  );
  select.addEventListener("change", () => {
    chosenSort = select.value === "recent" ? "recent" : "relevance";
    sorted(chosenSort);
  });
  const field = labelled(t("search.sortBy"), select);
  field.classList.add("search-sort");
  return field;
}

// Results.

/// The region "Search results": a status line, an error line, the groups, "Load more results".
class SearchResults {
  readonly element: HTMLElement;
  private readonly status = h("p", { role: "status", className: "hint search-status" });
  private readonly error = h("p", { role: "alert", className: "form-error" });
  private readonly list = h("div", { className: "search-groups" });
  private readonly more = h("button", { type: "button", className: "search-more", hidden: true }, t("search.loadMore"));
  private readonly groups = new Map<string, HTMLElement>();
  private sort: SearchSort = "relevance";
  private cursor: string | null = null;
  private count = 0;
  /// Counts loads: an answer to an older one (before the order changed) is dropped.
  private generation = 0;

  constructor(private readonly deps: SearchDeps) {
    this.element = h("section", { className: "search-results", "aria-label": t("search.results") }, this.status, this.error, this.list, this.more);
    this.more.addEventListener("click", () => void this.fetch(this.cursor));
  }

  /// The first page, in this order.
  load(sort: SearchSort): void {
    this.sort = sort;
    this.generation += 1;
    this.groups.clear();
    this.list.textContent = "";
    this.count = 0;
    this.more.hidden = true;
    this.error.textContent = "";
    if (this.deps.query.trim() === "") {
      this.status.textContent = t("search.emptyQuery", { box: t("sidebar.searchMessages") });
      return;
    }
    void this.fetch(null);
  }

  private async fetch(cursor: string | null): Promise<void> {
    const generation = ++this.generation;
    this.status.textContent = t(cursor ? "search.loadingMore" : "search.searching");
    this.error.textContent = "";
    this.more.disabled = true;
    // Screen readers wait for the page before reading it (and bench/web-search, for timing).
    this.element.setAttribute("aria-busy", "true");
    try {
      const page = await this.deps.api.get<SearchPage>(searchPath(this.deps.query, this.sort, cursor));
      if (generation !== this.generation) return;
      const first = this.add(page.results);
      this.cursor = page.next_cursor;
      this.more.hidden = page.next_cursor === null;
      this.status.textContent = this.summary();
      // After "Load more results", reading goes on at the first new hit.
      if (cursor) first?.focus();
    } catch (failure) {
      if (generation !== this.generation) return;
      this.status.textContent = "";
      this.error.textContent = describeError(failure);
    } finally {
      if (generation === this.generation) this.element.removeAttribute("aria-busy");
      this.more.disabled = false;
    }
  }

  /// Adds each hit to its room's group (a new group goes last); the first new hit's link.
  private add(results: readonly SearchResult[]): HTMLElement | null {
    let first: HTMLElement | null = null;
    for (const result of results) {
      const article = hitArticle(result);
      this.group(result.message.room_id).append(article);
      if (!first) first = article.querySelector<HTMLElement>("a");
    }
    this.count += results.length;
    return first;
  }

  private group(roomId: string): HTMLElement {
    let group = this.groups.get(roomId);
    if (!group) {
      const room = this.deps.rooms().find((candidate) => candidate.id === roomId);
      group = h("div", { className: "search-group", "data-room-id": roomId }, h("h2", {}, room?.name ?? t("search.unknownRoom")));
      this.groups.set(roomId, group);
      this.list.append(group);
    }
    return group;
  }

  private summary(): string {
    if (this.count === 0) return t("search.noResults", { query: this.deps.query.trim() });
    return t(this.more.hidden ? "search.count" : "search.countMore", { count: this.count });
  }
}

/// One hit: the message before (subdued), the hit itself as a link to it, the message after.
function hitArticle(result: SearchResult): HTMLElement {
  const message = result.message;
  const senderId = uniqueId("search-sender");
  const highlight = h("span", { className: "search-highlight" });
  // The search service's highlight: the message's text HTML-escaped by the server, with only
  // <mark>…</mark> added around the hits (API.md "search result"). No other HTML is inserted here.
  highlight.innerHTML = result.highlight;
  return h(
    "article",
    { className: "search-hit", "data-message-id": message.id, "aria-labelledby": senderId },
    contextLine(result.context.before, "before"),
    h(
      "a",
      { className: "search-hit-link", href: messageHref(message) },
      h(
        "span",
        { className: "search-hit-header" },
        h("span", { className: "search-sender", id: senderId }, senderName(message)),
        " ",
        timeElement(message.created_at),
        message.parent_id ? h("span", { className: "search-tag" }, t("search.threadReply")) : null,
      ),
      highlight,
    ),
    contextLine(result.context.after, "after"),
  );
}

/// A message around a hit, as plain text on one line.
function contextLine(message: SearchMessage | null, side: "before" | "after"): HTMLElement | null {
  if (!message) return null;
  return h(
    "p",
    { className: `search-context ${side}` },
    h("span", { className: "visually-hidden" }, t(side === "before" ? "search.contextBefore" : "search.contextAfter")),
    h("span", { className: "search-context-sender" }, senderName(message)),
    " ",
    h("span", { className: "search-context-text" }, contextText(message)),
  );
}

function contextText(message: SearchMessage): string {
  if (message.content.trim()) return message.content;
  const file = message.attachments?.[0];
  return file ? t("search.contextFile", { name: file.filename }) : "";
}

function senderName(message: SearchMessage): string {
  return message.sender?.display_name ?? t("search.unknownSender");
}

function timeElement(iso: string): HTMLElement {
  const date = new Date(iso);
  return h("time", { datetime: iso, title: dateTime(date, { dateStyle: "full", timeStyle: "short" }) }, dateTime(date, { dateStyle: "medium", timeStyle: "short" }));
}
