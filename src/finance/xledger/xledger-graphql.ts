import { setTimeout as sleep } from 'node:timers/promises';
import { FinanceRejectedError, FinanceUnavailableError } from '../finance.errors';
import { FinanceResilience, type ResilienceOptions } from '../http-finance-resilience';
import {
  asFinanceError,
  readText,
  retryAfterSeconds,
  type FinanceLogger,
} from '../http-finance-transport';
import { redactIdentityNumbers } from '../../shared/national-identity-number';

export interface XledgerCall {
  endpoint: string;
  token: string;
  /** One circuit per municipality: Xledger is one endpoint for every entity. */
  circuit: string;
  /** Names the call in logs, e.g. `arTransactions fjordvik`; never holds an identity number. */
  label: string;
  kind: 'read' | 'write';
  query: string;
  variables: Record<string, unknown>;
}

export interface XledgerTransportOptions extends ResilienceOptions {
  readTimeoutMs: number;
  writeTimeoutMs: number;
  maxBodyBytes: number;
  /** How many burst or concurrency limits one call waits out before failing as rate-limited. */
  burstWaits: number;
  /** The first wait after a burst limit; each further one doubles. Xledger names no wait. */
  burstBackoffMs: number;
  sleep?: (ms: number) => Promise<unknown>;
}

/** Xledger's codes for "slow down", sent in `errors[]` with HTTP 200. */
const SLOW_DOWN = new Set([
  'BAD_REQUEST.BURST_RATE_LIMIT_REACHED',
  'BAD_REQUEST.CONCURRENCY_LIMIT_REACHED',
]);
/** After the waits within a call: when the write-back may try again. */
const RETRY_AFTER_BURST_SECONDS = 5;
/** The period's credits are used up: no point trying again within the minute. */
const RETRY_AFTER_CREDITS_SECONDS = 60;

class SlowDown extends Error {}

/**
 * One Xledger GraphQL request: POST with `Authorization: token …`, the body read within a limit,
 * `errors[]` read even from an HTTP 200, burst limits waited out with backoff, and the portal's
 * timeouts, retries and circuit breaker (`FinanceResilience`) around it. Queries and the due-date
 * mutation are both retried: the mutation sets fields to given values, so a repeat changes nothing.
 */
export class XledgerGraphQL {
  private readonly resilience: FinanceResilience;

  constructor(
    private readonly options: XledgerTransportOptions,
    private readonly logger: FinanceLogger,
  ) {
    this.resilience = new FinanceResilience(options);
  }

  request(call: XledgerCall): Promise<Record<string, unknown>> {
    return this.resilience.execute({ baseUrl: call.circuit, kind: call.kind }, true, () =>
      this.attempt(call),
    );
  }

  private async attempt(call: XledgerCall): Promise<Record<string, unknown>> {
    const started = Date.now();
    try {
      for (let waits = 0; ; waits++) {
        try {
          return await this.once(call);
        } catch (error) {
          if (!(error instanceof SlowDown)) throw error;
          if (waits >= this.options.burstWaits) {
            throw new FinanceUnavailableError(
              'rate-limited',
              `Xledger's rate limit held after ${waits} waits (${error.message})`,
              RETRY_AFTER_BURST_SECONDS,
            );
          }
          this.logger.debug(`${call.label}: ${error.message}, waiting`);
          await (this.options.sleep ?? sleep)(this.options.burstBackoffMs * 2 ** waits);
        }
      }
    } catch (error) {
      if (error instanceof FinanceUnavailableError || error instanceof FinanceRejectedError) {
        this.logger.warn(`${call.label}: ${describe(error)} after ${Date.now() - started} ms`);
      }
      throw error;
    }
  }

