import type { EntityManager, MikroORM } from '@mikro-orm/core';
import { AbstractSqlConnection, SqlitePlatform } from '@mikro-orm/sql';
import { Logger } from '@nestjs/common';
import type { Pool, PoolClient, QueryResult } from 'pg';
import { settleAfterCommit } from './after-commit';
import { gatherWrites, gatherWritesThen } from './plain-statements';
import { laneBeside, pipelinedPoolBeside, socketOf } from './lane-pool';

/**
 * A transaction whose writes are held to its end (`gatherWrites`), sent in two round trips on
 * PostgreSQL: `begin` goes out in one write with the first statement made (the audit chain
 * head's lock), and the held writes in one write with `commit`. Through MikroORM the same
 * transaction takes four: `begin`, the lock, the writes, `commit`, each awaited before the next.
 *
 * Why (issue 18): each round trip costs the portal a socket write and a wake-up, and PostgreSQL's
 * backend a wake-up too; under a paced load, where decisions arrive one at a time and commit
 * alone, those are a large part of what a decision costs, and the head lock is held one round
 * trip less.
 *
 * How: the transaction runs on a connection of its own pool in `pg`'s pipeline mode, where a
 * query goes out when it is made rather than when the one before it has answered. The
 * statements reach it through `em`, whose transaction context is this connection (the
 * `executeQuery` MikroORM and `plain-statements` call on a context), so the code inside is the
 * code MikroORM's transactions run: plain statements, reads, MikroORM's query builder. Not
 * supported inside: a flush or a nested transaction (a savepoint), which ask the context for more.
 *
 * What it keeps:
 * - Nothing is written unless `begin` succeeded: each statement's answer is checked against it.
 * - The held writes fail or commit as one. If they fail, the commit behind them ends the
 *   transaction as a rollback (PostgreSQL's answer to `commit` in a failed transaction), and
 *   their error is what the caller gets, as from a MikroORM transaction (`convertException`).
 * - If the held writes could not be handed to the driver, no commit is sent behind them.
 * - `afterCommit` callbacks run once it has committed, never otherwise.
 *
 * On SQLite (one writer, no round trips) it is MikroORM's transaction with `gatherWrites`.
 */
/**
 * As many as the decisions' group commit has batches in flight: each batch waits for the head's
 * lock anyway, and a batch whose unique key broke is retried one decision at a time, which wait
 * for the lock in turn whatever their connections.
 */
const CONNECTIONS = 2;

export class CommitLane {
  private readonly pool: Pool;
  private readonly running = new Set<Promise<unknown>>();
  private readonly logger = new Logger('CommitLane');

  constructor(main: Pool) {
    this.pool = pipelinedPoolBeside(main, CONNECTIONS, this.logger);
  }

  /** Runs `work` in a transaction on this lane (see above) and returns what it returned. */
  run<T>(em: EntityManager, work: (em: EntityManager) => Promise<T>): Promise<T> {
    const run = this.transaction(em, work);
    this.running.add(run);
    void run.then(
      () => this.running.delete(run),
      () => this.running.delete(run),
    );
    return run;
  }

  /** Lets the transactions under way end, then closes the connections. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.running]);
    await this.pool.end();
  }

  private async transaction<T>(
    parent: EntityManager,
    work: (em: EntityManager) => Promise<T>,
  ): Promise<T> {
    const client = await this.pool.connect();
    const context = new LaneTransaction(client);
    const em = parent.fork();
    em.setTransactionContext(context);
    let committed = false;
    try {
      context.begin();
      const result = await gatherWritesThen(
        em,
        () => work(em),
        (sendHeld) => context.commitWith(sendHeld),
      );
      committed = true;
      client.release();
      return result;
    } catch (error) {
      // Whatever state the connection is in: a rollback ends a transaction still open (and is a
      // no-op warning otherwise); a connection that cannot answer it is closed, not reused.
      await client.query('rollback').then(
        () => client.release(),
        (rollbackError: Error) => client.release(rollbackError),
      );
      throw error;
    } finally {
      settleAfterCommit(context, committed);
    }
  }
}

/** One transaction's connection, as the transaction context `em` hands its statements to. */
class LaneTransaction {
  /** Statements handed to the driver, `begin` and `commit` not counted. */
  private submitted = 0;
  private begun?: { ok: true } | { ok: false; error: unknown };

