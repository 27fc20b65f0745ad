// One room's main timeline: its root messages in chronological order (thread replies live in
// the thread panel and show here as the root's reply count), plus the viewer's own messages
// still on their way. Pure functions: each returns a new timeline and leaves the old one alone.
import type { Message, MessagePage, Reaction, User } from "../api/types";

/// A message as the timeline holds it; `local` marks the viewer's own message before the
/// server acknowledged it ("sending") or after sending failed ("failed").
export type Entry = Message & { local?: "sending" | "failed" };

export interface Timeline {
  entries: Entry[];
  /// Whether older messages exist than the first entry (a `before` page would find them).
  hasOlder: boolean;
  /// Thread replies already counted on their root: one arrives as the sender's acknowledgement
  /// and again as the room's event.
  countedReplies: ReadonlySet<string>;
}

export const emptyTimeline: Timeline = { entries: [], hasOlder: true, countedReplies: new Set() };

const isRoot = (message: Message) => message.parent_id === null;

function compare(a: Entry, b: Entry): number {
  // Own messages on their way stay after every confirmed one.
  if (!!a.local !== !!b.local) return a.local ? 1 : -1;
  if (a.created_at !== b.created_at) return a.created_at < b.created_at ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/// The room's newest page, replacing what was there (pending own messages are kept).
export function withNewestPage(timeline: Timeline, page: MessagePage): Timeline {
  const pending = timeline.entries.filter((entry) => entry.local);
  const confirmed = page.messages.filter(isRoot).filter((message) => !pending.some((p) => p.client_id && p.client_id === message.client_id));
  return { entries: [...confirmed, ...pending], hasOlder: page.has_more, countedReplies: new Set() };
}

/// A page of older messages, put before what is there.
export function withOlderPage(timeline: Timeline, page: MessagePage): Timeline {
  const known = new Set(timeline.entries.map((entry) => entry.id));
  const older = page.messages.filter((message) => isRoot(message) && !known.has(message.id));
  return { ...timeline, entries: [...older, ...timeline.entries], hasOlder: page.has_more };
}

/// A message created or updated: replaces the entry with its id, or the own pending entry with
/// its `client_id`, or takes its place in order. A reply counts on its root instead.
export function upsert(timeline: Timeline, message: Message): Timeline {
  if (!isRoot(message)) return withReply(timeline, message);
  const entries = timeline.entries.filter(
    (entry) => entry.id !== message.id && !(entry.local && message.client_id && entry.client_id === message.client_id),
  );
  const existing = timeline.entries.find((entry) => entry.id === message.id);
  // An update may come without the reply count the timeline already knows better.
  const merged: Entry = existing ? { ...message, reply_count: Math.max(message.reply_count, existing.reply_count) } : { ...message };
  let index = entries.length;
  while (index > 0 && compare(entries[index - 1], merged) > 0) index -= 1;
  entries.splice(index, 0, merged);
  return { ...timeline, entries };
}

function withReply(timeline: Timeline, reply: Message): Timeline {
  if (timeline.countedReplies.has(reply.id)) return timeline;
  const counted = mapEntry(timeline, reply.parent_id!, (root) => ({
    ...root,
    reply_count: root.reply_count + 1,
    last_reply_at: reply.created_at,
  }));
  return { ...counted, countedReplies: new Set([...timeline.countedReplies, reply.id]) };
}

export function addPending(timeline: Timeline, entry: Entry): Timeline {
  return { ...timeline, entries: [...timeline.entries, { ...entry, local: "sending" }] };
}

export function setPendingState(timeline: Timeline, clientId: string, state: "sending" | "failed"): Timeline {
  return {
    ...timeline,
    entries: timeline.entries.map((entry) => (entry.local && entry.client_id === clientId ? { ...entry, local: state } : entry)),
  };
}

export function removePending(timeline: Timeline, clientId: string): Timeline {
  return { ...timeline, entries: timeline.entries.filter((entry) => !(entry.local && entry.client_id === clientId)) };
}

export function markDeleted(timeline: Timeline, messageId: string): Timeline {
  return mapEntry(timeline, messageId, (entry) => ({
    ...entry,
    deleted: true,
    content: "",
    content_html: "",
    attachments: [],
    reactions: [],
  }));
}

/// A reaction added or removed by someone; `byViewer` says whether that someone is the viewer.
export function withReaction(timeline: Timeline, messageId: string, emoji: string, added: boolean, byViewer: boolean): Timeline {
  return mapEntry(timeline, messageId, (entry) => ({ ...entry, reactions: changeReactions(entry.reactions, emoji, added, byViewer) }));
}

export function changeReactions(reactions: Reaction[], emoji: string, added: boolean, byViewer: boolean): Reaction[] {
  const existing = reactions.find((reaction) => reaction.emoji === emoji);
  if (added) {
    if (existing && byViewer && existing.me) return reactions;
    if (!existing) return [...reactions, { emoji, count: 1, me: byViewer }];
    return reactions.map((r) => (r.emoji === emoji ? { emoji, count: r.count + 1, me: r.me || byViewer } : r));
  }
  if (!existing || (byViewer && !existing.me)) return reactions;
  if (existing.count <= 1) return reactions.filter((r) => r.emoji !== emoji);
  return reactions.map((r) => (r.emoji === emoji ? { emoji, count: r.count - 1, me: byViewer ? false : r.me } : r));
}

/// Someone read up to `messageId`: the viewer's own messages up to it count one more reader.
export function withReadBy(timeline: Timeline, messageId: string, readerId: string, viewerId: string, previousReadId: string | null): Timeline {
  if (readerId === viewerId) return timeline;
  const upTo = timeline.entries.findIndex((entry) => entry.id === messageId);
  if (upTo < 0) return timeline;
  const from = previousReadId ? timeline.entries.findIndex((entry) => entry.id === previousReadId) + 1 : 0;
  return {
    ...timeline,
    entries: timeline.entries.map((entry, index) =>
      index >= from && index <= upTo && entry.sender?.id === viewerId && !entry.local ? { ...entry, read_count: entry.read_count + 1 } : entry,
    ),
  };
}

function mapEntry(timeline: Timeline, id: string, change: (entry: Entry) => Entry): Timeline {
  const index = timeline.entries.findIndex((entry) => entry.id === id);
  if (index < 0) return timeline;
  const entries = timeline.entries.slice();
  entries[index] = change(entries[index]);
  return { ...timeline, entries };
}

/// A sender's new profile (a `user_updated`) on every message of theirs.
export function withSender(timeline: Timeline, user: User): Timeline {
  if (!timeline.entries.some((entry) => entry.sender?.id === user.id)) return timeline;
  return { ...timeline, entries: timeline.entries.map((entry) => (entry.sender?.id === user.id ? { ...entry, sender: user } : entry)) };
}

/// The last of the viewer's own messages that can still be edited (Up in an empty composer).
export function lastOwnEditable(timeline: Timeline, viewerId: string): Entry | null {
  for (let index = timeline.entries.length - 1; index >= 0; index -= 1) {
    const entry = timeline.entries[index];
    if (entry.sender?.id === viewerId && !entry.local && !entry.deleted && entry.type !== "system") return entry;
  }
  return null;
}
