import type { EntityManager } from '@mikro-orm/core';
import { todayInNorway, type IsoDate } from '../../src/shared/calendar-date';
import { importIntoLedger } from '../../src/finance/ledger/ledger-import';
import type { Municipality } from '../../src/tenancy/municipality.entity';
import {
  residentWithStory,
  syntheticPid,
  type ResidentLedger,
  type StoryName,
} from './resident-factory';

/*
 * Three residents most e2e and browser tests log in as. Their numbers and invoices are the tests'
 * own (synthetic, built by the factories in this folder), not the demo story's, so the demo can
 * change without breaking a test.
 */
/** Pays on time; an open invoice the default policy approves at once. */
export const KARI = syntheticPid(101);
/** An invoice in debt collection and one already deferred: rejections. */
export const OLA = syntheticPid(202);
/** Property tax above 10 000 kr (manual review) and an overdue bill. */
export const INGRID = syntheticPid(303);

/** The names on their invoices. */
export const NAMES: Record<string, string> = {
  [KARI]: 'Kari Testesen',
  [OLA]: 'Ola Prøvesen',
  [INGRID]: 'Ingrid Eksempel',
};

const STORY_OF: Record<string, StoryName> = {
  [KARI]: 'openInvoicePayer',
  [OLA]: 'collectionAndDeferral',
  [INGRID]: 'largePropertyTax',
};

export interface FixtureResident {
  pid: string;
  name?: string;
}

/**
 * Gives a municipality's embedded ledger KARI's, OLA's and INGRID's invoices, dated around
 * `today`. Other `residents` (given instead) get a plain "pays on time, one open bill" story, or
 * theirs if they are one of the three. Ids are prefixed to stay unique in the database.
 */
export async function seedLedgerFor(
  em: EntityManager,
  municipality: Municipality,
  today: IsoDate = todayInNorway(),
  residents: readonly FixtureResident[] = [{ pid: KARI }, { pid: OLA }, { pid: INGRID }],
  prefix = municipality.slug,
): Promise<ResidentLedger[]> {
  const entries = residents.map((r) =>
    residentWithStory(r.pid, STORY_OF[r.pid] ?? 'plainPayer', {
      today,
      name: r.name ?? NAMES[r.pid],
      municipality: municipality.slug,
      prefix,
    }),
  );
  await importIntoLedger(em, municipality.id, entries);
  return entries;
}
