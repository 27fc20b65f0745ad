import assert from "node:assert/strict";
import { test } from "node:test";
import * as timeline from "../src/state/timeline";
import { message, user } from "./fixtures";

const page = (messages: ReturnType<typeof message>[], hasMore = false) => ({ messages, has_more: hasMore });

test("the newest page keeps root messages only; replies count on their roots", () => {
  const root = message();
  const reply = message({ parent_id: root.id });
  const current = timeline.withNewestPage(timeline.emptyTimeline, page([root, reply], true));
  assert.deepEqual(current.entries.map((e) => e.id), [root.id]);
  assert.equal(current.hasOlder, true);
});

test("an older page goes before, without duplicates", () => {
  const [a, b, c] = [message(), message(), message()];
  const current = timeline.withOlderPage(timeline.withNewestPage(timeline.emptyTimeline, page([b, c])), page([a, b]));
  assert.deepEqual(current.entries.map((e) => e.id), [a.id, b.id, c.id]);
  assert.equal(current.hasOlder, false);
});

test("the server's copy replaces the pending one with the same client_id, once", () => {
  const pending = { ...message({ id: "local-x", client_id: "x" }) };
  let current = timeline.addPending(timeline.withNewestPage(timeline.emptyTimeline, page([message()])), pending);
  assert.equal(current.entries.at(-1)?.local, "sending");
  const confirmed = message({ client_id: "x" });
  current = timeline.upsert(current, confirmed); // the acknowledgement
  current = timeline.upsert(current, confirmed); // the room's event for the same message
  assert.equal(current.entries.length, 2);
  assert.equal(current.entries.at(-1)?.id, confirmed.id);
  assert.equal(current.entries.at(-1)?.local, undefined);
});

test("pending messages stay after confirmed ones, whatever their clocks say", () => {
  const later = message();
  const pending = { ...message({ id: "local-y", client_id: "y", created_at: "2000-01-01T00:00:00.000Z" }) };
  let current = timeline.addPending(timeline.emptyTimeline, pending);
  current = timeline.upsert(current, later);
  assert.deepEqual(current.entries.map((e) => e.id), [later.id, "local-y"]);
  current = timeline.setPendingState(current, "y", "failed");
  assert.equal(current.entries.at(-1)?.local, "failed");
  assert.deepEqual(timeline.removePending(current, "y").entries.map((e) => e.id), [later.id]);
});

test("a message arriving late takes its place in time", () => {
  const [a, b, c] = [message(), message(), message()];
  const current = timeline.upsert(timeline.withNewestPage(timeline.emptyTimeline, page([a, c])), b);
  assert.deepEqual(current.entries.map((e) => e.id), [a.id, b.id, c.id]);
});

test("a reply counts once on its root, however often it arrives", () => {
  const root = message();
  const reply = message({ parent_id: root.id });
  let current = timeline.withNewestPage(timeline.emptyTimeline, page([root]));
  current = timeline.upsert(timeline.upsert(current, reply), reply);
  assert.equal(current.entries[0].reply_count, 1);
  assert.equal(current.entries[0].last_reply_at, reply.created_at);
  // An edit of the root without the count keeps the count known here.
  current = timeline.upsert(current, { ...root, content: "edited", reply_count: 0 });
  assert.equal(current.entries[0].reply_count, 1);
});

test("a deletion leaves a placeholder without content, attachments or reactions", () => {
  const gone = message({ reactions: [{ emoji: "👍", count: 1, me: true }] });
  const current = timeline.markDeleted(timeline.withNewestPage(timeline.emptyTimeline, page([gone])), gone.id);
  assert.equal(current.entries[0].deleted, true);
  assert.equal(current.entries[0].content_html, "");
  assert.deepEqual(current.entries[0].reactions, []);
});

test("reactions count up and down, and know which is the viewer's", () => {
  let reactions = timeline.changeReactions([], "👍", true, false);
  assert.deepEqual(reactions, [{ emoji: "👍", count: 1, me: false }]);
  reactions = timeline.changeReactions(reactions, "👍", true, true);
  assert.deepEqual(reactions, [{ emoji: "👍", count: 2, me: true }]);
  assert.deepEqual(timeline.changeReactions(reactions, "👍", true, true), reactions, "the viewer's own again changes nothing");
  reactions = timeline.changeReactions(reactions, "👍", false, true);
  assert.deepEqual(reactions, [{ emoji: "👍", count: 1, me: false }]);
  assert.deepEqual(timeline.changeReactions(reactions, "👍", false, false), []);
});

test("a read mark counts once more on the viewer's messages up to it, from the reader's last mark", () => {
  const me = user("me");
  const [a, b, c] = [message({ sender: me }), message({ sender: user("bob") }), message({ sender: me })];
  let current = timeline.withNewestPage(timeline.emptyTimeline, page([a, b, c]));
  current = timeline.withReadBy(current, b.id, "bob", "me", null);
  assert.deepEqual(current.entries.map((e) => e.read_count), [1, 0, 0]);
  current = timeline.withReadBy(current, c.id, "bob", "me", b.id);
  assert.deepEqual(current.entries.map((e) => e.read_count), [1, 0, 1]);
  assert.equal(timeline.withReadBy(current, c.id, "me", "me", null), current, "the viewer's own reading changes nothing");
});

test("Up edits the viewer's last message that is not pending, deleted or a system message", () => {
  const me = user("me");
  const mine = message({ sender: me });
  const current = timeline.addPending(
    timeline.withNewestPage(timeline.emptyTimeline, page([mine, message({ sender: me, deleted: true }), message({ sender: null, type: "system" })])),
    message({ sender: me, id: "local-z", client_id: "z" }),
  );
  assert.equal(timeline.lastOwnEditable(current, "me")?.id, mine.id);
});
