// Everything the signed-in app shows, in one place, with a change feed the views listen to.
// Server frames are applied here (`applyFrame`); views never change state themselves.
import type { Frame, Member, Message, Presence, Room, User } from "../api/types";
import type { ConnectionStatus } from "../realtime/connection";
import * as rooms from "./rooms";
import * as timeline from "./timeline";
import { setTyping, type TypingState } from "./typing";

export type Change =
  | { kind: "rooms" }
  | { kind: "timeline"; roomId: string }
  /// Something in a thread of the room changed: the thread `rootId`, or some thread when null.
  | { kind: "thread"; roomId: string; rootId: string | null }
  | { kind: "members"; roomId: string }
  | { kind: "typing"; roomId: string }
  | { kind: "presence"; userId: string }
  | { kind: "status" }
  | { kind: "me" }
  /// The unread count changed; `frame` is the notification frame that changed it, if any.
  | { kind: "notifications"; frame?: Frame }
  | { kind: "removedFromRoom"; roomId: string }
  /// A message of the room was pinned or unpinned.
  | { kind: "pins"; roomId: string };

export class Store {
  rooms: Room[] = [];
  readonly timelines = new Map<string, timeline.Timeline>();
  readonly members = new Map<string, Member[]>();
  readonly presence = new Map<string, Presence>();
  /// Per room, the ids of its pinned messages (loaded with the room, then kept by frames).
  readonly pins = new Map<string, Set<string>>();
  /// Per room, per member: the last message they read (for "Read by N").
  readonly readPositions = new Map<string, Map<string, string>>();
  typing: TypingState = new Map();
  status: ConnectionStatus = "Connecting…";
  unreadNotifications = 0;
  /// The room on screen while the tab is visible: its messages are read as they come.
  readingRoomId: string | null = null;
  private readonly listeners = new Set<(change: Change) => void>();

  constructor(public me: User) {}

