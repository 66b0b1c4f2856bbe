import { Client, type ClientConfig } from 'pg';

/** One line for an operator: what is wrong with the PostgreSQL server URL. */
export class DatabaseUnavailableError extends Error {}

export interface BenchDatabase {
  name: string;
  /** URL of the bench database itself. */
  url: string;
  serverVersion: string;
  drop(): Promise<void>;
}

function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function connect(url: string, config: Partial<ClientConfig> = {}): Promise<Client> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000, ...config });
  // An idle client whose backend goes away (the clean-up's `drop database … with (force)` after a
  // failure or Ctrl-C) emits 'error'; unheard, that kills the process before the clean-up ends.
  // A query in flight rejects with the same error, and a later one with "not queryable".
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** Creates `mf_bench_<timestamp>` on the server; `drop` removes it (forcing connections off). */
export async function createBenchDatabase(serverUrl: string): Promise<BenchDatabase> {
  let parsed: URL;
  try {
    parsed = new URL(serverUrl);
    if (!['postgres:', 'postgresql:'].includes(parsed.protocol)) throw new Error('protocol');
  } catch {
    throw new DatabaseUnavailableError(
      'BENCH_DATABASE_URL / DATABASE_URL must be a URL like postgresql://user@host:5432/postgres',
    );
  }
  let admin: Client;
  try {
    admin = await connect(serverUrl);
  } catch (error) {
    throw new DatabaseUnavailableError(
      `PostgreSQL at ${parsed.host || 'the configured host'} cannot be reached: ${(error as Error).message}`,
    );
  }
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const name = `mf_bench_${stamp}_${process.pid}`;
  let serverVersion = '';
  try {
    serverVersion = (await admin.query<{ v: string }>('select version() as v')).rows[0].v;
    await admin.query(`create database ${name}`);
  } catch (error) {
    await admin.end();
    throw new DatabaseUnavailableError(
      `cannot create database ${name}: ${(error as Error).message}`,
    );
  }
  await admin.end();
  let dropped = false;
  return {
    name,
    url: withDatabase(serverUrl, name),
    serverVersion,
    drop: async () => {
      if (dropped) return;
      dropped = true;
      const client = await connect(serverUrl);
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * `COPY … FROM STDIN` on a plain pg Client (pg has no COPY API of its own; this is the same
 * "submittable" hook pg-copy-streams uses). `data` is COPY text format, rows ending in '\n'.
 *
 * An error settles it at once: pg's Client drops the active query before it hands it the error,
 * so the ReadyForQuery that follows never reaches this object. Waiting for it instead (as a plain
 * Query's success path does) left a refused COPY pending for ever and the loader hanging.
 */
class CopyIn {
  readonly text: string;
  private result = '';
  private settled = false;
  readonly done: Promise<string>;
  private resolve!: (value: string) => void;
  private reject!: (error: Error) => void;

  constructor(
    sql: string,
    private readonly data: Buffer[],
  ) {
    this.text = sql;
    this.done = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  submit(connection: { query(text: string): void }): void {
    connection.query(this.text);
  }

  handleCopyInResponse(connection: {
    sendCopyFromChunk(chunk: Buffer): void;
    endCopyFrom(): void;
  }): void {
    for (const chunk of this.data) connection.sendCopyFromChunk(chunk);
    connection.endCopyFrom();
  }

  handleCommandComplete(message: { text: string }): void {
    this.result = message.text;
  }

  /** PostgreSQL's ErrorResponse, or the client's own (connection lost or ended, not queryable). */
  handleError(error: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.reject(error);
  }

  handleReadyForQuery(): void {
    if (this.settled) return;
    this.settled = true;
    this.resolve(this.result);
  }

  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}
}

/**
 * A COPY PostgreSQL refused or could not finish. The message names the table, the columns and the
 * rows of the chunk (PostgreSQL's "line N" counts from the chunk's first row); `cause` is pg's
 * error, with its SQLSTATE `code`, `constraint` and so on.
 */
export class CopyFailedError extends Error {
  readonly code: string | undefined;

  constructor(
    readonly table: string,
    readonly columns: readonly string[],
    firstRow: number,
    lastRow: number,
    cause: Error,
  ) {
    const pg = cause as Error & { detail?: string; hint?: string; where?: string; code?: string };
    const context = [pg.detail, pg.hint, pg.where].filter(Boolean).join('; ');
    super(
      `COPY into ${table} (${columns.join(', ')}), rows ${firstRow}–${lastRow}, failed: ` +
        `${cause.message}${context ? ` (${context})` : ''}`,
      { cause },
    );
    this.name = 'CopyFailedError';
    this.code = pg.code;
  }
}

/** COPY text format for one value: NULL as \N, and backslash, tab, newline, carriage return escaped. */
export function copyValue(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  let text: string;
  if (typeof value === 'string') text = value;
  else if (value instanceof Date) text = value.toISOString();
  else if (typeof value === 'object') text = JSON.stringify(value);
  else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    text = String(value);
  else throw new TypeError(`cannot COPY a ${typeof value}`);
  return /[\\\t\n\r]/.test(text)
    ? text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
    : text;
}

/**
 * Streams rows into `table` with COPY, about 8 MB per statement. With several clients the chunks
 * go round-robin, one statement in flight per client, so PostgreSQL works on them side by side.
 *
 * The first COPY that fails fails the writer: the next `add`, `flush` or `end` rejects with it
 * (a `CopyFailedError`), even while it waits for another client's chunk, so the caller stops
 * producing rows and can end its clients, which ends the COPYs still in flight. Later errors
 * (the "Connection terminated" of those) are not reported over the first.
 */
export class CopyWriter {
  private lines: string[] = [];
  private bytes = 0;
  private readonly clients: Client[];
  private readonly pending: Promise<unknown>[];
  private turn = 0;
  /** Rows in chunks already handed to a client. */
  private sent = 0;
  private failure: CopyFailedError | null = null;
  /** Rejects with the first failure: what a wait for a client's previous chunk races against. */
  private readonly failed: Promise<never>;
  private fail!: (error: CopyFailedError) => void;
  rows = 0;

  constructor(
    clients: Client | Client[],
    private readonly table: string,
    private readonly columns: readonly string[],
  ) {
    this.clients = Array.isArray(clients) ? clients : [clients];
    this.pending = this.clients.map(() => Promise.resolve());
    this.failed = new Promise<never>((_, reject) => {
      this.fail = reject;
    });
    this.failed.catch(() => undefined);
  }

  async add(values: readonly unknown[]): Promise<void> {
    // One field read per row (no extra await): the row after a failure is seen throws.
    if (this.failure) throw this.failure;
    const line = values.map(copyValue).join('\t') + '\n';
    this.lines.push(line);
    this.bytes += line.length;
    this.rows++;
    if (this.bytes >= 8_000_000) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.lines.length === 0) return;
    const data = [Buffer.from(this.lines.join(''), 'utf8')];
    const firstRow = this.sent + 1;
    const lastRow = (this.sent += this.lines.length);
    this.lines = [];
    this.bytes = 0;
    const i = this.turn++ % this.clients.length;
    // This client's previous chunk must be in before it takes the next; any client's failure ends
    // the wait.
    await Promise.race([this.pending[i], this.failed]);
    const copy = new CopyIn(
      `copy ${this.table} (${this.columns.map((c) => `"${c}"`).join(', ')}) from stdin`,
      data,
    );
    this.pending[i] = copy.done.catch((error: unknown) => {
      if (!this.failure) {
        this.failure = new CopyFailedError(
          this.table,
          this.columns,
          firstRow,
          lastRow,
          error instanceof Error ? error : new Error(String(error)),
        );
        this.fail(this.failure);
      }
      throw this.failure;
    });
    // Seen through `failed` or a later wait; unobserved until then, it must not count as unhandled.
    this.pending[i].catch(() => undefined);
    void this.clients[i].query(copy as never);
  }

  async end(): Promise<number> {
    await this.flush();
    await Promise.race([Promise.all(this.pending), this.failed]);
    return this.rows;
  }
}
