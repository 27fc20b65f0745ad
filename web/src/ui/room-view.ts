// A room on screen (UI.md "Room view"): its heading, the log of messages kept windowed (only
// the slice near the viewport is in the page), older pages loaded on scrolling up, a jump to
// the newest, the typing status, the composer, read marks for what is actually seen, the
// header's tools (invite, search here, pins, members, settings, notification level, leave), and
// the members, pins and thread panels.
import type { Call, Member, NotificationLevel, Room } from "../api/types";
import type { Calls } from "../calls";
import type { Games } from "../games";
import type { MessageKey } from "../i18n/en";
import { t } from "../i18n/i18n";
import type { Change, Store } from "../state/store";
import { lastOwnEditable, type Entry } from "../state/timeline";
import { typingText, typists } from "../state/typing";
import { newerRange, newestRange, olderRange, rangeAround, shifted, type Range } from "../state/window";
import type { ComposerHooks } from "./composer";
import { Composer } from "./composer";
import { dayLabel, h, replaceChildren, sameDay } from "./dom";
import { messageArticle, type MessageActions } from "./message-view";
import { PongPanel } from "./pong-view";
import { invitationStatus } from "../state/pong";
import { routeHash } from "./routes";

/// What an admin can do to a member (button names, and RoomController.memberAction's argument).
export type MemberAction = "Make admin" | "Remove admin" | "Remove" | "Mute" | "Unmute" | "Ban";
const memberActionLabels: Record<MemberAction, MessageKey> = {
  "Make admin": "room.makeAdmin",
  "Remove admin": "room.removeAdmin",
  Remove: "room.remove",
  Mute: "room.mute",
  Unmute: "room.unmute",
  Ban: "room.ban",
};

export interface RoomController extends MessageActions {
  loadOlder(roomId: string): Promise<void>;
  markRead(roomId: string, messageId: string): void;
  /// The composer's hooks but `lastOwn`, which the view knows.
  composerHooks(roomId: string, parentId: string | null): Omit<ComposerHooks, "lastOwn">;
  leave(room: Room): void;
  invite(room: Room): void;
  memberAction(room: Room, member: Member, action: MemberAction): void;
  roomSettings(room: Room): void;
  setNotificationLevel(room: Room, level: NotificationLevel): void;
  showPins(panel: HTMLElement, room: Room): void;
  loadThread(roomId: string, rootId: string): Promise<{ root: Entry; replies: Entry[] }>;
  closeThread(roomId: string): void;
  playPong(room: Room): void;
  readonly games: Games;
  startCall(room: Room, kind: Call["kind"]): void;
  joinCall(call: Call): void;
  readonly calls: Calls;
}

/// Pixels from an end of the log at which the slice moves (or an older page loads).
const edgePx = 600;
/// Consecutive messages of one sender within this time share one header.
const groupMs = 5 * 60_000;

export class RoomView {
  readonly element: HTMLElement;
  private readonly log: HTMLElement;
  private readonly typingStatus: HTMLElement;
  private readonly jump: HTMLButtonElement;
  private readonly membersPanel: HTMLElement;
  private readonly pinsPanel: HTMLElement;
  private readonly membersButton: HTMLButtonElement;
  private readonly pinsButton: HTMLButtonElement;
  private readonly tools = h("div", { className: "room-tools" });
  /// "Start voice call", "Start video call" (and "Join call"), drawn again as calls change.
  private readonly callButtons = h("span", { className: "call-buttons" });
  /// The role the tools were drawn for: they are drawn again when it changes.
  private shownRole: Room["my_role"];
  private readonly heading: HTMLElement;
  private readonly composer: Composer;
  private threadPanel: HTMLElement | null = null;
  private threadRootId: string | null = null;
  private range: Range = { start: 0, end: 0 };
  /// The message the slice starts at: when older messages are put before it, the slice moves
  /// with it, so what is on screen stays.
  private rangeFirstId: string | null = null;
  private renderedEntries: Entry[] | null = null;
  /// Day separators by the message they stand before, and the room's start: kept like articles.
  private readonly separators = new Map<string, HTMLElement>();
  private roomStart: HTMLElement | null = null;
  private loadingOlder = false;
  /// The slice's articles, each kept while what it shows stays the same (its grouping, whether
  /// it is pinned, and the viewer's role, which decides its menu). Only the slice's: articles
  /// kept for thousands of messages scrolled past would make every garbage collection trace them.
  private articles = new Map<Entry, { key: string; element: HTMLElement }>();
  private readonly unsubscribe: () => void;
  private readonly unsubscribeGames: () => void;
  private readonly unsubscribeCalls: () => void;
  private readonly pong: PongPanel;
  private typingTimer: number | null = null;
  private lastReadSent: string | null = null;

