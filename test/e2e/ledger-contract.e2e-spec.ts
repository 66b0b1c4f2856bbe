import { MikroORM } from '@mikro-orm/core';
import { generateDemoInvoices } from '../../dev/finance-server/demo-invoices';
import { EmbeddedLedgerFinanceSystem } from '../../src/finance/ledger/embedded-ledger.finance-system';
import { importIntoLedger } from '../../src/finance/ledger/ledger-import';
import { describeFinanceSystemContract } from '../../src/finance/testing/finance-system.contract';
import { createMunicipality } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';

const TODAY = '2026-11-23';

/** The same contract the HTTP adapter passes, run against the embedded ledger on a real database. */
describe('EmbeddedLedgerFinanceSystem', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  describeFinanceSystemContract('embedded ledger', async () => {
    const em = t.em();
    const fjordvik = await createMunicipality(em);
    const asdal = await createMunicipality(em);
    const ledger = generateDemoInvoices({ today: TODAY });
    // Ids must be unique across fixtures in one database, as a finance system's ids are.
    const prefix = fjordvik.slug;
    const rename = <T extends { id: string; invoiceNumber: string }>(i: T): T => ({ ...i, id: `${prefix}-${i.id}`, invoiceNumber: `${prefix}-${i.invoiceNumber}` });
    const forTenant = (slug: string) =>
      ledger
        .filter((e) => e.municipality === slug)
        .map((e) => ({
          pid: e.pid,
          invoices: e.invoices.map(rename),
          paymentEvents: e.paymentEvents.map((p) => ({ ...p, invoiceId: `${prefix}-${p.invoiceId}`, invoiceNumber: `${prefix}-${p.invoiceNumber}` })),
        }));
    await importIntoLedger(em, fjordvik.id, forTenant('fjordvik'));
    await importIntoLedger(em, asdal.id, forTenant('asdal'));
    return {
      system: new EmbeddedLedgerFinanceSystem(t.app.get(MikroORM), () => TODAY),
      tenant: { id: fjordvik.id, slug: fjordvik.slug, settings: {} },
      otherTenant: { id: asdal.id, slug: asdal.slug, settings: {} },
      residents: { payer: '12838512311', inCollection: '03879245612', other: '24915822289' },
      today: TODAY,
      teardown: async () => undefined,
    };
  });
});
