// The room list: the viewer's rooms, most recent activity first, with unread counts.
import type { Message, Room } from "../api/types";

function activity(room: Room): string {
  return room.last_message_at ?? room.created_at;
}

export function sortRooms(rooms: Room[]): Room[] {
  return rooms.slice().sort((a, b) => (activity(a) < activity(b) ? 1 : activity(a) > activity(b) ? -1 : a.name.localeCompare(b.name)));
}

/// A new message somewhere: its room moves up, and counts as unread unless the viewer sent it,
/// it is a system message or a thread reply, or the viewer is reading that room right now. A
/// message no newer than the room's last activity changes nothing: the list, read from the
/// server, counted it already (rooms hears of a message by an event of its own, so a list can be
/// ahead of the frames, or behind them).
export function withMessage(rooms: Room[], message: Message, viewerId: string, readingRoomId: string | null): Room[] {
  const room = rooms.find((candidate) => candidate.id === message.room_id);
  if (!room || (room.last_message_at !== null && Date.parse(message.created_at) <= Date.parse(room.last_message_at))) return rooms;
  const counts = message.sender?.id !== viewerId && message.type !== "system" && message.parent_id === null && readingRoomId !== message.room_id;
  return sortRooms([
    ...rooms.filter((candidate) => candidate !== room),
    { ...room, last_message_at: message.created_at, unread_count: (room.unread_count ?? 0) + (counts ? 1 : 0) },
  ]);
}

/// A room list read from the server, with the latest messages (oldest first) it does not count
/// yet counted on top.
export function withUncounted(rooms: Room[], recent: Message[], viewerId: string, readingRoomId: string | null): Room[] {
  return recent.reduce((list, message) => withMessage(list, message, viewerId, readingRoomId), rooms);
}

/// The room read: no unread count. The same list when there was none.
export function withRead(rooms: Room[], roomId: string): Room[] {
  if (!rooms.some((room) => room.id === roomId && room.unread_count)) return rooms;
  return rooms.map((room) => (room.id === roomId ? { ...room, unread_count: 0 } : room));
}

export function withRoom(rooms: Room[], room: Room): Room[] {
  const existing = rooms.find((candidate) => candidate.id === room.id);
  return sortRooms([...rooms.filter((candidate) => candidate.id !== room.id), { ...existing, ...room, unread_count: room.unread_count ?? existing?.unread_count ?? 0 }]);
}

export function withoutRoom(rooms: Room[], roomId: string): Room[] {
  return rooms.filter((room) => room.id !== roomId);
}
