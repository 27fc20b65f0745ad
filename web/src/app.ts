// The signed-in app: owns the store, the socket and the shell, follows the route, and carries
// out what the views ask (RoomController). The only place that talks to the API once signed in.
import { ApiClient, ApiError, describeError } from "./api/client";
import type { Call, Frame, GameInvitation, Member, Message, MessagePage, NotificationLevel, Presence, Room, User } from "./api/types";
import { Calls } from "./calls";
import { Games } from "./games";
import type { MessageKey } from "./i18n/en";
import { t } from "./i18n/i18n";
import { Connection } from "./realtime/connection";
import type { Session } from "./session";
import * as roomList from "./state/rooms";
import { Store } from "./state/store";
import * as timeline from "./state/timeline";
import { CallDock, describeCallError, IncomingCall } from "./ui/call-view";
import { scheduleDialog, scheduledListDialog, scheduledTime } from "./ui/scheduled";
import { inAnHour } from "./state/schedule";
import { browseRoomsDialog, inviteDialog, newDirectMessageDialog, newRoomDialog } from "./ui/dialogs";
import { h, replaceChildren } from "./ui/dom";
import type { ComposerHooks } from "./ui/composer";
import { RoomView, roomTitle, type MemberAction, type RoomController } from "./ui/room-view";
import { routeHash, type Route } from "./ui/routes";
import { MediaLoader } from "./ui/media";
import { banDialog, muteDialog, reportDialog } from "./ui/moderation-dialogs";
import { NotificationCenter } from "./ui/notifications";
import { renderPins } from "./ui/pins";
import { openRoomSettings } from "./ui/room-settings";
import { installShortcuts } from "./ui/shortcuts";
import { Sidebar } from "./ui/sidebar";
import { notFoundView, inviteView, homeView } from "./ui/pages";
import { browserPreferences } from "./state/preferences";
import { sidebarOrder } from "./state/navigation";

export class App implements RoomController {
  readonly store: Store;
  private readonly connection: Connection;
  private readonly sidebar: Sidebar;
  private readonly content: HTMLElement;
  private readonly notice: HTMLElement;
  private readonly shell: HTMLElement;
  private roomView: RoomView | null = null;
  private route: Route = { name: "home" };
  private readonly loadedRooms = new Set<string>();
  readonly media = new MediaLoader(() => this.session.token);
  private readonly notifications: NotificationCenter;
  private stopShortcuts: (() => void) | null = null;
  readonly games: Games;
  readonly calls: Calls;
  private readonly callDock: CallDock;
  private readonly incomingCall: IncomingCall;

  constructor(
    private readonly session: Session,
    private readonly api: ApiClient,
    private readonly root: HTMLElement,
    private readonly signOut: () => void,
    private readonly sessionEnded: () => void,
  ) {
    this.store = new Store(session.user);
    this.connection = new Connection(() => this.session.token, {
      status: (status) => {
        this.store.status = status;
        this.store.emit({ kind: "status" });
      },
      frame: (frame) => this.onFrame(frame),
      ready: () => this.onReady(),
      sessionEnded: () => this.sessionEnded(),
      // A refused upgrade is most likely an expired token: /auth/me says (a 401 signs out).
      refused: () => void this.api.get("/auth/me").catch(() => {}),
    });
    this.games = new Games(api, this.connection, this.store);
    this.calls = new Calls(api, this.connection, this.store, () => browserPreferences.get().relayCalls);
    const callFailed = (error: unknown) => this.showNotice(describeCallError(error));
    this.callDock = new CallDock(this.calls, this.store, callFailed);
    this.incomingCall = new IncomingCall(this.calls, this.store, callFailed);
    this.calls.listen(() => {
      this.callDock.update();
      this.incomingCall.update();
    });
    this.sidebar = new Sidebar(this.store, {
      newRoom: () => newRoomDialog(this.api, (room) => this.addRoomAndOpen(room)),
      browseRooms: () => browseRoomsDialog(this.api, (id) => !!this.store.room(id), (room) => this.joinedRoom(room)),
      newDirectMessage: () => newDirectMessageDialog(this.api, this.store.me, (user) => this.openDirect(user)),
      notifications: () => this.notifications.open(),
      search: (query) => (location.hash = routeHash({ name: "search", query })),
      settings: () => (location.hash = routeHash({ name: "settings" })),
      signOut: () => this.signOut(),
    });
    this.notifications = new NotificationCenter(this.api, this.store, { desktopEnabled: () => browserPreferences.get().desktopNotifications });
    this.notice = h("div", { className: "notice", role: "alert", hidden: true });
    this.content = h("main", { className: "content" });
    this.shell = h("div", { className: "shell" }, this.sidebar.element, this.content, this.callDock.element, this.notice);
    this.store.listen((change) => {
      if (change.kind === "removedFromRoom" && this.currentRoomId() === change.roomId) {
        this.showNotice(t("app.removedFromRoom"));
        location.hash = "#/";
      }
    });
  }

