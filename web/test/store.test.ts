import assert from "node:assert/strict";
import { test } from "node:test";
import type { Change } from "../src/state/store";
import { Store } from "../src/state/store";
import * as timeline from "../src/state/timeline";
import { message, user } from "./fixtures";

function storeWithRoom() {
  const store = new Store(user("me", "Me"));
  const bob = user("bob", "Bob");
  store.members.set("r1", [{ room_id: "r1", user: bob, role: "member", joined_at: "", muted_until: null }]);
  store.timelines.set("r1", timeline.withNewestPage(timeline.emptyTimeline, { messages: [message({ sender: bob })], has_more: false }));
  store.rooms = [{ id: "r1", name: "r1", description: null, type: "public", created_by: "me", created_at: "", last_message_at: null, member_count: 2, has_password: false, unread_count: 0 }];
  const changes: Change[] = [];
  store.listen((change) => changes.push(change));
  return { store, changes };
}

test("a new message in the list's room counts unread and lands in the loaded timeline", () => {
  const { store, changes } = storeWithRoom();
  const incoming = message({ sender: user("bob", "Bob") });
  store.applyFrame({ type: "message_created", event_id: "7", data: { room_id: "r1", message: incoming } });
  assert.equal(store.timelineOf("r1").entries.at(-1)?.id, incoming.id);
  assert.equal(store.room("r1")?.unread_count, 1);
  assert.ok(changes.some((change) => change.kind === "timeline") && changes.some((change) => change.kind === "rooms"));
});

test("a profile change shows on the members list and on every message of that person", () => {
  const { store, changes } = storeWithRoom();
  store.applyFrame({ type: "user_updated", data: { user: user("bob", "Robert") } });
  assert.equal(store.members.get("r1")?.[0].user.display_name, "Robert");
  assert.equal(store.timelineOf("r1").entries[0].sender?.display_name, "Robert");
  assert.deepEqual(changes.map((change) => change.kind), ["members", "thread", "timeline"]);
  store.applyFrame({ type: "user_updated", data: { user: user("me", "New me") } });
  assert.equal(store.me.display_name, "New me");
});

test("presence comes from a snapshot, then from changes, and falls back to offline", () => {
  const { store } = storeWithRoom();
  const bob = user("bob", "Bob");
  store.setPresence({ bob: "away", me: "online" });
  assert.equal(store.presenceOf(bob), "away");
  store.applyFrame({ type: "presence_updated", data: { user_id: "bob", status: "offline" } });
  assert.equal(store.presenceOf(bob), "offline");
});

test("typing shows for others only, and a message from the typist ends it", () => {
  const { store } = storeWithRoom();
  store.applyFrame({ type: "user_typing", data: { room_id: "r1", user_id: "bob", typing: true } });
  store.applyFrame({ type: "user_typing", data: { room_id: "r1", user_id: "me", typing: true } });
  assert.deepEqual([...(store.typing.get("r1")?.keys() ?? [])], ["bob"]);
  store.applyFrame({ type: "message_created", data: { room_id: "r1", message: message({ sender: user("bob") }) } });
  assert.deepEqual([...(store.typing.get("r1")?.keys() ?? [])], []);
});

test("being removed from a room takes it off the list and says so", () => {
  const { store, changes } = storeWithRoom();
  store.applyFrame({ type: "user_left", data: { room_id: "r1", user_id: "me" } });
  assert.equal(store.room("r1"), undefined);
  assert.ok(changes.some((change) => change.kind === "removedFromRoom"));
});

test("someone's message counts as their reading of everything before it, once", () => {
  const { store } = storeWithRoom();
  const mine = message({ sender: store.me });
  store.applyFrame({ type: "message_created", data: { room_id: "r1", message: mine } });
  const answer = message({ sender: user("bob", "Bob") });
  store.applyFrame({ type: "message_created", data: { room_id: "r1", message: answer } });
  assert.equal(store.timelineOf("r1").entries.find((e) => e.id === mine.id)?.read_count, 1);
  // Bob's later read mark of the same stretch changes nothing.
  store.applyFrame({ type: "message_read", data: { room_id: "r1", user_id: "bob", message_id: answer.id } });
  assert.equal(store.timelineOf("r1").entries.find((e) => e.id === mine.id)?.read_count, 1);
});

test("room changes from its admins show for every member, keeping the viewer's own role and unread count", () => {
  const { store, changes } = storeWithRoom();
  store.rooms = [{ ...store.rooms[0], my_role: "member", unread_count: 2 }];
  store.applyFrame({ type: "room_updated", data: { room_id: "r1", room: { ...store.rooms[0], name: "renamed", my_role: undefined, unread_count: undefined } } });
  assert.equal(store.room("r1")?.name, "renamed");
  assert.equal(store.room("r1")?.my_role, "member");
  assert.equal(store.room("r1")?.unread_count, 2);
  store.applyFrame({ type: "member_role_changed", data: { room_id: "r1", user_id: "me", role: "admin" } });
  store.applyFrame({ type: "member_role_changed", data: { room_id: "r1", user_id: "bob", role: "owner" } });
  assert.equal(store.room("r1")?.my_role, "admin");
  assert.equal(store.members.get("r1")?.[0].role, "owner");
  store.pins.set("r1", new Set());
  const pinned = message({});
  store.applyFrame({ type: "message_pinned", data: { room_id: "r1", message: pinned } });
  assert.ok(changes.some((change) => change.kind === "pins" && change.roomId === "r1"));
  assert.ok(store.pins.get("r1")?.has(pinned.id));
  store.applyFrame({ type: "message_unpinned", data: { room_id: "r1", message_id: pinned.id } });
  assert.equal(store.pins.get("r1")?.size, 0);
  store.applyFrame({ type: "room_deleted", data: { room_id: "r1" } });
  assert.equal(store.room("r1"), undefined);
  assert.ok(changes.some((change) => change.kind === "removedFromRoom"));
});
