import { Logger } from '@nestjs/common';
import type { Pool, PoolClient, QueryResultRow } from 'pg';
import { unavailableKind } from './database-unavailable';
import { laneBeside, pipelinedPoolBeside, socketOf } from './lane-pool';
import { CACHED_PLAN_STALE, runPrepared, type PreparedText } from './prepared-statements';

/**
 * The short reads made on every page and decision (the session, the resident's invoices, the
 * resident's earlier requests) share two PostgreSQL connections in pipeline mode, and what they
 * send in one turn of the event loop goes out in one write.
 *
 * Why (issue 18): each read on a connection of its own cost the portal a pool checkout and a
 * socket write of its own, and the write is a system call that on this kind of machine costs
 * ~40 µs, 10–16 % of the portal's CPU under the list and decision loads; PostgreSQL's backend was
 * woken once per read too. Measured with 32 readers of a small named statement: ~25 µs of node CPU
 * per read one connection each, ~11 µs on two pipelined connections written once a turn.
 *
 * What it keeps: each read is its own statement, in its own implicit transaction, with its own
 * Sync, so one read's error fails that read only; results come back in the order sent, so rows are
 * never handed to the wrong read; types are parsed as on MikroORM's connections (the same options,
 * type parsers included). What it costs: a read queued behind a slow one on the same connection
 * waits for it, so only reads that take milliseconds go here (`queryRows(…, { short: true })`),
 * and no write: its commit waits for the disk, and the reads behind it with it (the sessions'
 * expiry writes, sent here at first, cost the list ~15 % of its rate and ~5 ms of its p99). A
 * read waits for the end of the turn it was made in before it is sent.
 */
const CONNECTIONS = 2;

interface Slot {
  client?: PoolClient;
  connecting?: Promise<PoolClient>;
  /** Reads given to this slot and not yet answered. */
  inFlight: number;
  /** Its connection is lost, or holds a statement planned for an older table: closed once idle. */
  discard: boolean;
  /** Forgets the connection if it ends while held (removed when it is given back). */
  onEnd?: () => void;
}

export class ReadLane {
  private readonly pool: Pool;
  private readonly slots: Slot[] = Array.from({ length: CONNECTIONS }, () => ({
    inFlight: 0,
    discard: false,
  }));
  /** Connections whose socket holds this turn's reads until `flush`. */
  private readonly corked = new Set<PoolClient>();
  private readonly reads = new Set<Promise<unknown>>();
  private readonly logger = new Logger('ReadLane');

  constructor(private readonly main: Pool) {
    this.pool = pipelinedPoolBeside(main, CONNECTIONS, this.logger);
  }

  /** The rows of one named statement. */
  rows<T extends QueryResultRow>(
    statement: PreparedText,
    params: readonly unknown[],
  ): Promise<T[]> {
    const read = this.read<T>(statement, params);
    this.reads.add(read);
    void read.then(
      () => this.reads.delete(read),
      () => this.reads.delete(read),
    );
    return read;
  }

  /** Lets the reads under way end, then closes the connections. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.reads]);
    for (const slot of this.slots) this.release(slot);
    await this.pool.end();
  }

  private async read<T extends QueryResultRow>(
    statement: PreparedText,
    params: readonly unknown[],
  ): Promise<T[]> {
    const slot = this.pick();
    slot.inFlight += 1;
    try {
      const client = await this.connectionOf(slot);
      this.cork(client);
      const result = await client.query<T>({ ...statement, values: [...params] });
      return result.rows;
    } catch (error) {
      // A connection the server ended (the read fails before the socket closes): never handed
      // to another read, which would fail on it too.
      if (unavailableKind(error) === 'connection') slot.discard = true;
      // A migration changed a table under this connection's plan: it is closed once idle, and
      // this read is made as any other would be, which reads again unnamed.
      if ((error as { code?: unknown }).code !== CACHED_PLAN_STALE) throw error;
      slot.discard = true;
      return runPrepared<T>(this.main, statement, params);
    } finally {
      slot.inFlight -= 1;
      if (slot.inFlight === 0) this.release(slot);
    }
  }

  /** The slot with the fewest reads waiting, the first of equals: one connection when quiet. */
  private pick(): Slot {
    let best = this.slots[0];
    for (const slot of this.slots) if (slot.inFlight < best.inFlight) best = slot;
    return best;
  }

  private connectionOf(slot: Slot): Promise<PoolClient> {
    if (slot.client) return Promise.resolve(slot.client);
    slot.connecting ??= this.pool.connect().then(
      (client) => {
        slot.connecting = undefined;
        slot.client = client;
        slot.onEnd = () => {
          if (slot.client === client) slot.client = undefined;
        };
        client.once('end', slot.onEnd);
        return client;
      },
      (error: unknown) => {
        slot.connecting = undefined;
        throw error;
      },
    );
    return slot.connecting;
  }

  /** Gives the connection back to the pool once nothing waits on it; a lost or stale one is closed. */
  private release(slot: Slot): void {
    const client = slot.client;
    if (!client || slot.inFlight > 0) return;
    slot.client = undefined;
    if (slot.onEnd) client.removeListener('end', slot.onEnd);
    client.release(slot.discard);
    slot.discard = false;
  }

  /**
   * `pg` writes each read as it is made; corked, the socket keeps them until the end of this turn
   * of the event loop (setImmediate), when every read made meanwhile goes out in one write.
   */
  private cork(client: PoolClient): void {
    if (this.corked.has(client)) return;
    const socket = socketOf(client);
    if (!socket) return;
    socket.cork();
    this.corked.add(client);
    if (this.corked.size === 1) setImmediate(() => this.flush());
  }

  private flush(): void {
    for (const client of this.corked) socketOf(client)?.uncork();
    this.corked.clear();
  }
}

const lanes = new WeakMap<Pool, ReadLane>();

/** The lane beside MikroORM's pool, made at its first read (see `laneBeside`). */
export function readLaneOf(main: Pool): ReadLane {
  return laneBeside(lanes, main, () => new ReadLane(main));
}