  /// Settles once the room list first loaded (or failed to): a room is shown only after that.
  private roomsLoaded: Promise<void> = Promise.resolve();
  /// The room list load started last.
  private latestRoomListLoad: Promise<void> = Promise.resolve();
  /// The latest messages from frames, oldest first, for a room list that does not count them yet.
  private readonly recentMessages: Message[] = [];

  async start(): Promise<void> {
    replaceChildren(this.root, this.shell);
    this.connection.start();
    this.stopShortcuts = installShortcuts({
      rooms: () => sidebarOrder(this.store.rooms),
      roomTitle: (room) => roomTitle(room, this.store),
      currentRoomId: () => this.currentRoomId(),
      openRoom: (room) => (location.hash = routeHash({ name: "room", roomId: room.id, messageId: null })),
      searchPeople: async (query) => (await this.api.get<{ users: User[] }>(`/users/search?q=${encodeURIComponent(query)}&limit=8`)).users.filter((user) => user.id !== this.store.me.id),
      openPerson: (user) => void this.openDirect(user),
      escape: () => this.roomView?.escape(),
    });
    this.roomsLoaded = this.loadRooms().catch((error) => this.showNotice(describeError(error)));
    await this.roomsLoaded;
    this.api.get<{ unread_count: number }>("/notifications?limit=1").then(
      (reply) => {
        this.store.unreadNotifications = reply.unread_count ?? 0;
        this.store.emit({ kind: "notifications" });
      },
      () => {},
    );
  }

  stop(): void {
    this.games.stop();
    this.calls.stop();
    this.connection.stop();
    this.roomView?.destroy();
    this.stopShortcuts?.();
  }

  /// Shows what the route names. Called on every hash change while signed in.
  async show(route: Route): Promise<void> {
    const previousRoom = this.currentRoomId();
    this.route = route;
    const roomId = this.currentRoomId();
    this.shell.dataset.view = roomId || route.name === "invite" || route.name === "notFound" || route.name === "search" || route.name === "settings" ? "content" : "list";
    this.sidebar.select(roomId);
    if (previousRoom && previousRoom !== roomId) this.connection.notify("leave_room", { room_id: previousRoom });
    if (route.name === "room" || route.name === "thread") {
      await this.roomsLoaded;
      if (this.route !== route) return;
      await this.showRoom(route.roomId, route.name === "room" ? route.messageId : null, route.name === "thread" ? route.rootId : null, previousRoom === roomId);
      return;
    }
    this.store.readingRoomId = null;
    this.roomView?.destroy();
    this.roomView = null;
    this.notifications.setTitle(t("main.title"));
    this.sidebar.showQuery("");
    switch (route.name) {
      case "invite":
        replaceChildren(this.content, inviteView(this.api, route.code, (room) => this.joinedRoom(room)));
        break;
      case "search":
        this.notifications.setTitle(t("app.searchTitle", { query: route.query }));
        this.sidebar.showQuery(route.query);
        await this.showSearch(route);
        break;
      case "settings":
        this.notifications.setTitle(t("app.settingsTitle"));
        await this.showSettings(route);
        break;
      case "notFound":
        replaceChildren(this.content, notFoundView());
        break;
      default:
        replaceChildren(this.content, homeView(this.store.me.display_name));
    }
  }

