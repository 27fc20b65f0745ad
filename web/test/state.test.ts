import assert from "node:assert/strict";
import { test } from "node:test";
import type { Room } from "../src/api/types";
import { reconnectDelay } from "../src/realtime/backoff";
import * as rooms from "../src/state/rooms";
import { setTyping, typingText, typists } from "../src/state/typing";
import { newerRange, newestRange, olderRange, rangeAround, shifted } from "../src/state/window";
import { isPublicRoute, parseRoute, routeHash } from "../src/ui/routes";
import { message, user } from "./fixtures";

function room(id: string, last: string | null, unread = 0): Room {
  return { id, name: id, description: null, type: "public", created_by: "x", created_at: "2026-01-01T00:00:00.000Z", last_message_at: last, member_count: 2, has_password: false, unread_count: unread };
}

test("rooms are listed by last activity, and a message moves its room up and counts unread", () => {
  const list = rooms.sortRooms([room("a", "2026-12-01T00:00:00.000Z"), room("b", "2026-12-05T00:00:00.000Z")]);
  assert.deepEqual(list.map((r) => r.id), ["b", "a"]);
  const incoming = message({ room_id: "a", sender: user("bob") });
  const after = rooms.withMessage(list, incoming, "me", null);
  assert.deepEqual(after.map((r) => [r.id, r.unread_count]), [["a", 1], ["b", 0]]);
  assert.equal(rooms.withMessage(list, incoming, "me", "a")[0].unread_count, 0, "not while reading that room");
  assert.equal(rooms.withMessage(list, { ...incoming, sender: user("me") }, "me", null)[0].unread_count, 0, "not one's own");
  assert.equal(rooms.withMessage(list, { ...incoming, sender: null, type: "system" }, "me", null)[0].unread_count, 0, "not a system message");
  assert.equal(rooms.withRead(after, "a")[0].unread_count, 0);
  assert.equal(rooms.withMessage(after, incoming, "me", null), after, "a message counted already (its frame came after the list)");
});

test("a room list read before rooms counted the latest messages gets them counted on top, once", () => {
  const seen = message({ id: "m1", room_id: "a", sender: user("bob"), created_at: "2026-12-06T10:00:00.000Z" });
  const unseen = message({ id: "m2", room_id: "a", sender: user("bob"), created_at: "2026-12-06T10:00:01.000Z" });
  const elsewhere = message({ id: "m3", room_id: "gone", sender: user("bob"), created_at: "2026-12-06T10:00:02.000Z" });
  const fetched = [room("a", seen.created_at, 1), room("b", "2026-12-06T09:00:00.000Z")];
  const list = rooms.withUncounted(fetched, [seen, unseen, unseen, elsewhere], "me", null);
  assert.deepEqual(list.map((r) => [r.id, r.unread_count, r.last_message_at]), [["a", 2, unseen.created_at], ["b", 0, "2026-12-06T09:00:00.000Z"]]);
  assert.deepEqual(rooms.withUncounted(fetched, [seen], "me", null), fetched, "a list that saw them all stays as it is");
  assert.deepEqual(rooms.withUncounted([room("b", null)], [unseen], "me", null), [room("b", null)], "a room not in the list is not made up");
  assert.equal(rooms.withUncounted([room("a", null)], [unseen], "me", null)[0].unread_count, 1, "a room without messages yet");
});

test("typing indicators start, stop, and fade on their own", () => {
  let state = setTyping(new Map(), "r", "bob", true, 1_000);
  state = setTyping(state, "r", "carol", true, 1_000);
  assert.deepEqual(typists(state, "r", 2_000), ["bob", "carol"]);
  assert.deepEqual(typists(setTyping(state, "r", "bob", false, 2_000), "r", 2_000), ["carol"]);
  assert.deepEqual(typists(state, "r", 10_000), [], "expired without a stop");
  assert.equal(typingText([]), "");
  assert.equal(typingText(["Bob"]), "Bob is typing…");
  assert.equal(typingText(["Bob", "Carol"]), "Bob and Carol are typing…");
  assert.equal(typingText(["Bob", "Carol", "Dan"]), "Several people are typing…");
});

test("the DOM window slides by steps and never leaves the timeline", () => {
  assert.deepEqual(newestRange(10_000, 120), { start: 9_880, end: 10_000 });
  assert.deepEqual(newestRange(30, 120), { start: 0, end: 30 });
  assert.deepEqual(olderRange({ start: 9_880, end: 10_000 }, 10_000, 120, 40), { start: 9_840, end: 9_960 });
  assert.deepEqual(olderRange({ start: 20, end: 140 }, 10_000, 120, 40), { start: 0, end: 120 });
  assert.deepEqual(newerRange({ start: 9_840, end: 9_960 }, 10_000, 120, 40), { start: 9_880, end: 10_000 });
  assert.deepEqual(shifted({ start: 0, end: 120 }, 50), { start: 50, end: 170 });
  assert.deepEqual(rangeAround(500, 10_000, 120), { start: 440, end: 560 });
  assert.deepEqual(rangeAround(3, 10_000, 120), { start: 0, end: 120 });
  assert.deepEqual(rangeAround(9_999, 10_000, 120), { start: 9_880, end: 10_000 });
});

test("reconnection waits grow exponentially, jittered, up to the cap", () => {
  assert.equal(reconnectDelay(0, 0), 250);
  assert.equal(reconnectDelay(0, 0.999), 500);
  assert.equal(reconnectDelay(3, 0), 2_000);
  assert.equal(reconnectDelay(20, 0.5), 22_500);
  assert.ok(reconnectDelay(1_000, 1) <= 30_000);
});

test("routes parse and print both ways", () => {
  assert.deepEqual(parseRoute("#/rooms/abc?message=m1"), { name: "room", roomId: "abc", messageId: "m1" });
  assert.deepEqual(parseRoute("#/rooms/abc/threads/t1"), { name: "thread", roomId: "abc", rootId: "t1" });
  assert.deepEqual(parseRoute("#/invite/XyZ12"), { name: "invite", code: "XyZ12" });
  assert.deepEqual(parseRoute("#/search?q=hello%20world"), { name: "search", query: "hello world" });
  assert.deepEqual(parseRoute(""), { name: "home" });
  assert.deepEqual(parseRoute("#/nowhere/at/all"), { name: "notFound" });
  for (const hash of ["#/rooms/abc?message=m1", "#/rooms/abc/threads/t1", "#/invite/XyZ12", "#/login", "#/settings"]) {
    assert.equal(routeHash(parseRoute(hash)), hash);
  }
  assert.ok(isPublicRoute(parseRoute("#/register")));
  assert.ok(!isPublicRoute(parseRoute("#/rooms/abc")));
});

test("@ autocompletion finds the word being typed and the members it names", async () => {
  const { mentionQuery, matchMembers } = await import("../src/ui/mentions");
  assert.deepEqual(mentionQuery("hello @bo", 9), { start: 6, query: "bo" });
  assert.deepEqual(mentionQuery("@", 1), { start: 0, query: "" });
  assert.equal(mentionQuery("mail me at a@bo", 15), null, "not inside a word");
  assert.equal(mentionQuery("@bob and more", 13), null, "only just before the caret");
  const people = [user("bob", "Bob Stone"), user("rob", "Robert"), user("alice", "Alice Bobbins")];
  assert.deepEqual(matchMembers(people, "bo").map((u) => u.id), ["bob", "alice"]);
  assert.deepEqual(matchMembers(people, "ro").map((u) => u.id), ["rob"]);
  assert.deepEqual(matchMembers(people, "").map((u) => u.id), ["alice", "bob", "rob"]);
});
