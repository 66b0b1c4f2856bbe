import { MikroORM } from '@mikro-orm/core';
import { databaseConfig } from '../../src/config/app.config';
import { buildOrmConfig } from '../../src/database/orm.config';
import { ENTITIES } from '../../src/entities';
import type { Municipality } from '../../src/tenancy/municipality.entity';
import { createMunicipality } from './factories';
import { createTestDatabase, type TestDatabase } from './test-database';

/**
 * A migrated database holding one municipality, `bergvik`, with these settings, as an operator left
 * it: for tests of what the portal does with them when it starts.
 */
export async function databaseWithMunicipality(
  settings: Municipality['settings'],
): Promise<TestDatabase> {
  const db = await createTestDatabase();
  const saved = { ...process.env };
  Object.assign(process.env, db.env);
  let config;
  try {
    config = { ...databaseConfig(), poolMax: 2, migrateOnStart: false };
  } finally {
    process.env = saved;
  }
  const orm = await MikroORM.init({ ...buildOrmConfig(config, ENTITIES), logger: () => undefined });
  try {
    await orm.migrator.up();
    await createMunicipality(orm.em.fork(), { slug: 'bergvik', settings });
  } finally {
    await orm.close();
  }
  return db;
}