  /// `#/search?q=`: the results page (loaded on first use).
  private async showSearch(route: Route & { name: "search" }): Promise<void> {
    const { searchView } = await import("./ui/search-view");
    if (this.route !== route) return;
    replaceChildren(
      this.content,
      searchView({
        api: this.api,
        query: route.query,
        // Direct rooms by the other person's name, as in the sidebar.
        rooms: () => this.store.rooms.map((room) => ({ ...room, name: roomTitle(room, this.store) })),
        currentUsername: this.store.me.username,
        search: (query) => (location.hash = routeHash({ name: "search", query })),
      }),
    );
  }

  /// `#/settings` (loaded on first use). A new language takes a reload: every view is drawn anew.
  private async showSettings(route: Route): Promise<void> {
    const { settingsView } = await import("./ui/settings/settings-view");
    if (this.route !== route) return;
    replaceChildren(
      this.content,
      settingsView({
        api: this.api,
        token: () => this.session.token,
        me: this.store.me,
        onUserUpdated: (user) => {
          this.store.me = { ...this.store.me, ...user };
          this.store.emit({ kind: "me" });
        },
        preferences: browserPreferences,
        onLanguageChanged: () => location.reload(),
      }),
    );
  }

  private currentRoomId(): string | null {
    return this.route.name === "room" || this.route.name === "thread" ? this.route.roomId : null;
  }

  private async showRoom(roomId: string, messageId: string | null, threadRootId: string | null, sameRoom: boolean): Promise<void> {
    if (!sameRoom || !this.roomView) {
      this.roomView?.destroy();
      this.roomView = null;
      if (!this.store.room(roomId)) {
        // Not in the list: a room the viewer is not in, or one that does not exist.
        replaceChildren(this.content, notFoundView());
        return;
      }
      if (!this.loadedRooms.has(roomId)) {
        replaceChildren(this.content, h("p", { className: "loading", role: "status" }, t("common.loading")));
        try {
          await this.loadRoom(roomId);
        } catch (error) {
          replaceChildren(this.content, error instanceof ApiError && error.status === 404 ? notFoundView() : h("p", { role: "alert" }, describeError(error)));
          return;
        }
        if (this.currentRoomId() !== roomId) return;
      }
      this.roomView = new RoomView(roomId, this.store, this);
      this.roomView.mount(this.content);
      this.notifications.setTitle(t("app.roomTitle", { room: roomTitle(this.store.room(roomId)!, this.store) }));
      this.connection.notify("join_room", { room_id: roomId });
      this.askPresence(roomId);
      this.games.loadRoom(roomId).catch(() => {});
      this.calls.loadRoom(roomId).catch(() => {});
      this.roomView.focusComposer();
    }
    this.store.readingRoomId = roomId;
    this.markRoomRead(roomId);
    if (messageId) await this.revealMessage(roomId, messageId);
    if (threadRootId) this.roomView?.openThread(threadRootId);
    else this.roomView?.closeThread();
  }

  private async loadRoom(roomId: string): Promise<void> {
    const [page, members, pins] = await Promise.all([
      this.api.get<MessagePage>(`/rooms/${roomId}/messages?limit=50`),
      this.allMembers(roomId),
      this.api.get<{ messages: Message[] }>(`/rooms/${roomId}/pins`).catch(() => ({ messages: [] as Message[] })),
    ]);
    this.store.members.set(roomId, members);
    this.store.pins.set(roomId, new Set(pins.messages.map((message) => message.id)));
    this.store.timelines.set(roomId, timeline.withNewestPage(this.store.timelineOf(roomId), page));
    this.loadedRooms.add(roomId);
  }

  private async revealMessage(roomId: string, messageId: string): Promise<void> {
    // Older pages until the message is there (a deep link into the history), 40 at most.
    for (let pages = 0; pages < 40 && !this.roomView?.reveal(messageId); pages += 1) {
      if (!this.store.timelineOf(roomId).hasOlder) {
        this.showNotice(t("app.messageGone"));
        return;
      }
      await this.loadOlder(roomId);
    }
  }

