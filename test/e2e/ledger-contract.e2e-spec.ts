import { MikroORM } from '@mikro-orm/core';
import { EmbeddedLedgerFinanceSystem } from '../../src/finance/ledger/embedded-ledger.finance-system';
import { LedgerInvoice } from '../../src/finance/ledger/ledger-invoice.entity';
import { LedgerPaymentEvent } from '../../src/finance/ledger/ledger-payment-event.entity';
import { describeFinanceSystemContract } from '../../src/finance/testing/finance-system.contract';
import { createMunicipality } from '../support/factories';
import { INGRID, KARI, OLA, seedLedgerFor } from '../support/ledger-fixtures';
import { syntheticPid } from '../support/resident-factory';
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
    // Each fixture's ids start with its municipality's slug: unique in one database, as a finance system's are.
    await seedLedgerFor(em, fjordvik, TODAY);
    await seedLedgerFor(em, asdal, TODAY, [{ pid: syntheticPid(404) }]);
    return {
      system: new EmbeddedLedgerFinanceSystem(t.app.get(MikroORM), () => TODAY),
      tenant: { id: fjordvik.id, slug: fjordvik.slug, settings: {} },
      otherTenant: { id: asdal.id, slug: asdal.slug, settings: {} },
      residents: { payer: KARI, inCollection: OLA, other: INGRID },
      today: TODAY,
      teardown: async () => undefined,
    };
  });

  it('reads an invoice stored before the collection agency was carried as naming none', async () => {
    const em = t.em();
    const municipality = await createMunicipality(em);
    const [ola] = await seedLedgerFor(em, municipality, TODAY, [{ pid: OLA }]);
    const collected = ola.invoices.find((i) => i.sentToExternal)!;
    const { collectionAgency: _dropped, ...older } = collected;
    await em.nativeUpdate(LedgerInvoice, { id: collected.id }, { document: older });
    const system = new EmbeddedLedgerFinanceSystem(t.app.get(MikroORM), () => TODAY);
    const tenant = { id: municipality.id, slug: municipality.slug, settings: {} };
    const invoice = await system.getInvoice(tenant, OLA, collected.id);
    expect(invoice.collectionAgency).toBeNull();
    expect(invoice).toEqual({ ...collected, collectionAgency: null });
    const listed = (await system.listInvoices(tenant, OLA)).find((i) => i.id === collected.id);
    expect(listed?.collectionAgency).toBeNull();
  });

  it("reads a decision's inputs in one statement, each part in the order of its own read", async () => {
    const em = t.em();
    const municipality = await createMunicipality(em);
    const [kari] = await seedLedgerFor(em, municipality, TODAY, [{ pid: KARI }]);
    // Two events on one day: the history keeps them in the order of their ids, as its own read
    // does, not of their invoice numbers (which run the other way here).
    const event = (id: string, invoiceNumber: string) =>
      em.create(LedgerPaymentEvent, {
        id,
        municipalityId: municipality.id,
        pid: KARI,
        type: 'REMINDER_SENT',
        date: '2026-11-20',
        invoiceId: kari.invoices[0].id,
        invoiceNumber,
        amountOre: null,
        daysLate: null,
      });
    event('00000000-0000-4000-8000-000000000001', '0000000001');
    event('ffffffff-ffff-4fff-bfff-ffffffffffff', '9999999999');
    await em.flush();
    const system = new EmbeddedLedgerFinanceSystem(t.app.get(MikroORM), () => TODAY);
    const tenant = { id: municipality.id, slug: municipality.slug, settings: {} };
    const inputs = await system.getDecisionInputs(tenant, KARI, kari.invoices[0].id);
    const history = await system.getPaymentHistory(tenant, KARI);
    expect(inputs.history).toEqual(history);
    const sameDay = history.events.filter((e) => e.date === '2026-11-20');
    expect(sameDay.map((e) => e.invoiceNumber)).toEqual(['0000000001', '9999999999']);
    expect(inputs.all).toEqual(await system.listInvoices(tenant, KARI));
  });
});