  constructor(private readonly client: PoolClient) {}

  /**
   * Sends `begin` with the socket corked until the end of this turn of the event loop, so the
   * first statement of the work (made before that) goes out in the same write.
   */
  begin(): void {
    const socket = socketOf(this.client);
    socket?.cork();
    setImmediate(() => socket?.uncork());
    this.client.query('begin').then(
      () => (this.begun = { ok: true }),
      (error: unknown) => (this.begun = { ok: false, error }),
    );
  }

  /** What `execute` (plain-statements) and MikroORM's `connection.execute` call on a context. */
  async executeQuery(compiled: {
    sql: unknown;
    parameters: readonly unknown[];
  }): Promise<{ rows: unknown[]; numAffectedRows?: bigint }> {
    this.checkBegun();
    this.submitted += 1;
    const result = await this.client.query(compiled.sql as string, [...compiled.parameters]);
    // Answers come in order: by now `begin` has answered too. A statement that ran after a
    // failed `begin` ran outside any transaction; it is reported as failed with it.
    this.checkBegun();
    return { rows: result.rows ?? [], numAffectedRows: affected(result) };
  }

  /**
   * Sends the held writes and `commit` in one write, and waits for both; the commit goes only if
   * the writes reached the driver (or there were none).
   */
  async commitWith(sendHeld: () => Promise<void>): Promise<void> {
    const before = this.submitted;
    const socket = socketOf(this.client);
    let sent: Promise<void>;
    let committing: Promise<QueryResult> | undefined;
    socket?.cork();
    try {
      sent = sendHeld();
      if (this.submitted > before) committing = this.client.query('commit');
    } finally {
      socket?.uncork();
    }
    if (!committing) {
      // Nothing was held, or what was held never reached the driver (it failed first).
      await sent;
      this.checkBegun();
      committing = this.client.query('commit');
    }
    const [writes, commit] = await Promise.allSettled([sent, committing]);
    if (writes.status === 'rejected') throw writes.reason;
    if (commit.status === 'rejected') throw commit.reason;
    if (commit.value.command !== 'COMMIT')
      throw new Error(`the commit was answered ${commit.value.command}, not COMMIT`);
  }

  private checkBegun(): void {
    if (this.begun && !this.begun.ok) throw this.begun.error;
  }
}

function affected(result: QueryResult): bigint | undefined {
  return ['INSERT', 'UPDATE', 'DELETE', 'MERGE'].includes(result.command)
    ? BigInt(result.rowCount ?? 0)
    : undefined;
}

const lanes = new WeakMap<Pool, CommitLane>();

/**
 * Runs `work` in one transaction with its writes held and sent at the end (`gatherWrites`), on
 * PostgreSQL in two round trips (see `CommitLane`). For a group commit's batch: the work must make
 * its statements through the `em` it is given, and must not flush or open a nested transaction.
 */
export async function commitTogether<T>(
  orm: MikroORM,
  work: (em: EntityManager) => Promise<T>,
): Promise<T> {
  const connection = orm.em.getConnection();
  if (!(connection instanceof AbstractSqlConnection))
    throw new Error('minside-faktura needs an SQL database');
  if (connection.getPlatform() instanceof SqlitePlatform)
    return orm.em.fork().transactional((em: EntityManager) => gatherWrites(em, () => work(em)));
  const pool = (await connection.getNativeClient()) as Pool;
  return laneBeside(lanes, pool, () => new CommitLane(pool)).run(orm.em, work);
}
