import assert from "node:assert/strict";
import { test } from "node:test";
import type { GameInvitation, GameMatch, PongState } from "../src/api/types";
import { ballAt, canAnswer, directionFor, invitationStatus, scoreLine, sideOf } from "../src/state/pong";

const court = { width: 800, height: 600, paddle_width: 12, paddle_height: 100, paddle_inset: 24, ball_size: 12 };

function state(phase: PongState["phase"], ball: PongState["ball"]): PongState {
  const input = { direction: "none" as const, seq: 0, connected: true };
  return {
    match_id: "m", room_id: "r", tick: 1, sent_at: "2026-12-07T00:00:00.000Z", phase, ball,
    paddles: { left: 300, right: 300 }, score: { left: 0, right: 0 }, inputs: { left: input, right: input }, court,
  };
}

function invitation(overrides: Partial<GameInvitation> = {}): GameInvitation {
  return {
    id: "i", room_id: "r", game: "pong", inviter_id: "alice", invitee_id: "bob", status: "pending", created_at: "2026-12-07T10:00:00.000Z",
    expires_at: "2026-12-07T10:05:00.000Z", responded_at: null, match_id: null, ...overrides,
  };
}

test("the keys held steer the paddle: up, down, or neither when both or none", () => {
  assert.equal(directionFor(new Set()), "none");
  assert.equal(directionFor(new Set(["ArrowUp"])), "up");
  assert.equal(directionFor(new Set(["s"])), "down");
  assert.equal(directionFor(new Set(["W", "ArrowDown"])), "none");
});

test("between frames the ball goes on along its velocity, bounces off a wall, and stops short of a long gap", () => {
  const moving = state("playing", { x: 400, y: 300, vx: 360, vy: -120 });
  assert.deepEqual(ballAt(moving, 50), { x: 418, y: 294 });
  assert.deepEqual(ballAt(moving, 1000), ballAt(moving, 100), "no further than a tenth of a second");
  const nearTop = state("playing", { x: 400, y: 10, vx: 0, vy: -200 });
  assert.equal(ballAt(nearTop, 50).y, 12, "at 0 it would be past the top wall (radius 6): reflected to 12");
  assert.deepEqual(ballAt(state("serving", { x: 400, y: 300, vx: 0, vy: 0 }), 50), { x: 400, y: 300 }, "still while serving");
});

test("the score reads left player first", () => {
  assert.equal(scoreLine({ left: "Alice", right: "Bob" }, { left: 3, right: 1 }), "Alice 3 – 1 Bob");
});

test("an invitation is answered by whom it invites while it is pending and in time", () => {
  const now = new Date("2026-12-07T10:01:00.000Z");
  assert.equal(canAnswer(invitation(), "bob", now), true);
  assert.equal(canAnswer(invitation(), "alice", now), false, "not by its sender");
  assert.equal(canAnswer(invitation(), "carol", now), false, "not by someone it does not name");
  assert.equal(canAnswer(invitation({ invitee_id: null }), "carol", now), true, "an open one by anyone else");
  assert.equal(canAnswer(invitation({ status: "accepted" }), "bob", now), false);
  const late = new Date("2026-12-07T10:05:00.000Z");
  assert.equal(canAnswer(invitation(), "bob", late), false);
  assert.equal(invitationStatus(invitation(), late), "expired");
  assert.equal(invitationStatus(invitation({ status: "declined" }), late), "declined");
});

test("a player's side, or none for a spectator", () => {
  const match = { players: { left: "alice", right: "bob" } } as GameMatch;
  assert.equal(sideOf(match, "alice"), "left");
  assert.equal(sideOf(match, "bob"), "right");
  assert.equal(sideOf(match, "carol"), null);
});
