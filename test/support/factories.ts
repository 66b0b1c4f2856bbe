import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { Municipality } from '../../src/tenancy/municipality.entity';

/** A municipality with unique names; pass hostnames to serve it on e.g. `127.0.0.1`. */
export async function createMunicipality(
  em: EntityManager,
  overrides: Partial<Municipality> = {},
): Promise<Municipality> {
  const suffix = randomBytes(3).toString('hex');
  const municipality = em.create(Municipality, {
    slug: `test-${suffix}`,
    name: `Testvik ${suffix} kommune`,
    orgNumber: '999000099',
    hostnames: [],
    contactEmail: `post-${suffix}@testvik.example`,
    contactPhone: '+47 12 34 56 78',
    settings: { financeAdapter: 'embedded' },
    ...overrides,
  });
  await em.flush();
  return municipality;
}
