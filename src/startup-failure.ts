import { ConfigError } from './config/config.error';

interface SystemError {
  code?: string;
  address?: string;
  port?: number;
  message?: string;
  cause?: unknown;
}

function rootCause(error: unknown): SystemError {
  let current = error as SystemError;
  for (let depth = 0; depth < 5 && current?.cause && !current.code; depth++)
    current = current.cause;
  if (!current?.code && Array.isArray((current as { errors?: unknown[] })?.errors)) {
    return (current as { errors: SystemError[] }).errors[0] ?? current;
  }
  return current ?? {};
}

/** One line an operator can act on, for the failures that happen at start; secrets never shown. */
export function startupFailureMessage(error: unknown): string {
  if (error instanceof ConfigError) return error.message;
  const cause = rootCause(error);
  const where = cause.address
    ? `${cause.address}${cause.port ? `:${cause.port}` : ''}`
    : 'the configured host';
  switch (cause.code) {
    case 'ECONNREFUSED':
      return `the database at ${where} refused the connection (is it running? check DATABASE_URL)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the database host in DATABASE_URL could not be found (${String(cause.message ?? '').replace(/^getaddrinfo \w+ /, '')})`;
    case 'ETIMEDOUT':
      return `the database at ${where} did not answer in time (check DATABASE_URL and the network)`;
    case '28P01':
    case '28000':
      return 'the database refused the user or password in DATABASE_URL';
    case '3D000':
      return `the database named in DATABASE_URL does not exist (${cause.message ?? ''})`;
    case 'EADDRINUSE':
      return `port ${cause.port ?? ''} is already in use (set PORT to a free port)`;
    case 'EACCES':
      return `no permission to listen on port ${cause.port ?? ''} (set PORT to 1024 or above)`;
    case 'SQLITE_CANTOPEN':
      return 'the SQLite file in SQLITE_PATH cannot be opened (check the folder exists and is writable)';
    default:
      return (error as Error)?.message?.split('\n')[0] ?? String(error);
  }
}
