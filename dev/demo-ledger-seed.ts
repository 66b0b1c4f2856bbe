import { MikroORM } from '@mikro-orm/core';
import type { INestApplication } from '@nestjs/common';
import { todayInNorway } from '../src/shared/calendar-date';
import { LedgerInvoice } from '../src/finance/ledger/ledger-invoice.entity';
import { importIntoLedger } from '../src/finance/ledger/ledger-import';
import { Municipality } from '../src/tenancy/municipality.entity';
import { TenancyService } from '../src/tenancy/tenancy.service';
import { generateDemoInvoices } from './finance-server/demo-invoices';

/**
 * Fills the embedded ledger of an empty demo database with the demo residents' invoices, dated
 * around today, so the first login shows open, overdue, deferred and collected invoices.
 */
export async function seedDemoLedger(app: INestApplication): Promise<void> {
  const em = app.get(MikroORM).em.fork();
  if ((await em.count(LedgerInvoice, {})) > 0) return;
  const ledger = generateDemoInvoices({ today: todayInNorway() });
  let count = 0;
  for (const municipality of await em.find(Municipality, {})) {
    const entries = ledger.filter((entry) => entry.municipality === municipality.slug);
    count += await importIntoLedger(em, municipality.id, entries);
  }
  process.stdout.write(`Demo ledger: ${count} invoices for the demo residents\n`);
}

/**
 * Points every demo municipality at the finance-system server; with `writesDueDates: false` (the
 * hand-over demo) its due dates are handed over to the finance team instead of written.
 */
export async function useFinanceServer(
  app: INestApplication,
  url: string,
  { writesDueDates = true }: { writesDueDates?: boolean } = {},
): Promise<void> {
  const em = app.get(MikroORM).em.fork();
  for (const municipality of await em.find(Municipality, {})) {
    const { financeWritesDueDates: _writes, ...rest } = municipality.settings;
    municipality.settings = {
      ...rest,
      financeAdapter: 'http',
      financeBaseUrl: url,
      ...(writesDueDates ? {} : { financeWritesDueDates: false }),
    };
  }
  await em.flush();
  app.get(TenancyService).invalidate();
}

/**
 * Points every demo municipality back at the embedded ledger (after a DEMO_FINANCE=http or
 * handover run), which always writes.
 */
export async function useEmbeddedLedger(app: INestApplication): Promise<void> {
  const em = app.get(MikroORM).em.fork();
  let changed = 0;
  for (const municipality of await em.find(Municipality, {})) {
    if (municipality.settings.financeAdapter !== 'http') continue;
    const { financeBaseUrl: _url, financeWritesDueDates: _writes, ...rest } = municipality.settings;
    municipality.settings = { ...rest, financeAdapter: 'embedded' };
    changed++;
  }
  if (changed === 0) return;
  await em.flush();
  app.get(TenancyService).invalidate();
}
