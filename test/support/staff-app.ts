import { MikroORM } from '@mikro-orm/core';
import { DEMO_STAFF_ROLE_MAP } from '../../dev/demo-staff';
import { databaseConfig } from '../../src/config/app.config';
import { buildOrmConfig } from '../../src/database/orm.config';
import { ENTITIES } from '../../src/entities';
import type { Municipality } from '../../src/tenancy/municipality.entity';
import { createMunicipality } from './factories';
import { startPortalWithIdporten, type PortalWithIdporten } from './idporten-app';
import { createTestDatabase, type TestDatabase } from './test-database';

/** Municipality B's host name; A is served on 127.0.0.1, the test portal's own address. */
export const STAFF_TEST_HOST_B = 'kommune-b.test';

export interface PortalWithStaff extends PortalWithIdporten {
  /** Served on 127.0.0.1 (the URL `t.url` names): where officer, approver, auditor and dual work. */
  a: Municipality;
  /** Served on `kommune-b.test`: dual's second municipality, asdal-approver's only one. */
  b: Municipality;
  /** Host headers for a HostAgent: `127.0.0.1:<port>` and `kommune-b.test:<port>`. */
  hostA: string;
  hostB: string;
}

/**
 * The demo personas' role map with the demo's municipalities replaced by the test's own: what
 * Fjordvik's staff get in the demo they get in A, Åsdal's in B.
 */
export function staffTestRoleMap(a: string, b: string): Record<string, string[]> {
  const slugs: Record<string, string> = { fjordvik: a, asdal: b };
  return Object.fromEntries(
    Object.entries(DEMO_STAFF_ROLE_MAP).map(([claim, grants]) => [
      claim,
      grants.map((grant) => {
        const [slug, role] = grant.split(':');
        return `${slugs[slug]}:${role}`;
      }),
    ]),
  );
}

/**
 * The portal with residents' and staff's logins on the test provider, and two municipalities of
 * its own made before it starts (the role map names them, and is checked at start): A on
 * 127.0.0.1 and B on `kommune-b.test`. Log staff in with `loginAsStaff` (staff-login.ts).
 * `env` overrides settings, e.g. `STAFF_SESSION_IDLE_MINUTES` or a `STAFF_ROLE_MAP` of your own.
 */
export async function startPortalWithStaff(
  env: Record<string, string> = {},
): Promise<PortalWithStaff> {
  const { db, a, b } = await databaseWithStaffMunicipalities();
  const portal = await startPortalWithIdporten(
    { STAFF_ROLE_MAP: JSON.stringify(staffTestRoleMap(a.slug, b.slug)), ...env },
    { db, staff: { hosts: ['127.0.0.1', STAFF_TEST_HOST_B] } },
  );
  const port = new URL(portal.t.url).port;
  return { ...portal, a, b, hostA: `127.0.0.1:${port}`, hostB: `${STAFF_TEST_HOST_B}:${port}` };
}

/**
 * A fresh, migrated database holding the two municipalities (`nordby` on 127.0.0.1, `sorby` on
 * kommune-b.test), for a portal started on it with `startTestAppOn` and a role map naming them.
 */
export async function databaseWithStaffMunicipalities(): Promise<{
  db: TestDatabase;
  a: Municipality;
  b: Municipality;
}> {
  const db = await createTestDatabase();
  try {
    return { db, ...(await createMunicipalities(db)) };
  } catch (error) {
    await db.drop();
    throw error;
  }
}

async function createMunicipalities(db: TestDatabase) {
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
    const a = await createMunicipality(orm.em.fork(), {
      slug: 'nordby',
      name: 'Nordby kommune',
      hostnames: ['127.0.0.1'],
    });
    const b = await createMunicipality(orm.em.fork(), {
      slug: 'sorby',
      name: 'Sørby kommune',
      hostnames: [STAFF_TEST_HOST_B],
    });
    return { a, b };
  } finally {
    await orm.close();
  }
}
