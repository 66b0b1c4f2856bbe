import type { Pool, PoolClient } from 'pg';
import { DatabaseUnavailableError } from './database-unavailable';

const TYPED = Symbol('typedConnectionErrors');

/**
 * Makes a lost PostgreSQL connection an error like any other for the rest of the portal:
 *
 * - `pg` reports a lost connection ("Connection terminated unexpectedly"), a client that can no
 *   longer query and a pool that could not hand out a connection in time as plain `Error`s
 *   without a code, which nothing downstream could tell from a bug but by their text. Errors from
 *   the server carry a SQLSTATE and socket errors an errno code; every other error a query or an
 *   acquire rejects with is the connection failing, and is given a type here, where that is known.
 * - Kysely does not release a transaction's connection when its `begin` or `rollback` fails, as
 *   both do once the connection is gone, so each transaction cut off would keep a pool slot for
 *   good until the pool ran dry. A connection that ends while checked out is given back at once
 *   (and dropped by the pool); the holder's own release later is then ignored.
 */
export function typeConnectionErrors(pool: Pool): void {
  const connect = pool.connect.bind(pool) as () => Promise<PoolClient>;
  Object.assign(pool, {
    connect: (...args: unknown[]) => {
      if (args.length > 0) return (connect as (...a: unknown[]) => unknown)(...args);
      return connect().then(
        (client) => releaseWhenLost(typeQueryErrors(client)),
        (error: unknown) => {
          throw typed(error);
        },
      );
    },
  });
}

function releaseWhenLost(client: PoolClient): PoolClient {
  // The pool gives each checkout its own `release`, which throws if called twice.
  const release = client.release.bind(client);
  let released = false;
  const releaseOnce = (error?: Error | boolean) => {
    if (released) return;
    released = true;
    client.removeListener('end', onEnd);
    release(error);
  };
  const onEnd = () => releaseOnce(new DatabaseUnavailableError('connection'));
  client.once('end', onEnd);
  client.release = releaseOnce;
  return client;
}

function typeQueryErrors(client: PoolClient): PoolClient {
  const marked = client as PoolClient & { [TYPED]?: true };
  if (marked[TYPED]) return client;
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  Object.assign(client, {
    [TYPED]: true,
    query: (...args: unknown[]) => {
      const result = query(...args);
      if (!(result instanceof Promise)) return result;
      return result.catch((error: unknown) => {
        throw typed(error);
      });
    },
  });
  return client;
}

function typed(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string'
    ? error
    : new DatabaseUnavailableError('connection', { cause: error });
}