  constructor(
    private readonly roomId: string,
    private readonly store: Store,
    private readonly controller: RoomController,
  ) {
    const room = store.room(roomId);
    this.heading = h("h1", { tabindex: "-1" }, room ? roomTitle(room, store) : "");
    this.membersPanel = h("aside", { className: "side-panel", id: `members-${roomId}`, "aria-label": t("room.members"), hidden: true });
    this.pinsPanel = h("aside", { className: "side-panel", id: `pins-${roomId}`, "aria-label": t("pins.title"), hidden: true });
    this.membersButton = this.panelButton(t("room.members"), this.membersPanel, () => this.renderMembers());
    this.pinsButton = this.panelButton(t("pins.title"), this.pinsPanel, () => this.renderPins());
    this.log = h("div", { role: "log", "aria-label": t("room.messages"), className: "log", tabindex: "0" });
    this.jump = h("button", { type: "button", className: "jump", hidden: true, onclick: () => this.jumpToNewest() }, t("room.jumpToNewest"));
    this.typingStatus = h("div", { role: "status", "aria-label": t("room.typing"), className: "typing" });
    this.composer = new Composer("message", { ...controller.composerHooks(roomId, null), lastOwn: () => this.lastOwn() }, true);
    this.pong = new PongPanel(roomId, controller.games, store);
    const main = h(
      "section",
      { className: "room-main", "aria-labelledby": "" },
      h(
        "header",
        { className: "room-header" },
        h("a", { href: "#/", className: "back", "aria-label": t("room.back") }, "←"),
        this.heading,
        this.tools,
      ),
      h("div", { className: "log-frame" }, this.log, this.jump),
      this.typingStatus,
      this.composer.element,
    );
    this.element = h("div", { className: "room" }, main, this.pong.element, this.membersPanel, this.pinsPanel);
    this.renderTools();
    this.element.addEventListener("dragover", (event) => {
      if (event.dataTransfer?.types.includes("Files")) event.preventDefault();
    });
    this.element.addEventListener("drop", (event) => {
      const files = [...(event.dataTransfer?.files ?? [])];
      if (files.length === 0) return;
      event.preventDefault();
      this.composer.addFiles(files);
    });
    this.log.addEventListener("scroll", () => this.onScroll(), { passive: true });
    document.addEventListener("visibilitychange", this.onVisibility);
    this.unsubscribe = store.listen((change) => this.onChange(change));
    this.unsubscribeGames = controller.games.listen((changedRoom, stateOnly) => {
      if (changedRoom !== roomId) return;
      if (stateOnly) return this.pong.update();
      // The court opening beside the log narrows it: a log at its newest message stays there.
      const following = this.atBottom();
      this.pong.update();
      if (following) this.log.scrollTop = this.log.scrollHeight;
      this.render(false);
    });
    this.pong.update();
    this.unsubscribeCalls = controller.calls.listen(() => this.renderCallButtons());
    this.range = newestRange(store.timelineOf(roomId).entries.length);
  }

  /// Puts the room on screen: laid out, it can scroll to the newest message and see what is read.
  mount(container: HTMLElement): void {
    container.replaceChildren(this.element);
    this.render(true);
  }

  destroy(): void {
    this.unsubscribe();
    this.unsubscribeGames();
    this.unsubscribeCalls();
    this.pong.destroy();
    document.removeEventListener("visibilitychange", this.onVisibility);
    if (this.typingTimer !== null) window.clearTimeout(this.typingTimer);
  }

  focusComposer(): void {
    this.composer.focus();
  }

  editMessage(entry: Entry): void {
    this.composer.startEdit(entry.id, entry.content);
  }

