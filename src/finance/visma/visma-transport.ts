import { setTimeout as sleep } from 'node:timers/promises';
import {
  FinanceNotFoundError,
  FinanceRejectedError,
  FinanceUnavailableError,
} from '../finance.errors';
import { FinanceResilience, type ResilienceOptions } from '../http-finance-resilience';
import {
  asFinanceError,
  readText,
  retryAfterSeconds,
  type FinanceLogger,
} from '../http-finance-transport';
import { redactIdentityNumbers } from '../../shared/national-identity-number';
import type { VismaSettings } from './visma-settings';
import type { VismaTokens } from './visma-token';

export interface VismaCall {
  settings: VismaSettings;
  method: 'GET' | 'PUT';
  /** Below the base URL, encoded. May hold the identity number (a customer search): never logged. */
  path: string;
  /** Names the call in logs, e.g. `getInvoice fjordvik`. */
  label: string;
  body?: unknown;
  ifMatch?: string;
}

export interface VismaAnswer {
  body: unknown;
  etag: string | null;
}

/** 412: the invoice changed since it was read. Not a FinanceError: the adapter decides what it means. */
export class VismaPreconditionFailed extends Error {
  override readonly name = 'VismaPreconditionFailed';
}

export interface VismaTransportOptions extends ResilienceOptions {
  readTimeoutMs: number;
  writeTimeoutMs: number;
  maxBodyBytes: number;
  /** The longest Retry-After waited out within one call; a longer one fails it as rate-limited. */
  maxRateLimitWaitMs: number;
  /** How many 429 answers one call waits out before failing as rate-limited. */
  rateLimitWaits: number;
  sleep?: (ms: number) => Promise<unknown>;
}

/** A Retry-After longer than this is not believed: the caller is told to come back within the hour. */
const MAX_RETRY_AFTER_SECONDS = 3600;

/**
 * One Visma.net API call: a bearer token from Visma Connect (renewed once on 401), bounded waits
 * on 429 + Retry-After, and the portal's timeouts, retries and circuit breaker around it all.
 */
export class VismaTransport {
  private readonly resilience: FinanceResilience;

  constructor(
    private readonly options: VismaTransportOptions,
    private readonly tokens: VismaTokens,
    private readonly logger: FinanceLogger,
  ) {
    this.resilience = new FinanceResilience(options);
  }

  send(call: VismaCall): Promise<VismaAnswer> {
    // A PUT carries If-Match: repeated after a lost answer it meets 412, never a second write.
    const retryable = call.method === 'GET' || call.ifMatch !== undefined;
    const kind = call.method === 'GET' ? 'read' : 'write';
    return this.resilience.execute({ baseUrl: call.settings.baseUrl, kind }, retryable, () =>
      this.attempt(call),
    );
  }

  private async attempt(call: VismaCall): Promise<VismaAnswer> {
    const started = Date.now();
    try {
      let renewed = false;
      let waits = 0;
      for (;;) {
        const token = await this.tokens.get(call.settings);
        const { status, headers, text } = await this.fetch(call, token);
        this.logger.debug(`${call.label}: ${status} in ${Date.now() - started} ms`);
        if (status === 401 && !renewed) {
          // Revoked or expired early: one new token, then the API's answer stands.
          this.tokens.invalidate(call.settings, token);
          renewed = true;
          continue;
        }
        if (status === 429) {
          const wait = retryAfterSeconds(headers.get('retry-after')) ?? 1;
          if (
            waits < this.options.rateLimitWaits &&
            wait * 1000 <= this.options.maxRateLimitWaitMs
          ) {
            waits++;
            await (this.options.sleep ?? sleep)(wait * 1000);
            continue;
          }
          throw new FinanceUnavailableError(
            'rate-limited',
            'Visma.net asked us to slow down',
            Math.min(Math.max(wait, 1), MAX_RETRY_AFTER_SECONDS),
          );
        }
        return outcomeOf(call, status, headers, text);
      }
    } catch (error) {
      if (error instanceof FinanceUnavailableError) {
        this.logger.warn(
          `${call.label}: ${error.reason} after ${Date.now() - started} ms (${error.message})`,
        );
      }
      throw error;
    }
  }

  private async fetch(call: VismaCall, token: string) {
    const timeoutMs =
      call.method === 'GET' ? this.options.readTimeoutMs : this.options.writeTimeoutMs;
    try {
      const headers: Record<string, string> = {
        accept: 'application/json',
        authorization: `Bearer ${token}`,
      };
      if (call.body !== undefined) headers['content-type'] = 'application/json';
      if (call.ifMatch !== undefined) headers['if-match'] = call.ifMatch;
      const response = await fetch(call.settings.baseUrl + call.path, {
        method: call.method,
        headers,
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'error',
      });
      const text = await readText(response, this.options.maxBodyBytes);
      return { status: response.status, headers: response.headers, text };
    } catch (error) {
      throw asFinanceError(error, timeoutMs);
    }
  }
}

function outcomeOf(call: VismaCall, status: number, headers: Headers, text: string): VismaAnswer {
  const etag = headers.get('etag');
  if (status === 204 || (status === 200 && call.method === 'PUT' && text === '')) {
    return { body: undefined, etag };
  }
  if (status === 200 || status === 201) {
    if (!/json/i.test(headers.get('content-type') ?? '')) {
      throw badResponse(`a ${status} answer that is not JSON`);
    }
    try {
      return { body: JSON.parse(text), etag };
    } catch {
      throw badResponse('a body that is not valid JSON');
    }
  }
  if (status === 404) throw new FinanceNotFoundError('invoice');
  if (status === 412) throw new VismaPreconditionFailed('The invoice changed since it was read');
  if (status === 400 || status === 422) {
    if (call.method === 'PUT') {
      throw new FinanceRejectedError('INVALID_REQUEST', `Visma.net refused: ${messageOf(text)}`);
    }
    // A search the API does not understand: the settings (e.g. an unknown attribute) are wrong.
    throw new FinanceUnavailableError(
      'not-configured',
      `Visma.net refused the request (${status}): ${messageOf(text)}`,
    );
  }
  if (status === 401 || status === 403) {
    throw new FinanceUnavailableError('unauthorized', `Visma.net refused our token (${status})`);
  }
  if (status >= 500) {
    throw new FinanceUnavailableError(
      'server-error',
      `Visma.net answered ${status}`,
      retryAfterSeconds(headers.get('retry-after')),
    );
  }
  throw badResponse(`an unexpected status ${status}`);
}

/**
 * Visma's error text (`{"message": …}`), short and on one line, for officers and logs; an identity
 * number it may quote from a customer search is masked.
 */
function messageOf(text: string): string {
  let message: unknown;
  try {
    message = (JSON.parse(text) as { message?: unknown } | null)?.message;
  } catch {
    message = undefined;
  }
  if (typeof message !== 'string') return 'no reason given';
  return redactIdentityNumbers(message.replace(/\s+/g, ' ')).slice(0, 200);
}

function badResponse(what: string): FinanceUnavailableError {
  return new FinanceUnavailableError('bad-response', `Visma.net sent ${what}`);
}
