/**
 * Delay before retry number `attempt` (1-based): exponential from `baseMs`, capped, with full
 * jitter so that many rows failing together (a platform outage) do not retry in lockstep.
 */
export function retryDelayMs(
  attempt: number,
  random: () => number = Math.random,
  baseMs = 1000,
  capMs = 5 * 60_000,
): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1))
  return Math.round(ceiling / 2 + random() * (ceiling / 2))
}
