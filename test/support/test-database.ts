import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MikroORM } from '@mikro-orm/core';
import { Client } from 'pg';
import { buildOrmConfig } from '../../src/database/orm.config';
import { ENTITIES } from '../../src/entities';

export interface TestDatabase {
  kind: 'sqlite' | 'postgresql';
  /** Environment that points the app at this database. */
  env: Record<string, string>;
  drop(): Promise<void>;
}

/**
 * A fresh, empty database for one test suite. SQLite by default; PostgreSQL when TEST_DATABASE_URL
 * names a server (a database is created beside the one in the URL and dropped afterwards). A
 * PostgreSQL that cannot be reached fails the suite loudly rather than skipping it.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const dir = mkdtempSync(join(tmpdir(), 'mf-test-'));
    return {
      kind: 'sqlite',
      env: { SQLITE_PATH: join(dir, 'test.sqlite') },
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `mf_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `TEST_DATABASE_URL is set but PostgreSQL cannot be reached: ${(error as Error).message}`,
    );
  }
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    kind: 'postgresql',
    env: { DATABASE_URL: url.toString() },
    drop: async () => {
      const client = new Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** The portal's MikroORM settings for a test database, without migrating on start. */
function ormConfigOn(
  db: TestDatabase,
  entities: NonNullable<Parameters<typeof buildOrmConfig>[1]>,
  poolMax: number,
) {
  return buildOrmConfig(
    {
      kind: db.kind,
      url: db.env.DATABASE_URL,
      sqlitePath: db.env.SQLITE_PATH ?? ':memory:',
      poolMax,
      migrateOnStart: false,
    },
    entities,
  );
}

/**
 * MikroORM on a fresh test database holding only these entities' tables, made from the entities
 * (no migrations): for specs of one store or helper. `close` closes it and drops the database.
 */
export async function openTestOrm(
  entities: NonNullable<Parameters<typeof buildOrmConfig>[1]>,
  poolMax = 1,
): Promise<{ orm: MikroORM; kind: TestDatabase['kind']; close(): Promise<void> }> {
  const db = await createTestDatabase();
  const orm = await MikroORM.init(ormConfigOn(db, entities, poolMax));
  await orm.schema.create();
  return {
    orm,
    kind: db.kind,
    close: async () => {
      await orm.close();
      await db.drop();
    },
  };
}

/**
 * MikroORM with all the portal's entities on a fresh test database, migrated up to and including
 * `to` (all migrations without it): for specs of a migration (the rows a previous release wrote,
 * then `orm.migrator.up()`) and of stores that need the real schema. `close` closes it and drops
 * the database.
 */
export async function openMigratedOrm(
  options: { to?: string; poolMax?: number } = {},
): Promise<{ orm: MikroORM; kind: TestDatabase['kind']; close(): Promise<void> }> {
  const db = await createTestDatabase();
  const orm = await MikroORM.init({
    ...ormConfigOn(db, ENTITIES, options.poolMax ?? 2),
    logger: () => undefined,
  });
  await orm.migrator.up(options.to ? { to: options.to } : undefined);
  return {
    orm,
    kind: db.kind,
    close: async () => {
      await orm.close(true);
      await db.drop();
    },
  };
}