  listen(listener: (change: Change) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(change: Change): void {
    for (const listener of [...this.listeners]) listener(change);
  }

  timelineOf(roomId: string): timeline.Timeline {
    return this.timelines.get(roomId) ?? timeline.emptyTimeline;
  }

  setTimeline(roomId: string, next: timeline.Timeline): void {
    this.timelines.set(roomId, next);
    this.emit({ kind: "timeline", roomId });
  }

  setRooms(next: Room[]): void {
    this.rooms = next;
    this.emit({ kind: "rooms" });
  }

  room(roomId: string): Room | undefined {
    return this.rooms.find((room) => room.id === roomId);
  }

  /// A user as best known: from the members lists, else as the message carried them.
  user(userId: string): User | undefined {
    if (userId === this.me.id) return this.me;
    for (const list of this.members.values()) {
      const member = list.find((candidate) => candidate.user.id === userId);
      if (member) return member.user;
    }
    return undefined;
  }

  presenceOf(user: User): Presence {
    return this.presence.get(user.id) ?? user.status ?? "offline";
  }

  applyFrame(frame: Frame): void {
    const data = frame.data ?? {};
    switch (frame.type) {
      case "message_created":
      case "message_updated": {
        const message = data.message as Message;
        if (this.timelines.has(message.room_id)) this.setTimeline(message.room_id, timeline.upsert(this.timelineOf(message.room_id), message));
        if (message.parent_id !== null) this.emit({ kind: "thread", roomId: message.room_id, rootId: message.parent_id });
        if (frame.type === "message_created") {
          this.setRooms(rooms.withMessage(this.rooms, message, this.me.id, this.readingRoomId));
          if (message.parent_id === null && message.sender && message.sender.id !== this.me.id) {
            this.setTyping(message.room_id, message.sender.id, false);
            // Sending reads the room up to the new message (the server moves the sender's read
            // position without a message_read of its own).
            this.readUpTo(message.room_id, message.sender.id, message.id);
          }
        }
        break;
      }
      case "message_deleted":
        this.changeTimeline(data.room_id, (current) => timeline.markDeleted(current, data.message_id));
        this.emit({ kind: "thread", roomId: data.room_id, rootId: null });
        break;
      case "reaction_added":
      case "reaction_removed": {
        const roomId = data.room_id ?? this.roomOfMessage(data.message_id);
        if (roomId) {
          const byViewer = data.user?.id === this.me.id || data.user_id === this.me.id;
          this.changeTimeline(roomId, (current) => timeline.withReaction(current, data.message_id, data.emoji, frame.type === "reaction_added", byViewer));
        }
        if (data.room_id) this.emit({ kind: "thread", roomId: data.room_id, rootId: null });
        break;
      }
      case "user_typing":
        this.setTyping(data.room_id, data.user_id, data.typing !== false);
        break;
      case "presence_updated":
        this.presence.set(data.user_id, data.status);
        this.emit({ kind: "presence", userId: data.user_id });
        break;
      case "user_joined": {
        const list = this.members.get(data.room_id);
        if (list && !list.some((member) => member.user.id === data.user.id)) {
          this.members.set(data.room_id, [...list, { room_id: data.room_id, user: data.user, role: "member", joined_at: new Date().toISOString(), muted_until: null }]);
          this.emit({ kind: "members", roomId: data.room_id });
        }
        break;
      }
      case "user_left": {
        if (data.user_id === this.me.id) {
          this.lostRoom(data.room_id);
          break;
        }
        const list = this.members.get(data.room_id);
        if (list) {
          this.members.set(data.room_id, list.filter((member) => member.user.id !== data.user_id));
          this.emit({ kind: "members", roomId: data.room_id });
        }
        break;
      }
      case "room_updated": {
        // The viewer's own role, unread count and level are not in it: they stay as they were.
        const known = this.room(data.room_id);
        if (known) this.setRooms(rooms.withRoom(this.rooms, { ...known, ...(data.room as Room), my_role: known.my_role, unread_count: known.unread_count }));
        break;
      }
      case "room_deleted":
        if (this.room(data.room_id)) this.lostRoom(data.room_id);
        break;
      case "member_role_changed": {
        const list = this.members.get(data.room_id);
        if (list) {
          this.members.set(data.room_id, list.map((member) => (member.user.id === data.user_id ? { ...member, role: data.role } : member)));
          this.emit({ kind: "members", roomId: data.room_id });
        }
        const room = this.room(data.room_id);
        if (room && data.user_id === this.me.id) this.setRooms(rooms.withRoom(this.rooms, { ...room, my_role: data.role }));
        break;
      }
      case "message_pinned":
      case "message_unpinned": {
        const pinned = this.pins.get(data.room_id);
        if (pinned && frame.type === "message_pinned") pinned.add(data.message?.id);
        else if (pinned) pinned.delete(data.message_id);
        this.emit({ kind: "pins", roomId: data.room_id });
        break;
      }
      case "message_read":
        this.readUpTo(data.room_id, data.user_id, data.message_id);
        break;
      case "user_updated":
        this.applyProfile(data.user as User);
        break;
      case "notification":
      case "notifications_read":
      case "notifications_removed":
        if (typeof data.unread_count === "number") {
          this.unreadNotifications = data.unread_count;
          this.emit({ kind: "notifications", frame });
        }
        break;
    }
  }

  /// The viewer is no longer in the room (left, removed, banned, or it was deleted).
  private lostRoom(roomId: string): void {
    this.setRooms(rooms.withoutRoom(this.rooms, roomId));
    this.emit({ kind: "removedFromRoom", roomId });
  }

  /// What every member in `roomId` appears as now (a `get_presence` answer).
  setPresence(statuses: Record<string, Presence>): void {
    for (const [userId, status] of Object.entries(statuses)) {
      if (this.presence.get(userId) === status) continue;
      this.presence.set(userId, status);
      this.emit({ kind: "presence", userId });
    }
  }

  /// Someone's new display name, avatar or status message, everywhere it shows.
  private applyProfile(user: User): void {
    if (user.id === this.me.id) {
      this.me = { ...this.me, ...user };
      this.emit({ kind: "me" });
    }
    for (const [roomId, list] of this.members) {
      if (!list.some((member) => member.user.id === user.id)) continue;
      this.members.set(roomId, list.map((member) => (member.user.id === user.id ? { ...member, user } : member)));
      this.emit({ kind: "members", roomId });
      // An open thread shows their name too.
      this.emit({ kind: "thread", roomId, rootId: null });
    }
    for (const [roomId, current] of this.timelines) {
      const next = timeline.withSender(current, user);
      if (next !== current) this.setTimeline(roomId, next);
    }
  }

  /// `userId` read the room up to `messageId`: the viewer's messages up to there count them once.
  private readUpTo(roomId: string, userId: string, messageId: string): void {
    const positions = this.readPositions.get(roomId) ?? new Map<string, string>();
    const previous = positions.get(userId) ?? null;
    if (previous !== null && previous >= messageId) return;
    positions.set(userId, messageId);
    this.readPositions.set(roomId, positions);
    this.changeTimeline(roomId, (current) => timeline.withReadBy(current, messageId, userId, this.me.id, previous));
  }

  setTyping(roomId: string, userId: string, typing: boolean): void {
    if (userId === this.me.id) return;
    this.typing = setTyping(this.typing, roomId, userId, typing, Date.now());
    this.emit({ kind: "typing", roomId });
  }

  private changeTimeline(roomId: string, change: (current: timeline.Timeline) => timeline.Timeline): void {
    if (roomId && this.timelines.has(roomId)) this.setTimeline(roomId, change(this.timelineOf(roomId)));
  }

  private roomOfMessage(messageId: string): string | null {
    for (const [roomId, current] of this.timelines) {
      if (current.entries.some((entry) => entry.id === messageId)) return roomId;
    }
    return null;
  }
}
