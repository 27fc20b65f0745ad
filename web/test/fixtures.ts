// Messages and users for the state tests.
import type { Message, User } from "../src/api/types";

export function user(id: string, name = id): User {
  return { id, username: id, display_name: name, avatar_url: null, status: "online", status_message: null, created_at: "2026-01-01T00:00:00.000Z", last_seen_at: null };
}

let counter = 0;
/// A message; ids and times grow with each call unless given.
export function message(fields: Partial<Message> & { sender?: User | null } = {}): Message {
  counter += 1;
  const stamp = new Date(Date.UTC(2026, 11, 6, 8, 0, counter)).toISOString();
  return {
    id: `m${String(counter).padStart(6, "0")}`,
    room_id: "r1",
    sender: user("alice"),
    content: `message ${counter}`,
    content_html: `message ${counter}`,
    type: "text",
    parent_id: null,
    client_id: null,
    mention_ids: [],
    reply_count: 0,
    last_reply_at: null,
    created_at: stamp,
    edited_at: null,
    deleted: false,
    attachments: [],
    reactions: [],
    read_count: 0,
    ...fields,
  };
}
