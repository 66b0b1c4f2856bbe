import type { EntityManager } from '@mikro-orm/core';
import {
  generateDemoInvoices,
  type DemoInvoiceOptions,
} from '../../dev/finance-server/demo-invoices';
import { todayInNorway } from '../../src/finance/iso-date';
import { importIntoLedger } from '../../src/finance/ledger/ledger-import';
import type { Municipality } from '../../src/tenancy/municipality.entity';

export const KARI = '12838512311';
export const OLA = '03879245612';
export const INGRID = '24915822289';

/**
 * Gives a test municipality the demo residents' invoices (as Fjordvik has them), dated around
 * today, with ids made unique for this municipality. Other `residents` get the demo's plain
 * "pays on time, one open water bill" story.
 */
export async function seedLedgerFor(
  em: EntityManager,
  municipality: Municipality,
  today = todayInNorway(),
  residents?: DemoInvoiceOptions['residents'],
  prefix = municipality.slug,
) {
  const entries = generateDemoInvoices({ today, residents })
    .filter((e) => e.municipality === 'fjordvik')
    .map((e) => ({
      pid: e.pid,
      invoices: e.invoices.map((i) => ({
        ...i,
        id: `${prefix}-${i.id}`,
        invoiceNumber: `${prefix}-${i.invoiceNumber}`,
      })),
      paymentEvents: e.paymentEvents.map((p) => ({
        ...p,
        invoiceId: `${prefix}-${p.invoiceId}`,
        invoiceNumber: `${prefix}-${p.invoiceNumber}`,
      })),
    }));
  await importIntoLedger(em, municipality.id, entries);
  return entries;
}
