import assert from "node:assert/strict";
import { test } from "node:test";
import type { ParleyNotification } from "../src/api/types";
import { applied, hashOf } from "../src/ui/notifications";

function notification(id: string, read = false): ParleyNotification {
  return {
    id, type: "mention", title: `t${id}`, content: "", room_id: "r", room_name: "r", room_type: "public", message_id: null, thread_id: null,
    actor: null, link: `/#/rooms/r?message=${id}`, created_at: "2026-12-01T00:00:00.000Z", expires_at: null, read, read_at: null,
  };
}

test("the open list follows every tab: new first, read marked, removed gone, nothing twice", () => {
  let items = [notification("1"), notification("2")];
  items = applied(items, { type: "notification", data: { notification: notification("3"), unread_count: 3 } });
  items = applied(items, { type: "notification", data: { notification: notification("3"), unread_count: 3 } });
  assert.deepEqual(items.map((item) => item.id), ["3", "1", "2"]);
  items = applied(items, { type: "notifications_read", data: { notification_ids: ["1", "3"], unread_count: 1 } });
  assert.deepEqual(items.map((item) => item.read), [true, true, false]);
  items = applied(items, { type: "notifications_removed", data: { notification_ids: ["2"], unread_count: 0 } });
  assert.deepEqual(items.map((item) => item.id), ["3", "1"]);
});

test("a notification's link opens as this app's route", () => {
  assert.equal(hashOf("/#/rooms/r?message=m"), "#/rooms/r?message=m");
  assert.equal(hashOf("#/settings"), "#/settings");
  assert.equal(hashOf("/elsewhere"), "#/");
});
