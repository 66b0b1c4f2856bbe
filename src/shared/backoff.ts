/**
 * When to try again after attempt `attempt` (1, 2, …) failed: exponential backoff from `baseMs`,
 * capped at `capMs`, with full jitter (a random time up to that ceiling), so jobs that failed
 * together while a server was down do not all return at once.
 */
export function retryAt(
  attempt: number,
  { baseMs, capMs }: { baseMs: number; capMs: number },
  now: number = Date.now(),
  random: () => number = Math.random,
): Date {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(Math.max(attempt, 1) - 1, 30));
  return new Date(now + Math.floor(random() * ceiling));
}