  private async once(call: XledgerCall): Promise<Record<string, unknown>> {
    const timeoutMs =
      call.kind === 'read' ? this.options.readTimeoutMs : this.options.writeTimeoutMs;
    const started = Date.now();
    let response: Response;
    let text: string;
    try {
      response = await fetch(call.endpoint, {
        method: 'POST',
        headers: {
          accept: 'application/json',
          authorization: `token ${call.token}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ query: call.query, variables: call.variables }),
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'error',
      });
      text = await readText(response, this.options.maxBodyBytes);
    } catch (error) {
      throw asFinanceError(error, timeoutMs);
    }
    this.logger.debug(`${call.label}: ${response.status} in ${Date.now() - started} ms`);
    return answerOf(call, response, text);
  }
}

function answerOf(call: XledgerCall, response: Response, text: string): Record<string, unknown> {
  const { status, headers } = response;
  if (status === 401 || status === 403) {
    throw new FinanceUnavailableError('unauthorized', `Xledger refused the API token (${status})`);
  }
  if (status === 429) {
    throw new FinanceUnavailableError(
      'rate-limited',
      'Xledger answered 429',
      retryAfterSeconds(headers.get('retry-after')) ?? RETRY_AFTER_BURST_SECONDS,
    );
  }
  if (status >= 500) {
    throw new FinanceUnavailableError('server-error', `Xledger answered ${status}`);
  }
  if (status < 200 || status >= 300) throw badResponse(`an unexpected status ${status}`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw badResponse('a body that is not JSON');
  }
  const { data, errors } = (body ?? {}) as { data?: unknown; errors?: unknown };
  if (Array.isArray(errors) && errors.length > 0) throw errorOf(call, errors);
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw badResponse('an answer without data');
  }
  return data as Record<string, unknown>;
}

/**
 * What Xledger's `errors[]` mean for the portal. Its own codes first (rate limits, credits);
 * a refused token; a timeout; a query or input Xledger calls invalid, which repeating will not
 * mend (a read is a bad answer, a write a refusal for officers); anything else may pass.
 */
function errorOf(call: XledgerCall, errors: unknown[]): Error {
  const described = errors.map((e) => {
    const error = (e ?? {}) as {
      message?: unknown;
      code?: unknown;
      extensions?: { code?: unknown };
    };
    return {
      code: textOf(error.code ?? error.extensions?.code) ?? '',
      // Xledger may quote a value from the request: never an identity number in a log.
      message: redactIdentityNumbers(textOf(error.message) ?? 'no message').slice(0, 300),
    };
  });
  const slow = described.find((e) => SLOW_DOWN.has(e.code));
  if (slow) return new SlowDown(slow.code);
  if (described.some((e) => e.code === 'BAD_REQUEST.INSUFFICIENT_CREDITS')) {
    return new FinanceUnavailableError(
      'rate-limited',
      'Xledger: the API credits are used up',
      RETRY_AFTER_CREDITS_SECONDS,
    );
  }
  const [first] = described;
  const text = `${first.code ? `${first.code}: ` : ''}${first.message}`;
  if (
    described.some((e) =>
      /api token|unauthori[sz]ed|forbidden|access denied/i.test(`${e.code} ${e.message}`),
    )
  ) {
    return new FinanceUnavailableError('unauthorized', `Xledger refused the API token (${text})`);
  }
  if (described.some((e) => /timed out|timeout/i.test(e.message))) {
    return new FinanceUnavailableError('timeout', `Xledger: ${text}`);
  }
  if (described.some(isInvalidRequest)) {
    if (call.kind === 'write')
      return new FinanceRejectedError('XLEDGER_REFUSED', `Xledger: ${text}`);
    return badResponse(`an error for our query (${text})`);
  }
  return new FinanceUnavailableError('server-error', `Xledger: ${text}`);
}

const INVALID =
  /^(cannot query field|unknown argument|field ".*" is not defined|variable "|syntax error|invalid value|expected )|not found|invalid/i;

function isInvalidRequest(e: { code: string; message: string }): boolean {
  return (
    e.code.startsWith('BAD_REQUEST') ||
    ['INVALID_VALUE', 'GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED'].includes(e.code) ||
    INVALID.test(e.message)
  );
}

function textOf(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

function badResponse(what: string): FinanceUnavailableError {
  return new FinanceUnavailableError('bad-response', `Xledger sent ${what}`);
}

function describe(error: FinanceUnavailableError | FinanceRejectedError): string {
  return error instanceof FinanceUnavailableError
    ? `${error.reason} (${error.message})`
    : `rejected ${error.reasonCode} (${error.message})`;
}
