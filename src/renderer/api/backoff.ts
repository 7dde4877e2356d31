// Reconnect delays: quick at first so a restarted server is picked up at once, then
// doubling up to a ceiling so a stopped server is not hammered. Jitter keeps several
// open tabs from reconnecting in lockstep.

export const FIRST_DELAY_MS = 250;
export const MAX_DELAY_MS = 10_000;

/** Delay before reconnect attempt `attempt` (1-based), jittered by ±20%. */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}
