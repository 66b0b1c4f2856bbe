import { FinanceNotFoundError, FinanceRejectedError, FinanceUnavailableError } from '../finance';
import type { DueDateChange } from '../finance';
import { backoffDelayMs, type BackoffPolicy } from '../shared/backoff';

/**
 * What became of one attempt; listeners (`WritebackWorker.onOutcome`) get it as is. `handed_over`:
 * the finance system has no write path, so the change waits for the finance team.
 */
export type WritebackOutcome =
  | { kind: 'done'; change: DueDateChange }
  | { kind: 'handed_over' }
  | { kind: 'retry'; error: string; nextAttemptAt: Date }
  | { kind: 'failed'; error: string };

/** A failure as the outbox sees it: a code safe to store and show officers, and whether to retry. */
export interface FailureClass {
  code: string;
  retryable: boolean;
  /** A wait the finance system asked for (Retry-After, open circuit). */
  retryAfterMs?: number;
}

export interface RetryPolicy extends BackoffPolicy {
  maxAttempts: number;
}

/**
 * Rejected and not found are final: the finance system understood and said no. Unavailable may
 * pass. A TypeError is the adapter refusing a malformed command before sending it, which no retry
 * mends. Anything else is unexpected and retried, so a passing fault (a dropped database
 * connection) does not fail a resident's approval; the attempt limit still ends a lasting one.
 * Error messages are never kept: finance systems and drivers may quote personal data in them.
 */
export function classifyFailure(error: unknown): FailureClass {
  if (error instanceof FinanceRejectedError) {
    return { code: `rejected:${safeCode(error.reasonCode)}`, retryable: false };
  }
  if (error instanceof FinanceNotFoundError) {
    return { code: `not-found:${error.resource}`, retryable: false };
  }
  if (error instanceof FinanceUnavailableError) {
    return {
      code: `unavailable:${error.reason}`,
      retryable: true,
      retryAfterMs:
        error.retryAfterSeconds === undefined ? undefined : error.retryAfterSeconds * 1000,
    };
  }
  if (error instanceof TypeError) return { code: 'invalid-command', retryable: false };
  const name = error instanceof Error ? error.name : typeof error;
  return { code: `unexpected:${safeCode(name)}`, retryable: true };
}

/**
 * The attempts that count toward the limit and the backoff: those since an officer last retried
 * the job (`retryBaseAttempts`), at least 1. `attempts` itself never goes back, so it stays the
 * claim's fencing token across retries.
 */
export function attemptsSinceRetry(job: { attempts: number; retryBaseAttempts: number }): number {
  return Math.max(job.attempts - job.retryBaseAttempts, 1);
}

/**
 * The outcome of a failed attempt (`attempt` counts from 1 since the job was queued or an officer
 * retried it): retry later, or give up for good.
 */
export function failureOutcome(
  error: unknown,
  attempt: number,
  policy: RetryPolicy,
  now: Date,
  random: () => number = Math.random,
): WritebackOutcome {
  const failure = classifyFailure(error);
  if (!failure.retryable || attempt >= policy.maxAttempts) {
    return { kind: 'failed', error: failure.code };
  }
  const delay = backoffDelayMs(attempt, policy, random, failure.retryAfterMs);
  return { kind: 'retry', error: failure.code, nextAttemptAt: new Date(now.getTime() + delay) };
}

function safeCode(value: string): string {
  return value.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 100) || 'unknown';
}
