import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { defineConfig, type Options } from '@mikro-orm/core';
import { ReflectMetadataProvider } from '@mikro-orm/decorators/legacy';
import { Migrator } from '@mikro-orm/migrations';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { SqliteDriver } from '@mikro-orm/sqlite';
import type { DatabaseConfig } from '../config/app.config';
import { PROJECT_ROOT } from '../config/paths';
import { typeConnectionErrors } from './pg-connection-errors';
import { postgresqlMigrations } from './migrations/postgresql';
import { sqliteMigrations } from './migrations/sqlite';

/**
 * One ORM configuration for the app, the migration command and the tests. The driver is chosen at
 * run time: SQLite (a file, nothing to set up) unless DATABASE_URL names a PostgreSQL database.
 * Each dialect has its own migration folder, generated from the same entities (see README).
 */
type Timeouts = 'statementTimeoutMs' | 'lockTimeoutMs' | 'idleInTransactionTimeoutMs';
/** The database settings the ORM needs; tools that leave the time-outs out get none. */
export type OrmDatabaseSettings = Omit<
  DatabaseConfig,
  Timeouts | 'commitQueueMax' | 'readyStallMs'
> &
  Partial<Pick<DatabaseConfig, Timeouts>>;

/**
 * Time-outs PostgreSQL applies to every session (sent when each connection starts, so a reset of
 * the session keeps them): a statement, a lock wait and an open transaction left idle each end
 * with an error instead of holding a resident, a pooled connection and locks for as long as the
 * database is stalled. 0 turns one off.
 */
function postgresTimeouts(db: OrmDatabaseSettings) {
  return {
    ...(db.statementTimeoutMs !== undefined && { statement_timeout: db.statementTimeoutMs }),
    ...(db.lockTimeoutMs !== undefined && { lock_timeout: db.lockTimeoutMs }),
    ...(db.idleInTransactionTimeoutMs !== undefined && {
      idle_in_transaction_session_timeout: db.idleInTransactionTimeoutMs,
    }),
  };
}

/**
 * The ORM's settings for a database. The entities come from the caller (the app module, a CLI, a
 * test), so this feature depends on none of the features whose tables it holds.
 */
export function buildOrmConfig(
  db: OrmDatabaseSettings,
  entities: NonNullable<Options['entities']>,
): Partial<Options> {
  const common = {
    entities,
    metadataProvider: ReflectMetadataProvider,
    extensions: [Migrator],
    allowGlobalContext: false,
    ensureDatabase: false,
    forceUtcTimezone: true,
    // The audit tables' append-only triggers are hand-written in a migration, not declared on the
    // entities; without this every generated migration would drop them.
    schemaGenerator: { ignoreTriggers: true },
  } satisfies Partial<Options>;

  if (db.kind === 'postgresql') {
    return defineConfig({
      ...common,
      driver: PostgreSqlDriver,
      clientUrl: db.url,
      pool: { min: 0, max: db.poolMax },
      driverOptions: {
        connectionTimeoutMillis: 5000,
        ...postgresTimeouts(db),
        onPoolCreated: typeConnectionErrors,
      },
      migrations: {
        path: resolve(PROJECT_ROOT, 'src/database/migrations/postgresql'),
        emit: 'ts',
        snapshot: false,
        migrationsList: postgresqlMigrations,
      },
    });
  }
  const dbName = db.sqlitePath === ':memory:' ? ':memory:' : resolve(PROJECT_ROOT, db.sqlitePath);
  if (dbName !== ':memory:') mkdirSync(dirname(dbName), { recursive: true });
  return defineConfig({
    ...common,
    driver: SqliteDriver,
    dbName,
    pool: { min: 1, max: 1 },
    // How long a statement waits for another connection's lock before SQLITE_BUSY (a 503).
    ...(db.lockTimeoutMs !== undefined && { driverOptions: { timeout: db.lockTimeoutMs } }),
    migrations: {
      path: resolve(PROJECT_ROOT, 'src/database/migrations/sqlite'),
      emit: 'ts',
      snapshot: false,
      migrationsList: sqliteMigrations,
    },
  });
}
