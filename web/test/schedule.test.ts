import assert from "node:assert/strict";
import { test } from "node:test";
import { inAnHour, localInputValue } from "../src/state/schedule";

test("the time input shows local time to the second", () => {
  assert.equal(localInputValue(new Date(2026, 11, 8, 9, 5, 7)), "2026-12-08T09:05:07");
  assert.equal(new Date(localInputValue(new Date(2026, 0, 2, 23, 59, 0))).getTime(), new Date(2026, 0, 2, 23, 59, 0).getTime());
});

test("Send later offers the first full hour at least an hour away", () => {
  assert.deepEqual(inAnHour(new Date(2026, 11, 8, 9, 20)), new Date(2026, 11, 8, 11, 0));
  assert.deepEqual(inAnHour(new Date(2026, 11, 8, 9, 0)), new Date(2026, 11, 8, 10, 0));
  assert.deepEqual(inAnHour(new Date(2026, 11, 8, 23, 30)), new Date(2026, 11, 9, 1, 0));
});
