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
import { ENTITIES } from './entities';
import { postgresqlMigrations } from './migrations/postgresql';
import { sqliteMigrations } from './migrations/sqlite';

/**
 * One ORM configuration for the app, the migration command and the tests. The driver is chosen at
 * run time: SQLite (a file, nothing to set up) unless DATABASE_URL names a PostgreSQL database.
 * Each dialect has its own migration folder, generated from the same entities (see README).
 */
export function buildOrmConfig(db: DatabaseConfig): Partial<Options> {
  const common = {
    entities: ENTITIES,
    metadataProvider: ReflectMetadataProvider,
    extensions: [Migrator],
    allowGlobalContext: false,
    ensureDatabase: false,
    forceUtcTimezone: true,
  } satisfies Partial<Options>;

  if (db.kind === 'postgresql') {
    return defineConfig({
      ...common,
      driver: PostgreSqlDriver,
      clientUrl: db.url,
      pool: { min: 0, max: db.poolMax },
      driverOptions: { connectionTimeoutMillis: 5000 },
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
    migrations: {
      path: resolve(PROJECT_ROOT, 'src/database/migrations/sqlite'),
      emit: 'ts',
      snapshot: false,
      migrationsList: sqliteMigrations,
    },
  });
}
