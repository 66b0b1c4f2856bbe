/**
 * `npm run migration:create -- <name>`: writes a new migration for BOTH dialects from the entities.
 * Each dialect gets a scratch database brought to the latest migration, the entities are diffed
 * against it, and the result is written to src/database/migrations/<dialect>/ and registered in
 * that folder's index.ts. PostgreSQL comes from MIGRATION_DATABASE_URL (any database on the server;
 * a scratch database is created beside it and dropped afterwards).
 */
import 'reflect-metadata';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { MikroORM } from '@mikro-orm/core';
import { Client } from 'pg';
import { PROJECT_ROOT } from '../src/config/paths';
import { buildOrmConfig, type OrmDatabaseSettings } from '../src/database/orm.config';
import { ENTITIES } from '../src/entities';
import { withMigration, withoutTriggerNoise } from './migration-files';

const name = process.argv[2] ?? 'change';
const serverUrl =
  process.env.MIGRATION_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

function register(dialect: string, fileName: string): void {
  const className = basename(fileName, '.ts');
  const indexPath = join(PROJECT_ROOT, 'src/database/migrations', dialect, 'index.ts');
  writeFileSync(indexPath, withMigration(readFileSync(indexPath, 'utf8'), className));
}

async function create(db: OrmDatabaseSettings, dialect: string): Promise<void> {
  const orm = await MikroORM.init(buildOrmConfig(db, ENTITIES));
  try {
    await orm.migrator.up();
    const result = await orm.migrator.create(undefined, false, false, name);
    if (!result.fileName) {
      process.stdout.write(`${dialect}: no changes\n`);
      return;
    }
    const path = join(PROJECT_ROOT, 'src/database/migrations', dialect, result.fileName);
    writeFileSync(path, withoutTriggerNoise(readFileSync(path, 'utf8')));
    register(dialect, result.fileName);
    process.stdout.write(`${dialect}: wrote ${result.fileName}\n`);
  } finally {
    await orm.close();
  }
}

async function main(): Promise<void> {
  const base = { poolMax: 2, migrateOnStart: false };
  const sqlitePath = join(mkdtempSync(join(tmpdir(), 'mf-migration-')), 'scratch.sqlite');
  await create({ ...base, kind: 'sqlite', url: undefined, sqlitePath }, 'sqlite');

  const scratch = `mf_migration_${Date.now()}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${scratch}`);
  try {
    const url = new URL(serverUrl);
    url.pathname = `/${scratch}`;
    await create({ ...base, kind: 'postgresql', url: url.toString(), sqlitePath }, 'postgresql');
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${scratch}`);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
