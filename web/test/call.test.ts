import assert from "node:assert/strict";
import { test } from "node:test";
import type { Call } from "../src/api/types";
import { formatDuration, isLive, joinedIds, qualityBetween, ringsFor, sampleOf, type StatsSample } from "../src/state/call";

function call(overrides: Partial<Call> = {}): Call {
  return {
    id: "c", room_id: "r", kind: "video", started_by: "alice", status: "ringing", created_at: "2026-12-07T10:00:00.000Z",
    ring_until: "2026-12-07T10:00:45.000Z", answered_at: null, ended_at: null, duration_seconds: null,
    participants: [
      { user_id: "alice", state: "joined", joined_at: "2026-12-07T10:00:00.000Z", left_at: null },
      { user_id: "bob", state: "ringing", joined_at: null, left_at: null },
      { user_id: "carol", state: "declined", joined_at: null, left_at: null },
    ],
    ...overrides,
  };
}

test("a live call rings whom it has not heard from, and says who is in it", () => {
  assert.deepEqual(joinedIds(call()), ["alice"]);
  assert.equal(ringsFor(call(), "bob"), true);
  assert.equal(ringsFor(call(), "carol"), false);
  assert.equal(ringsFor(call(), "alice"), false);
  assert.equal(ringsFor(call({ status: "missed" }), "bob"), false);
  assert.equal(isLive(call({ status: "active" })), true);
  assert.equal(isLive(call({ status: "ended" })), false);
});

test("the timer reads minutes and seconds, hours once there are any", () => {
  assert.equal(formatDuration(0), "0:00");
  assert.equal(formatDuration(7.9), "0:07");
  assert.equal(formatDuration(750), "12:30");
  assert.equal(formatDuration(3725), "1:02:05");
  assert.equal(formatDuration(-3), "0:00");
});

function sample(at: number, bytes: number, packets: number, lost: number, rtt: number | null = 0.02): StatsSample {
  return { at, roundTripSeconds: rtt, bytesReceived: bytes, packetsReceived: packets, packetsLost: lost };
}

test("quality comes from round-trip time, loss and bitrate between two samples", () => {
  const start = sample(0, 0, 0, 0);
  // 2 s of 1 Mbit/s video without loss on a 20 ms round trip.
  assert.equal(qualityBetween(start, sample(2000, 250_000, 200, 0), true), "good");
  // 5 % lost, or a 300 ms round trip: fair.
  assert.equal(qualityBetween(start, sample(2000, 250_000, 190, 10), true), "fair");
  assert.equal(qualityBetween(start, sample(2000, 250_000, 200, 0, 0.3), true), "fair");
  // 20 % lost, a 600 ms round trip, or nothing received: poor.
  assert.equal(qualityBetween(start, sample(2000, 250_000, 160, 40), true), "poor");
  assert.equal(qualityBetween(start, sample(2000, 250_000, 200, 0, 0.6), true), "poor");
  assert.equal(qualityBetween(start, sample(2000, 0, 0, 0), true), "poor");
  // 32 kbit/s is fine for a voice call, too thin for video.
  assert.equal(qualityBetween(start, sample(2000, 8_000, 100, 0), false), "good");
  assert.equal(qualityBetween(start, sample(2000, 8_000, 100, 0), true), "poor");
});

test("a sample adds up the inbound streams and takes the selected pair's round trip", () => {
  const report = [
    { type: "candidate-pair", nominated: false, state: "succeeded", currentRoundTripTime: 0.9 },
    { type: "candidate-pair", nominated: true, state: "succeeded", currentRoundTripTime: 0.012 },
    { type: "inbound-rtp", kind: "audio", bytesReceived: 1000, packetsReceived: 50, packetsLost: 1 },
    { type: "inbound-rtp", kind: "video", bytesReceived: 90_000, packetsReceived: 100, packetsLost: 2 },
    { type: "outbound-rtp", bytesSent: 5 },
  ];
  assert.deepEqual(sampleOf(report, 42), { at: 42, roundTripSeconds: 0.012, bytesReceived: 91_000, packetsReceived: 150, packetsLost: 3 });
});
