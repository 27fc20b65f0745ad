import assert from "node:assert/strict";
import { test } from "node:test";
import type { Room } from "../src/api/types";
import { adjacentRoom, matchNames, sidebarOrder } from "../src/state/navigation";

function room(id: string, type: Room["type"], unread = 0): Room {
  return { id, name: id, description: null, type, created_by: "me", created_at: "", last_message_at: null, member_count: 2, has_password: false, unread_count: unread };
}

test("the keyboard goes through rooms in the sidebar's order, wrapping at the ends", () => {
  const order = sidebarOrder([room("d1", "direct"), room("p1", "public"), room("x1", "private", 3), room("p2", "public")]);
  assert.deepEqual(order.map((r) => r.id), ["p1", "p2", "x1", "d1"]);
  assert.equal(adjacentRoom(order, "p2", 1, false)?.id, "x1");
  assert.equal(adjacentRoom(order, "d1", 1, false)?.id, "p1");
  assert.equal(adjacentRoom(order, "p1", -1, false)?.id, "d1");
  assert.equal(adjacentRoom(order, null, 1, false)?.id, "p1");
  assert.equal(adjacentRoom(order, null, -1, false)?.id, "d1");
});

test("unread rooms only, skipping the read ones; none when nothing else is unread", () => {
  const order = [room("a", "public"), room("b", "public", 1), room("c", "public"), room("d", "public", 2)];
  assert.equal(adjacentRoom(order, "a", 1, true)?.id, "b");
  assert.equal(adjacentRoom(order, "b", 1, true)?.id, "d");
  assert.equal(adjacentRoom(order, "d", 1, true)?.id, "b");
  assert.equal(adjacentRoom(order, "b", -1, true)?.id, "d");
  assert.equal(adjacentRoom([room("a", "public", 1)], "a", 1, true), null);
});

test("the quick switcher ranks a name's start before a word's start before the middle, ignoring case and accents", () => {
  const names = ["Design review", "Release", "Général", "team-release", "Prerelease notes"];
  assert.deepEqual(matchNames(names, (n) => n, "rel"), ["Release", "team-release", "Prerelease notes"]);
  assert.deepEqual(matchNames(names, (n) => n, "GENE"), ["Général"]);
  assert.deepEqual(matchNames(names, (n) => n, "  "), names);
});
