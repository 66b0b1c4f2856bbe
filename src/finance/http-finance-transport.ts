import {
  FinanceNotFoundError,
  FinanceRejectedError,
  FinanceUnavailableError,
} from './finance.errors';
import { FinanceResilience, type ResilienceOptions } from './http-finance-resilience';
import { parseWire, problemSchema } from './http-finance-wire';

export interface FinanceRequest {
  method: 'GET' | 'PUT';
  baseUrl: string;
  /** Path below the base URL, already percent-encoded. Never contains the identity number. */
  path: string;
  /** Names the call in logs, e.g. `listInvoices fjordvik`. */
  label: string;
  apiKey: string;
  pid: string;
  idempotencyKey?: string;
  body?: unknown;
}

export interface FinanceResponse {
  body: unknown;
  headers: Headers;
}

export interface TransportOptions extends ResilienceOptions {
  /** Per try; covers connecting, waiting and reading the body. */
  readTimeoutMs: number;
  writeTimeoutMs: number;
  maxBodyBytes: number;
}

/** Nest's `Logger` fits; kept structural so the adapter runs (and is tested) without Nest. */
export interface FinanceLogger {
  warn(message: string): void;
  debug(message: string): void;
}

/** One finance API call: timeouts, retries, breaker, and every HTTP outcome mapped to a typed error. */
export class HttpFinanceTransport {
  private readonly resilience: FinanceResilience;

  constructor(
    private readonly options: TransportOptions,
    private readonly logger: FinanceLogger,
  ) {
    this.resilience = new FinanceResilience(options);
  }

  /** Retried are GETs and PUTs carrying an Idempotency-Key: repeating them cannot change anything twice. */
  send(request: FinanceRequest): Promise<FinanceResponse> {
    const retryable = request.method === 'GET' || request.idempotencyKey !== undefined;
    const kind = request.method === 'GET' ? 'read' : 'write';
    return this.resilience.execute({ baseUrl: request.baseUrl, kind }, retryable, () =>
      this.attempt(request),
    );
  }

  private async attempt(request: FinanceRequest): Promise<FinanceResponse> {
    const started = Date.now();
    const timeoutMs =
      request.method === 'GET' ? this.options.readTimeoutMs : this.options.writeTimeoutMs;
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const response = await fetch(request.baseUrl + request.path, {
        method: request.method,
        headers: headersFor(request),
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal,
        redirect: 'error',
      });
      const text = await readText(response, this.options.maxBodyBytes);
      this.logger.debug(`${request.label}: ${response.status} in ${Date.now() - started} ms`);
      return outcomeOf(response, text);
    } catch (error) {
      const mapped = asFinanceError(error, timeoutMs);
      if (mapped instanceof FinanceUnavailableError) {
        this.logger.warn(
          `${request.label}: ${mapped.reason} after ${Date.now() - started} ms (${mapped.message})`,
        );
      }
      throw mapped;
    }
  }
}

function headersFor(request: FinanceRequest): Record<string, string> {
  const headers: Record<string, string> = {
    accept: 'application/json, application/problem+json',
    authorization: `Bearer ${request.apiKey}`,
    'x-person-id': request.pid,
  };
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  if (request.idempotencyKey !== undefined) headers['idempotency-key'] = request.idempotencyKey;
  return headers;
}

function outcomeOf(response: Response, text: string): FinanceResponse {
  const { status, headers } = response;
  if (status >= 200 && status < 300) {
    if (!/^application\/([a-z.+-]*\+)?json\b/i.test(headers.get('content-type') ?? '')) {
      throw badResponse(`a ${status} answer that is not JSON`);
    }
    return { body: parseJson(text), headers };
  }
  const retryAfter = retryAfterSeconds(headers.get('retry-after'));
  if (status === 404)
    throw new FinanceNotFoundError(
      problemCode(text) === 'MUNICIPALITY_NOT_FOUND' ? 'municipality' : 'invoice',
    );
  if (status === 400 || status === 409 || status === 422) {
    const problem = parseWire(problemSchema, parseJson(text), `${status} problem`);
    // A request still in progress under the same key is a "try again", not a refusal.
    if (problem.code === 'IDEMPOTENCY_KEY_IN_USE') {
      throw new FinanceUnavailableError(
        'server-error',
        'The same change is still being applied',
        retryAfter ?? 1,
      );
    }
    throw new FinanceRejectedError(
      problem.code,
      problem.detail ?? problem.title ?? `Rejected (${status})`,
    );
  }
  if (status === 401 || status === 403) {
    throw new FinanceUnavailableError(
      'unauthorized',
      `The finance system refused our API key (${status})`,
    );
  }
  if (status === 429)
    throw new FinanceUnavailableError('rate-limited', 'Too many requests', retryAfter);
  if (status >= 500)
    throw new FinanceUnavailableError(
      'server-error',
      `The finance system answered ${status}`,
      retryAfter,
    );
  throw badResponse(`an unexpected status ${status}`);
}

function problemCode(text: string): string | undefined {
  try {
    const code: unknown = (JSON.parse(text) as { code?: unknown } | null)?.code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw badResponse('a body that is not valid JSON');
  }
}

export async function readText(response: Response, limit: number): Promise<string> {
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    if (size > limit) throw badResponse(`a body larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Seconds from `Retry-After` (delta-seconds or an HTTP date); undefined when absent or unreadable. */
export function retryAfterSeconds(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

function badResponse(what: string): FinanceUnavailableError {
  return new FinanceUnavailableError('bad-response', `The finance system sent ${what}`);
}

export function asFinanceError(error: unknown, timeoutMs: number): Error {
  if (error instanceof FinanceNotFoundError || error instanceof FinanceRejectedError) return error;
  if (error instanceof FinanceUnavailableError) return error;
  if (
    error instanceof DOMException &&
    (error.name === 'TimeoutError' || error.name === 'AbortError')
  ) {
    return new FinanceUnavailableError('timeout', `No answer within ${timeoutMs} ms`, undefined, {
      cause: error,
    });
  }
  // fetch reports refused, reset and half-read connections as TypeError ("fetch failed", "terminated").
  const message = error instanceof Error ? error.message : String(error);
  return new FinanceUnavailableError('network', `Connection failed: ${message}`, undefined, {
    cause: error,
  });
}
