import { DriverException } from '@mikro-orm/core';

interface DriverFields {
  code?: unknown;
  sqlState?: unknown;
  severity?: unknown;
  routine?: unknown;
}

/** pg's DatabaseError and SQLite's errors: they carry SQL text, details and values of a request. */
function isDriverError(error: unknown): error is Error & DriverFields {
  if (error instanceof DriverException) return true;
  const name = (error as Error | undefined)?.name;
  return name === 'DatabaseError' || name === 'SqliteError';
}

/** The stack frames without the message above them. */
function framesOf(error: Error): string | undefined {
  const at = error.stack?.indexOf('\n    at ') ?? -1;
  return at >= 0 ? error.stack?.slice(at + 1) : undefined;
}

/**
 * What of an error may go into the log. MikroORM formats parameters into the SQL text, and
 * PostgreSQL's details quote values, so a database error's message holds whatever the request
 * sent (an identity number in a path, an e-mail address): of those only the kind, the codes and
 * where in our code it was thrown are kept, down the whole cause chain.
 */
export function loggableError(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error) || depth > 4) return error;
  if (isDriverError(error)) {
    const cause = loggableError(error.cause, depth + 1);
    return {
      type: error.constructor.name,
      code: error.code,
      sqlState: error.sqlState,
      stack: framesOf(error),
      ...(cause !== undefined ? { cause } : {}),
    };
  }
  if (error.cause !== undefined && isDriverErrorDeep(error.cause, depth + 1)) {
    return {
      type: error.constructor.name,
      message: error.message,
      stack: error.stack,
      cause: loggableError(error.cause, depth + 1),
    };
  }
  return error;
}

function isDriverErrorDeep(error: unknown, depth: number): boolean {
  if (depth > 4 || !(error instanceof Error)) return false;
  return isDriverError(error) || isDriverErrorDeep(error.cause, depth + 1);
}
