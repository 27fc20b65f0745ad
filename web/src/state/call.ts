// What the call view works out from a call and from WebRTC's statistics, pure so it is tested
// on its own: who is in the call, whom it rings, the timer's text, and each connection's
// quality (good / fair / poor) from round-trip time, packet loss and bitrate.
import type { Call } from "../api/types";

export type CallQuality = "good" | "fair" | "poor";

/// The user ids in the call now (answered and not gone).
export function joinedIds(call: Call): string[] {
  return call.participants.filter((participant) => participant.state === "joined").map((participant) => participant.user_id);
}

/// Whether the call rings `userId` now.
export function ringsFor(call: Call, userId: string): boolean {
  return isLive(call) && call.participants.some((participant) => participant.user_id === userId && participant.state === "ringing");
}

export function isLive(call: Call): boolean {
  return call.status === "ringing" || call.status === "active";
}

/// The timer's text: "0:07", "12:30", "1:02:05".
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const [hours, minutes, rest] = [Math.floor(seconds / 3600), Math.floor((seconds % 3600) / 60), seconds % 60];
  const two = (value: number) => String(value).padStart(2, "0");
  return hours > 0 ? `${hours}:${two(minutes)}:${two(rest)}` : `${minutes}:${two(rest)}`;
}

/// What one connection's statistics said at one moment: the selected candidate pair's
/// round-trip time, and the totals received over it so far.
export interface StatsSample {
  at: number;
  roundTripSeconds: number | null;
  bytesReceived: number;
  packetsReceived: number;
  packetsLost: number;
}

/// Reads a sample from `RTCPeerConnection.getStats()`'s report.
export function sampleOf(report: Iterable<any>, at: number): StatsSample {
  const sample: StatsSample = { at, roundTripSeconds: null, bytesReceived: 0, packetsReceived: 0, packetsLost: 0 };
  for (const stat of report) {
    if (stat.type === "candidate-pair" && stat.nominated && stat.state === "succeeded" && typeof stat.currentRoundTripTime === "number") {
      sample.roundTripSeconds = stat.currentRoundTripTime;
    } else if (stat.type === "inbound-rtp") {
      sample.bytesReceived += stat.bytesReceived ?? 0;
      sample.packetsReceived += stat.packetsReceived ?? 0;
      sample.packetsLost += stat.packetsLost ?? 0;
    }
  }
  return sample;
}

/// The quality between two samples of one connection. Video wants more bitrate than voice;
/// a connection that received nothing in the interval is poor.
export function qualityBetween(before: StatsSample, after: StatsSample, video: boolean): CallQuality {
  const seconds = (after.at - before.at) / 1000;
  const received = after.packetsReceived - before.packetsReceived;
  const lost = Math.max(0, after.packetsLost - before.packetsLost);
  const lossRate = received + lost > 0 ? lost / (received + lost) : 1;
  const kilobitsPerSecond = seconds > 0 ? ((after.bytesReceived - before.bytesReceived) * 8) / 1000 / seconds : 0;
  const roundTrip = after.roundTripSeconds ?? 0;
  const [fairBitrate, poorBitrate] = video ? [150, 40] : [20, 6];
  if (received === 0 || lossRate > 0.1 || roundTrip > 0.5 || kilobitsPerSecond < poorBitrate) return "poor";
  if (lossRate > 0.03 || roundTrip > 0.2 || kilobitsPerSecond < fairBitrate) return "fair";
  return "good";
}