  /// The room list from the server. Of loads that overlap, the one started last wins (an
  /// earlier one settles with it), and the messages that arrived lately and that it does not
  /// count yet are counted on top of it.
  private loadRooms(): Promise<void> {
    const load: Promise<void> = this.fetchRoomList().then((rooms) => {
      if (load !== this.latestRoomListLoad) return this.latestRoomListLoad;
      this.store.setRooms(roomList.withUncounted(rooms, this.recentMessages, this.store.me.id, this.store.readingRoomId));
      return undefined;
    });
    this.latestRoomListLoad = load;
    return load;
  }

  private async fetchRoomList(): Promise<Room[]> {
    const rooms = await this.allPages<Room>("/rooms", "rooms");
    // Direct rooms are named by the other person: their members are needed for the list.
    await Promise.all(
      rooms
        .filter((room) => room.type === "direct" && !this.store.members.has(room.id))
        .map((room) => this.allMembers(room.id).then((members) => this.store.members.set(room.id, members), () => {})),
    );
    return roomList.sortRooms(rooms);
  }

  private allMembers(roomId: string): Promise<Member[]> {
    return this.allPages<Member>(`/rooms/${roomId}/members`, "members");
  }

  /// Every page of a cursor-paged list (API.md "Pagination"), 100 at a time.
  private async allPages<T>(path: string, key: string): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | null = null;
    do {
      const reply: Record<string, unknown> = await this.api.get(`${path}?limit=100` + (cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""));
      items.push(...((reply[key] as T[]) ?? []));
      cursor = (reply.next_cursor as string | null) ?? null;
    } while (cursor);
    return items;
  }

  private onReady(): void {
    const roomId = this.currentRoomId();
    if (roomId) {
      this.connection.notify("join_room", { room_id: roomId });
      this.askPresence(roomId);
    }
  }

  /// Who in the room is online now; `presence_updated` frames keep it current from here.
  private askPresence(roomId: string): void {
    if (!this.connection.connected) return; // asked again once the socket is ready
    this.connection.request<{ presence: Record<string, Presence> }>("get_presence", { room_id: roomId }).then(
      (reply) => this.store.setPresence(reply.presence),
      () => {},
    );
  }

  private onFrame(frame: Frame): void {
    if (frame.type === "refetch_required") {
      const roomId = frame.data?.room_id as string;
      if (this.loadedRooms.has(roomId)) {
        this.api.get<MessagePage>(`/rooms/${roomId}/messages?limit=50`).then((page) => this.store.setTimeline(roomId, timeline.withNewestPage(this.store.timelineOf(roomId), page)), () => {});
      }
      return;
    }
    if (frame.type === "message_created") {
      this.recentMessages.push(frame.data?.message as Message);
      if (this.recentMessages.length > recentMessagesKept) this.recentMessages.shift();
    }
    if (frame.type === "message_created" && !this.store.room(frame.data?.room_id)) {
      // A message in a room not in the list yet (a new direct message, an add): fetch the list.
      this.loadRooms().catch(() => {});
    }
    if (frame.type === "user_joined" && frame.data?.user?.id === this.store.me.id) this.loadRooms().catch(() => {});
    this.games.onFrame(frame);
    this.calls.onFrame(frame);
    if (frame.type === "scheduled_message_updated" && frame.data?.scheduled_message?.status === "failed") {
      this.showNotice(t("scheduled.failedNotice", { reason: frame.data.scheduled_message.failure ?? "" }));
    }
    this.store.applyFrame(frame);
  }

  private addRoomAndOpen(room: Room): void {
    this.store.setRooms(roomList.withRoom(this.store.rooms, { ...room, my_role: room.my_role ?? "owner", unread_count: 0 }));
    location.hash = routeHash({ name: "room", roomId: room.id, messageId: null });
  }

  private async joinedRoom(room: Room): Promise<void> {
    await this.loadRooms().catch(() => {});
    if (!this.store.room(room.id)) this.store.setRooms(roomList.withRoom(this.store.rooms, { ...room, my_role: "member" }));
    location.hash = routeHash({ name: "room", roomId: room.id, messageId: null });
  }

  private async openDirect(user: User): Promise<void> {
    try {
      const room = await this.api.post<Room>("/rooms", { type: "direct", user_id: user.id });
      this.store.members.set(room.id, await this.allMembers(room.id));
      this.addRoomAndOpen({ ...room, my_role: "member" });
    } catch (error) {
      this.showNotice(describeError(error));
    }
  }

  showNotice(message: string): void {
    this.notice.textContent = message;
    this.notice.hidden = false;
    window.setTimeout(() => {
      if (this.notice.textContent === message) this.notice.hidden = true;
    }, 6000);
  }

  // RoomController

  async loadOlder(roomId: string): Promise<void> {
    const first = this.store.timelineOf(roomId).entries.find((entry) => !entry.local);
    const page = await this.api.get<MessagePage>(`/rooms/${roomId}/messages?limit=50` + (first ? `&before=${first.id}` : ""));
    this.store.setTimeline(roomId, timeline.withOlderPage(this.store.timelineOf(roomId), page));
  }

  markRead(roomId: string, messageId: string): void {
    this.connection.notify("read_message", { message_id: messageId });
    this.markRoomRead(roomId);
  }

  private markRoomRead(roomId: string): void {
    const rooms = roomList.withRead(this.store.rooms, roomId);
    if (rooms !== this.store.rooms) this.store.setRooms(rooms);
  }

  composerHooks(roomId: string, parentId: string | null): Omit<ComposerHooks, "lastOwn"> {
    return {
      send: (content, attachmentIds) => this.send(roomId, content, attachmentIds, parentId),
      saveEdit: async (messageId, content) => {
        const message = await this.api.put<Message>(`/messages/${messageId}`, { content });
        this.store.setTimeline(roomId, timeline.upsert(this.store.timelineOf(roomId), message));
      },
      typing: (active) => this.connection.notify(active ? "typing_start" : "typing_stop", { room_id: roomId }),
      upload: async (file, onProgress) => (await this.api.upload<{ id: string }>("/attachments/upload", file, onProgress)).id,
      showError: (message) => this.showNotice(message),
      members: () => (this.store.members.get(roomId) ?? []).map((member) => member.user).filter((user) => user.id !== this.store.me.id),
      ...(parentId
        ? {}
        : {
            sendLater: (content: string, scheduled: () => void) =>
              scheduleDialog(this.api, roomId, { content, sendAt: inAnHour() }, (message) => {
                scheduled();
                this.showNotice(t("scheduled.done", { time: scheduledTime(message.send_at) }));
              }),
            showScheduled: () => scheduledListDialog(this.api, roomId, (message) => this.showNotice(message)),
          }),
    };
  }

  private send(roomId: string, content: string, attachmentIds: string[], parentId: string | null): void {
    const clientId = crypto.randomUUID();
    const data: Record<string, unknown> = { room_id: roomId, content };
    if (attachmentIds.length > 0) data.attachment_ids = attachmentIds;
    if (parentId) data.parent_id = parentId;
    if (!parentId) {
      const pending: timeline.Entry = {
        id: `local-${clientId}`,
        room_id: roomId,
        sender: this.store.me,
        content,
        content_html: escapeHTML(content),
        type: "text",
        parent_id: null,
        client_id: clientId,
        mention_ids: [],
        reply_count: 0,
        last_reply_at: null,
        created_at: new Date().toISOString(),
        edited_at: null,
        deleted: false,
        attachments: [],
        reactions: [],
        read_count: 0,
      };
      this.store.setTimeline(roomId, timeline.addPending(this.store.timelineOf(roomId), pending));
    }
    this.pendingData.set(clientId, data);
    this.transmit(roomId, clientId, data);
  }

  private readonly pendingData = new Map<string, Record<string, unknown>>();

  private transmit(roomId: string, clientId: string, data: Record<string, unknown>): void {
    this.connection.sendMessage(clientId, data).then(
      (message) => {
        this.pendingData.delete(clientId);
        this.store.setTimeline(roomId, timeline.upsert(this.store.timelineOf(roomId), message));
      },
      (error) => {
        if (error instanceof ApiError && error.code === "signed_out") return;
        this.store.setTimeline(roomId, timeline.setPendingState(this.store.timelineOf(roomId), clientId, "failed"));
        this.showNotice(describeError(error));
      },
    );
  }

  retry(entry: timeline.Entry): void {
    const data = entry.client_id ? this.pendingData.get(entry.client_id) : undefined;
    if (!data || !entry.client_id) return;
    this.store.setTimeline(entry.room_id, timeline.setPendingState(this.store.timelineOf(entry.room_id), entry.client_id, "sending"));
    this.transmit(entry.room_id, entry.client_id, data);
  }

  discard(entry: timeline.Entry): void {
    if (!entry.client_id) return;
    this.connection.discard(entry.client_id);
    this.pendingData.delete(entry.client_id);
    this.store.setTimeline(entry.room_id, timeline.removePending(this.store.timelineOf(entry.room_id), entry.client_id));
  }

  toggleReaction(entry: timeline.Entry, emoji: string, pressed: boolean): void {
    const request = pressed
      ? this.api.delete(`/messages/${entry.id}/reactions/${encodeURIComponent(emoji)}`)
      : this.api.post(`/messages/${entry.id}/reactions`, { emoji });
    request.catch((error) => {
      if (!(error instanceof ApiError && (error.code === "reaction_exists" || error.status === 404))) this.showNotice(describeError(error));
    });
  }

  addReaction(entry: timeline.Entry, opener: HTMLElement): void {
    import("./ui/emoji-picker").then(({ openEmojiPicker }) => openEmojiPicker(opener, (emoji) => this.toggleReaction(entry, emoji, entry.reactions.some((r) => r.emoji === emoji && r.me))));
  }

  openThread(entry: timeline.Entry): void {
    location.hash = routeHash({ name: "thread", roomId: entry.room_id, rootId: entry.id });
  }

  closeThread(roomId: string): void {
    location.hash = routeHash({ name: "room", roomId, messageId: null });
  }

  async loadThread(_roomId: string, rootId: string): Promise<{ root: timeline.Entry; replies: timeline.Entry[] }> {
    const reply = await this.api.get<{ root: Message; messages: Message[] }>(`/messages/${rootId}/thread?limit=100`);
    return { root: reply.root, replies: reply.messages };
  }

  edit(entry: timeline.Entry): void {
    this.roomView?.editMessage(entry);
  }

  remove(entry: timeline.Entry): void {
    if (!window.confirm(t("app.deleteConfirm"))) return;
    this.api.delete(`/messages/${entry.id}`).catch((error) => this.showNotice(describeError(error)));
  }

  copyLink(entry: timeline.Entry): void {
    const link = `${location.origin}/${routeHash({ name: "room", roomId: entry.room_id, messageId: entry.id })}`;
    navigator.clipboard?.writeText(link).then(() => this.showNotice(t("common.linkCopied")), () => this.showNotice(link));
  }

  openProfile(userId: string): void {
    import("./ui/profile").then(({ openProfile }) =>
      openProfile(this.api, userId, this.store, {
        message: (user) => this.openDirect(user),
        blocked: (user, blocked) => this.showNotice(t(blocked ? "app.blocked" : "app.unblocked", { name: user.display_name })),
      }),
    );
  }

  invite(room: Room): void {
    inviteDialog(this.api, room);
  }

  leave(room: Room): void {
    if (!window.confirm(t("app.leaveConfirm", { room: roomTitle(room, this.store) }))) return;
    this.api.post(`/rooms/${room.id}/leave`).then(
      () => {
        this.store.setRooms(roomList.withoutRoom(this.store.rooms, room.id));
        location.hash = "#/";
      },
      (error) => this.showNotice(error instanceof ApiError && error.code === "owner_must_transfer" ? t("app.ownerMustTransfer") : describeError(error)),
    );
  }

  memberAction(room: Room, member: Member, action: MemberAction): void {
    const path = `/rooms/${room.id}`;
    const user = member.user;
    // Done: the list as the server has it now, and a word of what happened.
    const done = async () => {
      this.store.members.set(room.id, await this.allMembers(room.id));
      this.store.emit({ kind: "members", roomId: room.id });
      this.showNotice(t(memberActionDone[action], { name: user.display_name }));
    };
    if (action === "Mute") {
      muteDialog(user.display_name, async (seconds) => {
        await this.api.post(`${path}/members/${user.id}/mute`, { duration_seconds: seconds });
        await done();
      });
    } else if (action === "Ban") {
      banDialog(user.display_name, async (reason) => {
        await this.api.post(`${path}/bans`, reason ? { user_id: user.id, reason } : { user_id: user.id });
        await done();
      });
    } else {
      if (action === "Remove" && !window.confirm(t("app.removeConfirm", { name: user.display_name, room: roomTitle(room, this.store) }))) return;
      const request =
        action === "Make admin" || action === "Remove admin"
          ? this.api.patch(`${path}/members/${user.id}/role`, { role: action === "Make admin" ? "admin" : "member" })
          : action === "Unmute"
            ? this.api.delete(`${path}/members/${user.id}/mute`)
            : this.api.delete(`${path}/members/${user.id}`);
      request.then(done, (error) => this.showNotice(describeError(error)));
    }
  }

  roomSettings(room: Room): void {
    openRoomSettings({
      api: this.api,
      room: { ...room },
      me: this.store.me,
      members: () => this.store.members.get(room.id) ?? [],
      updated: (updated) => this.store.setRooms(roomList.withRoom(this.store.rooms, { ...this.store.room(room.id), ...updated })),
      deleted: () => {
        this.store.setRooms(roomList.withoutRoom(this.store.rooms, room.id));
        location.hash = "#/";
      },
    });
  }

  setNotificationLevel(room: Room, level: NotificationLevel): void {
    this.api.put<{ level: NotificationLevel }>(`/rooms/${room.id}/notifications`, { level }).then(
      () => {
        const current = this.store.room(room.id);
        if (current) this.store.setRooms(roomList.withRoom(this.store.rooms, { ...current, notification_level: level }));
        this.showNotice(t("app.levelSet", { room: roomTitle(room, this.store), level: t(`room.level.${level}`) }));
      },
      (error) => this.showNotice(describeError(error)),
    );
  }

  showPins(panel: HTMLElement, room: Room): void {
    void renderPins(panel, this.api, room.id, room.my_role === "owner" || room.my_role === "admin");
  }

  pin(entry: timeline.Entry, pinned: boolean): void {
    const request = pinned ? this.api.delete(`/rooms/${entry.room_id}/pins/${entry.id}`) : this.api.post(`/rooms/${entry.room_id}/pins`, { message_id: entry.id });
    request.catch((error) => this.showNotice(describeError(error)));
  }

  showReaders(entry: timeline.Entry): void {
    import("./ui/readers").then(({ openReaders }) => openReaders(this.api, entry.id));
  }

  report(entry: timeline.Entry): void {
    reportDialog(
      async (reason) => {
        await this.api.post(`/messages/${entry.id}/report`, { reason });
      },
      () => this.showNotice(t("moderation.reported")),
    );
  }

  playPong(room: Room): void {
    this.games.invite(room).catch((error) => this.showNotice(describeError(error)));
  }

  startCall(room: Room, kind: Call["kind"]): void {
    this.calls.start(room, kind).catch((error) => this.showNotice(describeCallError(error)));
  }

  joinCall(call: Call): void {
    this.calls.accept(call).catch((error) => this.showNotice(describeCallError(error)));
  }

  gameInvitation(entry: timeline.Entry): GameInvitation | undefined {
    return entry.game_id ? this.games.invitation(entry.game_id) : undefined;
  }

  answerInvitation(invitation: GameInvitation, answer: "accept" | "decline"): void {
    (answer === "accept" ? this.games.accept(invitation) : this.games.decline(invitation)).catch((error) => this.showNotice(describeError(error)));
  }
}

/// How many of the latest messages are kept for a room list that may not count them yet.
const recentMessagesKept = 200;

const memberActionDone: Record<MemberAction, MessageKey> = {
  "Make admin": "app.done.makeAdmin",
  "Remove admin": "app.done.removeAdmin",
  Remove: "app.done.remove",
  Mute: "app.done.mute",
  Unmute: "app.done.unmute",
  Ban: "app.done.ban",
};

function escapeHTML(text: string): string {
  const element = document.createElement("p");
  element.textContent = text;
  return element.outerHTML;
}
