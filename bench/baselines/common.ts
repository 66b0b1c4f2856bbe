/**
 * What both baselines share: the same session cookie, session row and CSRF token the portal uses,
 * checked with plain node:crypto and one SQL query; no framework.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Pool } from 'pg';
import { SessionCipher } from '../../src/auth/session/session-cipher';

export const SESSION_COOKIE = '__Host-mf.sid';
export const CSRF_COOKIE = '__Host-mf.csrf';

export interface BaselineEnv {
  port: number;
  databaseUrl: string;
  sessionSecret: string;
  municipalityId: string;
  poolMax: number;
}

export function readEnv(): BaselineEnv {
  const need = (name: string) => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} must be set`);
    return value;
  };
  return {
    port: Number(need('PORT')),
    databaseUrl: need('DATABASE_URL'),
    sessionSecret: need('SESSION_SECRET'),
    municipalityId: need('MUNICIPALITY_ID'),
    poolMax: Number(process.env.DB_POOL_MAX ?? 10),
  };
}

export function createPool(env: BaselineEnv): Pool {
  return new Pool({ connectionString: env.databaseUrl, max: env.poolMax });
}

/**
 * How a column holding JSON is stored (`jsonb`, `json` or `text`): the schema moves these between
 * types (documents stored and read whole are cheaper as text), and a baseline must write and read
 * them as the portal's schema of the day has them. Read once at start-up.
 */
export async function jsonColumnTypes(
  pool: Pool,
  table: string,
  columns: readonly string[],
): Promise<Record<string, string>> {
  const { rows } = await pool.query<{ column_name: string; data_type: string }>(
    `select column_name, data_type from information_schema.columns
      where table_schema = current_schema() and table_name = $1 and column_name = any($2)`,
    [table, columns],
  );
  const types = Object.fromEntries(rows.map((r) => [r.column_name, r.data_type]));
  for (const column of columns) if (!types[column]) throw new Error(`${table}.${column} not found`);
  return types;
}

/** A text parameter as the column wants it: cast for jsonb/json, as is for text. */
export function jsonValue(expression: string, type: string): string {
  return type === 'jsonb'
    ? `${expression}::jsonb`
    : type === 'json'
      ? `${expression}::json`
      : expression;
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  if (!header) return cookies;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (!cookies.has(name)) cookies.set(name, decodeURIComponent(part.slice(eq + 1).trim()));
  }
  return cookies;
}

/** express-session's signed cookie (`s:<id>.<base64 hmac>`), checked as cookie-signature does. */
export function unsign(value: string | undefined, secret: string): string | undefined {
  if (!value?.startsWith('s:')) return undefined;
  const signed = value.slice(2);
  const dot = signed.lastIndexOf('.');
  if (dot < 0) return undefined;
  const id = signed.slice(0, dot);
  const expected = Buffer.from(
    createHmac('sha256', secret).update(id).digest('base64').replace(/=+$/, ''),
  );
  const given = Buffer.from(signed.slice(dot + 1));
  return given.length === expected.length && timingSafeEqual(given, expected) ? id : undefined;
}

export interface SessionUser {
  sid: string;
  pid: string;
  name?: string;
}

/** The session id of the request's signed session cookie, if the signature holds. */
export function sessionId(env: BaselineEnv, cookies: Map<string, string>): string | undefined {
  return unsign(cookies.get(SESSION_COOKIE), env.sessionSecret);
}

/** The resident of a session row (sealed at rest, as the portal's store keeps it), if it is live. */
export function openSession(
  env: BaselineEnv,
  sid: string,
  row: { data: unknown; expires_at: Date | string } | null | undefined,
): SessionUser | undefined {
  if (!row || new Date(row.expires_at).getTime() <= Date.now()) return undefined;
  const data = sessionCipher(env.sessionSecret).open<{ user?: { pid: string; name?: string } }>(
    sid,
    row.data,
  );
  if (!data?.user) return undefined;
  return { sid, pid: data.user.pid, name: data.user.name };
}

/**
 * The resident behind the request's session cookie: the same row express-session reads, with a
 * named (prepared) statement, parsed and planned once per connection.
 */
export async function sessionUser(
  pool: Pool,
  env: BaselineEnv,
  cookies: Map<string, string>,
): Promise<SessionUser | undefined> {
  const sid = sessionId(env, cookies);
  if (!sid) return undefined;
  const { rows } = await pool.query<{ data: unknown; expires_at: Date }>({
    name: 'session',
    text: 'select data, expires_at from sessions where id = $1',
    values: [sid],
  });
  return openSession(env, sid, rows[0]);
}

let cipher: { secret: string; cipher: SessionCipher } | undefined;
function sessionCipher(secret: string): SessionCipher {
  if (cipher?.secret !== secret) cipher = { secret, cipher: new SessionCipher(secret) };
  return cipher.cipher;
}

/** What the portal binds CSRF tokens to: the municipality and the session. */
export function csrfBinding(env: BaselineEnv, sid: string): string {
  return `${env.municipalityId}:${sid}`;
}

/** csrf-csrf's double-submit token: `<hmac>.<random>`, the hmac over the session id and the random part. */
function csrfHmac(secret: string, sid: string, random: string): string {
  return createHmac('sha256', secret)
    .update([sid.length, sid, random.length, random].join('!'))
    .digest('hex');
}

export function validCsrfCookie(secret: string, sid: string, token: string | undefined): boolean {
  if (!token) return false;
  const [hmac, random] = token.split('.');
  return Boolean(hmac && random) && csrfHmac(secret, sid, random) === hmac;
}

export function newCsrfToken(secret: string, sid: string): string {
  const random = randomBytes(32).toString('hex');
  return `${csrfHmac(secret, sid, random)}.${random}`;
}

export function readBody(req: IncomingMessage, limit = 32 * 1024): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) reject(new Error('body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function send(
  res: ServerResponse,
  status: number,
  body = '',
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

export function listen(server: import('node:http').Server, port: number, name: string): void {
  server.keepAliveTimeout = 65_000;
  server.listen(port, '127.0.0.1', () => console.log(`${name} baseline listening on ${port}`));
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
