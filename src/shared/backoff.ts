export interface BackoffPolicy {
  /** The ceiling of the first retry's delay; it doubles with every attempt. */
  baseMs: number;
  /** No delay is ever longer. */
  capMs: number;
}

/**
 * "Full jitter": a uniform delay between 0 and min(cap, base·2^(attempt−1)). Spreading retries over
 * the whole window keeps a finance system that just came back from being hit by every waiting job
 * at the same moment (the write-back, the e-mail and digital-letter outboxes). A wait the finance system asked for (`minimumMs`, from Retry-After or an
 * open circuit) is honoured, within the cap.
 */
export function backoffDelayMs(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
  minimumMs = 0,
): number {
  const exponent = Math.min(Math.max(attempt, 1) - 1, 30);
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** exponent);
  const jittered = Math.floor(random() * ceiling);
  return Math.min(policy.capMs, Math.max(jittered, minimumMs));
}
