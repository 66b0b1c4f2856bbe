import type { Socket } from 'node:net';
import type { Logger } from '@nestjs/common';
import { Pool, type PoolClient, type PoolConfig } from 'pg';
import { typeConnectionErrors } from './pg-connection-errors';

/**
 * What the two lanes beside MikroORM's pool share (the short reads, read-lane.ts; the decisions'
 * commits, commit-lane.ts): a few connections of their own, made with MikroORM's pool's options,
 * in `pg`'s pipeline mode, and ended before that pool ends.
 */

/** A pool of `max` connections with `main`'s options, in pipeline mode. */
export function pipelinedPoolBeside(main: Pool, max: number, logger: Logger): Pool {
  const options = main.options as PoolConfig;
  const pool = new Pool({
    ...options,
    // Not enumerable on the pool's options (pg-pool hides it), so not in the spread.
    password: options.password,
    min: 0,
    max,
    pipeline: true,
  });
  typeConnectionErrors(pool);
  // A connection that breaks while idle in the pool is dropped by the pool; one in use rejects
  // the queries on it (and is given back by `typeConnectionErrors`). Without a listener either
  // would be an uncaught 'error' event, as on MikroORM's pool (its `handlePoolErrors`).
  const lost = (error: Error) => logger.warn(`PostgreSQL connection lost: ${error.message}`);
  pool.on('error', lost);
  pool.on('connect', (client) => client.on('error', lost));
  return pool;
}

/**
 * The lane of this kind beside MikroORM's pool `main`, made (`make`) at its first use; ending that
 * pool (closing the ORM) closes the lane first.
 */
export function laneBeside<T extends { close(): Promise<void> }>(
  lanes: WeakMap<Pool, T>,
  main: Pool,
  make: () => T,
): T {
  const existing = lanes.get(main);
  if (existing) return existing;
  const created = make();
  lanes.set(main, created);
  const end: () => Promise<void> = main.end.bind(main);
  Object.assign(main, {
    end: (callback?: (error?: Error) => void) => {
      const ended = created.close().then(end);
      if (callback) ended.then(() => callback(), callback);
      return ended;
    },
  });
  return created;
}

/** The socket under a `pg` client (`client.connection.stream`, which `pg` itself corks). */
export function socketOf(client: PoolClient): { cork(): void; uncork(): void } | undefined {
  const stream = (client as unknown as { connection?: { stream?: Partial<Socket> } }).connection
    ?.stream;
  return stream?.cork && stream.uncork ? (stream as Socket) : undefined;
}