  /// Scrolls to one message and highlights it (a `?message=` deep link). False when not loaded.
  reveal(messageId: string): boolean {
    const entries = this.store.timelineOf(this.roomId).entries;
    const index = entries.findIndex((entry) => entry.id === messageId);
    if (index < 0) return false;
    this.range = rangeAround(index, entries.length);
    this.render(false);
    const article = this.log.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(messageId)}"]`);
    if (!article) return false;
    article.scrollIntoView({ block: "center" });
    article.classList.add("highlighted");
    article.focus({ preventScroll: true });
    window.setTimeout(() => article.classList.remove("highlighted"), 4000);
    this.updateJump();
    return true;
  }

  openThread(rootId: string): void {
    this.threadRootId = rootId;
    this.threadPanel?.remove();
    const replies = h("div", { role: "log", "aria-label": t("room.threadMessages"), className: "log thread-log" });
    const rootHolder = h("div", { className: "thread-root" });
    const composer = new Composer("reply", { ...this.controller.composerHooks(this.roomId, rootId), lastOwn: () => null }, true);
    const close = h("button", { type: "button", className: "icon-button", "aria-label": t("room.closeThread"), onclick: () => this.controller.closeThread(this.roomId) }, "×");
    const panel = h("aside", { className: "side-panel thread", "aria-label": t("room.thread") }, h("header", { className: "panel-header" }, h("h2", {}, t("room.thread")), close), rootHolder, replies, composer.element);
    this.threadPanel = panel;
    this.element.append(panel);
    const context = { viewerId: this.store.me.id, room: this.store.room(this.roomId), grouped: false, inThread: true };
    const renderThread = async () => {
      try {
        const thread = await this.controller.loadThread(this.roomId, rootId);
        if (this.threadRootId !== rootId) return;
        // Names as this client knows them now: the server's copies may predate a user_updated.
        const current = (entry: Entry): Entry => (entry.sender ? { ...entry, sender: this.store.user(entry.sender.id) ?? entry.sender } : entry);
        replaceChildren(rootHolder, messageArticle(current(thread.root), context, this.controller));
        replaceChildren(replies, thread.replies.map((reply) => messageArticle(current(reply), context, this.controller)));
        replies.scrollTop = replies.scrollHeight;
      } catch {
        replaceChildren(rootHolder, h("p", {}, t("room.threadFailed")));
      }
    };
    renderThread();
    this.refreshThread = renderThread;
    composer.focus();
  }

  closeThread(): void {
    this.threadRootId = null;
    this.threadPanel?.remove();
    this.threadPanel = null;
    this.refreshThread = null;
  }

  private refreshThread: (() => void) | null = null;

  private onChange(change: Change): void {
    if (change.kind === "timeline" && change.roomId === this.roomId) {
      this.render(false);
    } else if (change.kind === "thread" && change.roomId === this.roomId) {
      if (this.refreshThread && (change.rootId === null || change.rootId === this.threadRootId)) this.refreshThread();
    } else if (change.kind === "typing" && change.roomId === this.roomId) {
      this.renderTyping();
    } else if ((change.kind === "members" && change.roomId === this.roomId) || change.kind === "presence") {
      this.renderMembers();
    } else if (change.kind === "rooms") {
      const room = this.store.room(this.roomId);
      if (room) this.heading.textContent = roomTitle(room, this.store);
      if (room?.my_role !== this.shownRole) {
        this.renderTools();
        this.render(false);
      }
    } else if (change.kind === "pins" && change.roomId === this.roomId) {
      this.render(false);
      if (!this.pinsPanel.hidden) this.renderPins();
    }
  }

  /// The header's tools, by what the viewer's role allows now.
  private renderTools(): void {
    const room = this.store.room(this.roomId);
    this.shownRole = room?.my_role;
    if (!room) return;
    this.renderCallButtons();
    const runs = room.type !== "direct" && (room.my_role === "owner" || room.my_role === "admin");
    const level = h(
      "select",
      { "aria-label": t("room.notificationLevel"), className: "level" },
      (["all", "mentions", "muted"] as const).map((value) =>
        h("option", { value, selected: value === (room.notification_level ?? (room.type === "direct" ? "all" : "mentions")) }, t(`room.level.${value}`)),
      ),
    );
    level.addEventListener("change", () => this.controller.setNotificationLevel(room, level.value as NotificationLevel));
    replaceChildren(
      this.tools,
      runs ? h("button", { type: "button", onclick: () => this.controller.invite(room) }, t("room.invite")) : null,
      this.callButtons,
      h("button", { type: "button", onclick: () => this.controller.playPong(room) }, t("room.playPong")),
      h("a", { href: routeHash({ name: "search", query: `in:${room.id} ` }), className: "button" }, t("room.searchHere")),
      this.pinsButton,
      this.membersButton,
      runs ? h("button", { type: "button", className: "room-settings", onclick: () => this.controller.roomSettings(room) }, t("roomSettings.title")) : null,
      level,
      // A direct room has two members and nothing to leave (the API refuses it).
      room.type === "direct" ? null : h("button", { type: "button", onclick: () => this.controller.leave(room) }, t("room.leave")),
    );
  }

  /// The call buttons: a call is started when neither the room nor this tab has one going on;
  /// someone the room's active call rang, who is not in it now, can join it.
  private renderCallButtons(): void {
    const room = this.store.room(this.roomId);
    if (!room) return;
    const calls = this.controller.calls;
    const call = calls.call(this.roomId);
    const busy = !!calls.session || !!call;
    const me = this.store.me.id;
    const canJoin = call?.status === "active" && !calls.session && call.participants.some((participant) => participant.user_id === me && participant.state !== "joined");
    replaceChildren(
      this.callButtons,
      canJoin ? h("button", { type: "button", className: "primary", onclick: () => this.controller.joinCall(call) }, t("call.join")) : null,
      (["voice", "video"] as const).map((kind) =>
        h("button", { type: "button", disabled: busy, title: call ? t("call.onGoing") : null, onclick: () => this.controller.startCall(room, kind) }, t(kind === "voice" ? "call.startVoice" : "call.startVideo")),
      ),
    );
  }

  /// A header button that shows and hides a side panel (filled by `fill` as it opens).
  private panelButton(label: string, panel: HTMLElement, fill: () => void): HTMLButtonElement {
    const button = h("button", { type: "button", "aria-expanded": "false", "aria-controls": panel.id }, label);
    button.addEventListener("click", () => this.setPanel(panel, button, panel.hidden, fill));
    return button;
  }

  private setPanel(panel: HTMLElement, button: HTMLButtonElement, open: boolean, fill: () => void = () => {}): void {
    panel.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
    if (open) fill();
  }

  /// Escape outside a dialog: closes the thread or an open panel, and marks the room read.
  escape(): void {
    if (this.threadRootId) this.controller.closeThread(this.roomId);
    else if (!this.pinsPanel.hidden) this.setPanel(this.pinsPanel, this.pinsButton, false);
    else if (!this.membersPanel.hidden) this.setPanel(this.membersPanel, this.membersButton, false);
    const entries = this.store.timelineOf(this.roomId).entries;
    for (let index = entries.length - 1; index >= 0; index -= 1) {
      const entry = entries[index];
      if (entry.local || entry.sender?.id === this.store.me.id) continue;
      this.controller.markRead(this.roomId, entry.id);
      break;
    }
  }

  private renderPins(): void {
    const room = this.store.room(this.roomId);
    if (room) this.controller.showPins(this.pinsPanel, room);
  }

  private lastOwn(): { id: string; content: string } | null {
    const entry = lastOwnEditable(this.store.timelineOf(this.roomId), this.store.me.id);
    return entry ? { id: entry.id, content: entry.content } : null;
  }

  /// Puts the slice `range` in the log. New messages at the end follow when the viewer was at
  /// the bottom; otherwise the first visible message stays where it was on screen.
  private render(initial: boolean): void {
    const entries = this.store.timelineOf(this.roomId).entries;
    // Following the newest: at the bottom with the newest message in the slice. At the bottom of
    // an older slice, what is on screen stays instead (the slice moves on with the scrolling).
    const newest = entries[entries.length - 1];
    const justSent = newest?.local === "sending" && this.renderedEntries?.[this.renderedEntries.length - 1] !== newest;
    const following = initial || justSent || (this.atBottom() && this.range.end >= (this.renderedEntries?.length ?? 0));
    if (entries !== this.renderedEntries && this.rangeFirstId !== null) {
      const firstIndex = entries.findIndex((entry) => entry.id === this.rangeFirstId);
      if (firstIndex >= 0 && firstIndex !== this.range.start) this.range = shifted(this.range, firstIndex - this.range.start);
    }
    this.renderedEntries = entries;
    if (following) this.range = newestRange(entries.length);
    this.range = { start: Math.min(this.range.start, entries.length), end: Math.min(Math.max(this.range.end, this.range.start), entries.length) };
    this.rangeFirstId = entries[this.range.start]?.id ?? null;
    const anchor = following ? null : this.anchor();
    const room = this.store.room(this.roomId);
    const pins = this.store.pins.get(this.roomId);
    const nodes: Node[] = [];
    const articles = new Map<Entry, { key: string; element: HTMLElement }>();
    if (this.range.start === 0 && !this.store.timelineOf(this.roomId).hasOlder) {
      this.roomStart ??= h("p", { className: "room-start" }, room ? t("room.beginningOf", { room: roomTitle(room, this.store) }) : t("room.beginning"));
      nodes.push(this.roomStart);
    }
    for (let index = this.range.start; index < this.range.end; index += 1) {
      const entry = entries[index];
      const previous = index > 0 ? entries[index - 1] : null;
      if (!previous || !sameDay(previous.created_at, entry.created_at)) {
        const label = dayLabel(entry.created_at);
        let separator = this.separators.get(entry.id);
        if (!separator || separator.getAttribute("aria-label") !== label) {
          separator = h("div", { role: "separator", className: "day", "aria-label": label }, h("span", {}, label));
          this.separators.set(entry.id, separator);
        }
        nodes.push(separator);
      }
      const grouped =
        !!previous &&
        !!entry.sender &&
        previous.sender?.id === entry.sender.id &&
        previous.type !== "system" &&
        entry.type !== "system" &&
        sameDay(previous.created_at, entry.created_at) &&
        Date.parse(entry.created_at) - Date.parse(previous.created_at) < groupMs;
      const pinned = pins?.has(entry.id) ?? false;
      // A game invitation is drawn again when its state changes (answered, expired, loaded).
      const shownInvitation = entry.type === "game" ? this.controller.gameInvitation(entry) : undefined;
      const invitation = shownInvitation ? invitationStatus(shownInvitation, new Date()) : entry.type === "game" ? "loading" : "";
      const key = `${grouped} ${pinned} ${room?.my_role} ${invitation}`;
      let cached = this.articles.get(entry);
      if (!cached || cached.key !== key) {
        cached = { key, element: messageArticle(entry, { viewerId: this.store.me.id, room, grouped, inThread: false, pinned }, this.controller) };
      }
      articles.set(entry, cached);
      nodes.push(cached.element);
    }
    this.articles = articles;
    this.place(nodes);
    if (following) this.log.scrollTop = this.log.scrollHeight;
    else if (anchor) this.restore(anchor);
    this.updateJump();
    this.markSeen();
  }

  /// Makes the log hold exactly `nodes`, in order, touching only what changed: a moved slice
  /// adds and removes its edges instead of laying out (and announcing) everything again.
  private place(nodes: Node[]): void {
    const wanted = new Set(nodes);
    for (const child of [...this.log.childNodes]) {
      if (!wanted.has(child)) child.remove();
    }
    let cursor = this.log.firstChild;
    for (const node of nodes) {
      if (node === cursor) cursor = cursor.nextSibling;
      else this.log.insertBefore(node, cursor);
    }
  }

  private anchor(): { element: HTMLElement; offset: number } | null {
    const top = this.log.scrollTop;
    for (const element of this.log.querySelectorAll<HTMLElement>("article")) {
      if (element.offsetTop + element.offsetHeight > top) return { element, offset: element.offsetTop - top };
    }
    return null;
  }

  private restore(anchor: { element: HTMLElement; offset: number }): void {
    if (anchor.element.isConnected) this.log.scrollTop = anchor.element.offsetTop - anchor.offset;
  }

  private atBottom(): boolean {
    return this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < 40;
  }

  private onScroll(): void {
    const entries = this.store.timelineOf(this.roomId).entries;
    if (this.log.scrollTop < edgePx) {
      if (this.range.start > 0) {
        this.range = olderRange(this.range, entries.length);
        this.render(false);
      } else if (this.store.timelineOf(this.roomId).hasOlder && !this.loadingOlder) {
        this.loadingOlder = true;
        this.controller
          .loadOlder(this.roomId)
          .then(() => {
            // The slice kept its messages when the page came in; now it reaches up into it.
            this.range = olderRange(this.range, this.store.timelineOf(this.roomId).entries.length);
            this.render(false);
          })
          .catch(() => {})
          .finally(() => (this.loadingOlder = false));
      }
    } else if (this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < edgePx && this.range.end < entries.length) {
      this.range = newerRange(this.range, entries.length);
      this.render(false);
    }
    this.updateJump();
    this.markSeen();
  }

  private jumpToNewest(): void {
    this.range = newestRange(this.store.timelineOf(this.roomId).entries.length);
    this.render(true);
    this.composer.focus();
  }

  private updateJump(): void {
    const entries = this.store.timelineOf(this.roomId).entries;
    this.jump.hidden = this.range.end >= entries.length && this.atBottom();
  }

  /// Marks read the newest message of someone else actually seen: the tab visible and the
  /// message on screen.
  private markSeen(): void {
    if (document.visibilityState !== "visible") return;
    const bottom = this.log.scrollTop + this.log.clientHeight;
    let seen: string | null = null;
    // Others' messages only: one's own are read already, and the server says nothing of
    // reading them (so a mark for one's own newest would hide the reading of those before it).
    for (const element of this.log.querySelectorAll<HTMLElement>("article:not(.local):not(.own)")) {
      if (element.offsetTop < bottom) seen = element.dataset.messageId ?? seen;
    }
    if (seen && (this.lastReadSent === null || seen > this.lastReadSent)) {
      this.lastReadSent = seen;
      // One read mark for a burst of newly seen messages (scrolling through many).
      if (this.readTimer !== null) window.clearTimeout(this.readTimer);
      this.readTimer = window.setTimeout(() => {
        this.readTimer = null;
        this.controller.markRead(this.roomId, seen!);
      }, 300);
    }
  }

  private readTimer: number | null = null;

  private readonly onVisibility = () => this.markSeen();

  private renderTyping(): void {
    const now = Date.now();
    const names = typists(this.store.typing, this.roomId, now).map((userId) => this.store.user(userId)?.display_name ?? t("room.someone"));
    this.typingStatus.textContent = typingText(names);
    if (this.typingTimer !== null) window.clearTimeout(this.typingTimer);
    // Indicators fade on their own: look again when the next one would expire.
    if (names.length > 0) this.typingTimer = window.setTimeout(() => this.renderTyping(), 1000);
  }

  private renderMembers(): void {
    if (this.membersPanel.hidden) return;
    const room = this.store.room(this.roomId);
    const members = this.store.members.get(this.roomId) ?? [];
    const myRole = room?.my_role ?? "member";
    const order = { owner: 0, admin: 1, member: 2 };
    const sorted = members.slice().sort((a, b) => order[a.role] - order[b.role] || a.user.display_name.localeCompare(b.user.display_name));
    replaceChildren(
      this.membersPanel,
      h("header", { className: "panel-header" }, h("h2", {}, t("room.membersCount", { count: members.length }))),
      h(
        "ul",
        { className: "members" },
        sorted.map((member) => {
          const presence = this.store.presenceOf(member.user);
          const canManage = room && room.type !== "direct" && member.user.id !== this.store.me.id && member.role !== "owner" && (myRole === "owner" || (myRole === "admin" && member.role === "member"));
          const tools = canManage
            ? h(
                "div",
                { className: "member-tools" },
                memberActions(member, myRole).map((action) =>
                  h("button", { type: "button", onclick: () => this.controller.memberAction(room!, member, action) }, t(memberActionLabels[action])),
                ),
              )
            : null;
          return h(
            "li",
            { className: "member" },
            h("span", { className: `presence-dot ${presence}`, "aria-hidden": "true" }),
            h("button", { type: "button", className: "link", onclick: () => this.controller.openProfile(member.user.id) }, member.user.display_name),
            " ",
            h("span", { className: "role" }, t(`room.role.${member.role}`)),
            " ",
            h("span", { className: "presence" }, t(`common.presence.${presence}`)),
            tools,
          );
        }),
      ),
    );
  }
}

/// What the viewer (an owner or admin who may manage `member`) can do to them now.
function memberActions(member: Member, myRole: Member["role"]): MemberAction[] {
  const actions: MemberAction[] = [];
  if (myRole === "owner") actions.push(member.role === "admin" ? "Remove admin" : "Make admin");
  const muted = member.muted_until !== null && Date.parse(member.muted_until) > Date.now();
  actions.push("Remove", muted ? "Unmute" : "Mute", "Ban");
  return actions;
}

/// A room's name as people see it: a direct room is named by the other person.
export function roomTitle(room: Room, store: Store): string {
  if (room.type !== "direct") return room.name;
  const other = (store.members.get(room.id) ?? []).find((member) => member.user.id !== store.me.id);
  return other?.user.display_name ?? room.name;
}
