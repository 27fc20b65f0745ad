// Reconnection delays: exponential from `base`, capped, with "full jitter" on the upper half so
// that clients cut off together do not all come back in the same instant.

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

export const defaultBackoff: BackoffPolicy = { baseMs: 500, maxMs: 30_000 };

/// The wait before reconnection attempt `attempt` (0 for the first), given a random number in [0, 1).
export function reconnectDelay(attempt: number, random: number, policy: BackoffPolicy = defaultBackoff): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}
