import {
  BrokenCircuitError,
  circuitBreaker,
  CircuitBreakerPolicy,
  ConsecutiveBreaker,
  ExponentialBackoff,
  handleWhen,
  retry,
  RetryPolicy,
} from 'cockatiel';
import { FinanceUnavailableError, type FinanceUnavailableReason } from './finance.errors';

export interface ResilienceOptions {
  /** Retries after the first try, for GETs and keyed PUTs. */
  retries: number;
  /** First backoff delay; it grows exponentially with jitter up to `maxBackoffMs`. */
  initialBackoffMs: number;
  maxBackoffMs: number;
  /** Consecutive failed calls that open a circuit (a base URL's reads or its writes). */
  breakerThreshold: number;
  /** How long an open circuit fails fast before one trial call may pass. */
  halfOpenAfterMs: number;
}

/** Failures that say something about the finance system's health; 4xx answers say nothing. */
const BREAKING: ReadonlySet<FinanceUnavailableReason> = new Set([
  'timeout',
  'network',
  'server-error',
  'bad-response',
]);
/** Failures that another try may cure soon. A malformed answer is not among them: it would repeat. */
const RETRYABLE: ReadonlySet<FinanceUnavailableReason> = new Set([
  'timeout',
  'network',
  'server-error',
]);

/**
 * One circuit per base URL for reads and one for writes: a finance system that refuses only
 * writes must not stop residents' decisions, which only read (and vice versa).
 */
export interface FinanceCircuit {
  baseUrl: string;
  kind: 'read' | 'write';
}

/**
 * Retry outside, breaker inside: every try counts toward the breaker, and once it opens the
 * remaining tries stop at once instead of waiting out their backoff.
 */
export class FinanceResilience {
  private readonly breakers = new Map<string, CircuitBreakerPolicy>();
  private readonly retryPolicy: RetryPolicy;

  constructor(private readonly options: ResilienceOptions) {
    this.retryPolicy = retry(
      // A server that named a wait (Retry-After) is not hammered again within this call.
      handleWhen((e) => isUnavailable(e, RETRYABLE) && e.retryAfterSeconds === undefined),
      {
        maxAttempts: options.retries,
        backoff: new ExponentialBackoff({
          initialDelay: options.initialBackoffMs,
          maxDelay: options.maxBackoffMs,
        }),
      },
    );
  }

  async execute<T>(
    circuit: FinanceCircuit,
    retryable: boolean,
    attempt: () => Promise<T>,
  ): Promise<T> {
    const breaker = this.breakerFor(circuit);
    const once = () => breaker.execute(attempt);
    try {
      return await (retryable ? this.retryPolicy.execute(once) : once());
    } catch (error) {
      if (error instanceof BrokenCircuitError) {
        throw new FinanceUnavailableError(
          'circuit-open',
          'The finance system failed repeatedly; calls are paused',
          Math.ceil(this.options.halfOpenAfterMs / 1000),
          { cause: error },
        );
      }
      throw error;
    }
  }

  private breakerFor({ baseUrl, kind }: FinanceCircuit): CircuitBreakerPolicy {
    const key = `${baseUrl} ${kind}`;
    let breaker = this.breakers.get(key);
    if (!breaker) {
      breaker = circuitBreaker(
        handleWhen((e) => isUnavailable(e, BREAKING)),
        {
          halfOpenAfter: this.options.halfOpenAfterMs,
          breaker: new ConsecutiveBreaker(this.options.breakerThreshold),
        },
      );
      this.breakers.set(key, breaker);
    }
    return breaker;
  }
}

function isUnavailable(
  error: Error,
  reasons: ReadonlySet<FinanceUnavailableReason>,
): error is FinanceUnavailableError {
  return error instanceof FinanceUnavailableError && reasons.has(error.reason);
}
