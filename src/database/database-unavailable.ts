import { ConnectionException, LockWaitTimeoutException } from '@mikro-orm/core';

/** How the database failed us: it cannot be reached, it did not answer in time, or we are full. */
export type UnavailableKind = 'connection' | 'timeout' | 'queue-full';

/** The code our typed error carries; MikroORM copies it when it wraps the error in its own. */
export const DATABASE_UNAVAILABLE_CODE = 'MF_DATABASE_UNAVAILABLE';

/** How long a client should wait before trying again (`Retry-After`). */
export const RETRY_AFTER_SECONDS = 5;

/**
 * The database is away or stalled for now: the request may succeed if sent again later. Never
 * carries SQL (MikroORM formats parameters, hence user input, into its messages).
 */
export class DatabaseUnavailableError extends Error {
  readonly code = DATABASE_UNAVAILABLE_CODE;

  constructor(
    readonly kind: UnavailableKind,
    options?: { cause?: unknown },
  ) {
    super(`database unavailable (${kind})`, options);
    this.name = 'DatabaseUnavailableError';
  }
}

/** The decision queue (or another group commit) is full: answered at once instead of queued. */
export class CommitQueueFullError extends DatabaseUnavailableError {
  constructor() {
    super('queue-full');
    this.name = 'CommitQueueFullError';
  }
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** PostgreSQL SQLSTATEs that say "not now" rather than "never": see the errcodes appendix. */
const POSTGRES_TIMEOUTS = new Set([
  '57014', // query_canceled: statement_timeout
  '55P03', // lock_not_available: lock_timeout
  '25P03', // idle_in_transaction_session_timeout
]);
const POSTGRES_CONNECTION = new Set([
  '57P01', // admin_shutdown (also pg_terminate_backend)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, recovering)
  '57P05', // idle_session_timeout
  '53300', // too_many_connections
]);

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Whether `error` means the database is unavailable for now, and how: by error type and code
 * only, never by message text. `undefined` for every other error (a bug, a constraint, bad SQL).
 * Follows `cause` a few levels, as drivers wrap what the socket said.
 */
export function unavailableKind(error: unknown, depth = 0): UnavailableKind | undefined {
  if (error === null || typeof error !== 'object' || depth > 3) return undefined;
  const code = codeOf(error);
  if (error instanceof DatabaseUnavailableError) return error.kind;
  if (code === DATABASE_UNAVAILABLE_CODE) {
    const kind = (error as { kind?: unknown }).kind;
    return kind === 'timeout' || kind === 'queue-full' ? kind : 'connection';
  }
  if (error instanceof LockWaitTimeoutException) return 'timeout';
  if (code !== undefined) {
    if (POSTGRES_TIMEOUTS.has(code) || code.startsWith('SQLITE_BUSY')) return 'timeout';
    if (NETWORK_CODES.has(code) || POSTGRES_CONNECTION.has(code) || /^08[0-9A-Z]{3}$/.test(code))
      return 'connection';
  }
  if (error instanceof ConnectionException) return 'connection';
  return unavailableKind((error as { cause?: unknown }).cause, depth + 1);
}

export function isDatabaseUnavailable(error: unknown): boolean {
  return unavailableKind(error) !== undefined;
}

interface ErrorSummary {
  type: string;
  code?: string;
  cause?: ErrorSummary;
}

/**
 * What may be logged of a database error: its type and code down the cause chain, never a
 * message (MikroORM's hold the SQL with the request's values formatted into it).
 */
export function describeDatabaseError(error: unknown, depth = 0): ErrorSummary {
  const type =
    (error as { constructor?: { name?: string } } | null)?.constructor?.name ?? 'unknown';
  const code = codeOf(error);
  const cause = (error as { cause?: unknown } | null)?.cause;
  return {
    type,
    ...(code !== undefined && { code }),
    ...(cause !== undefined && depth < 3 && { cause: describeDatabaseError(cause, depth + 1) }),
  };
}
