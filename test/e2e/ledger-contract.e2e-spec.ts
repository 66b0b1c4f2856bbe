import { MikroORM } from '@mikro-orm/core';
import { EmbeddedLedgerFinanceSystem } from '../../src/finance/ledger/embedded-ledger.finance-system';
import type { Invoice } from '../../src/finance/invoice.model';
import { summaryOf } from '../../src/finance/ledger/invoice-summary';
import { LedgerInvoice } from '../../src/finance/ledger/ledger-invoice.entity';
import { LedgerPaymentEvent } from '../../src/finance/ledger/ledger-payment-event.entity';
import { describeFinanceSystemContract } from '../../src/finance/testing/finance-system.contract';
import { createMunicipality } from '../support/factories';
import { INGRID, KARI, OLA, seedLedgerFor } from '../support/ledger-fixtures';
import { syntheticPid } from '../support/resident-factory';
import { addDays } from '../../src/shared/calendar-date';
import { FinanceUnavailableError } from '../../src/finance/finance.errors';
import { randomUUID } from 'node:crypto';
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
    // As the summaries migration leaves such a row: its summary made from the document.
    await em.nativeUpdate(
      LedgerInvoice,
      { id: collected.id },
      { document: older, summary: summaryOf(older as Invoice) },
    );
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

  describe('summaries', () => {
    /** A municipality with KARI's invoices, the ledger, and one of her open invoices. */
    const kariLedger = async () => {
      const em = t.em();
      const municipality = await createMunicipality(em);
      await seedLedgerFor(em, municipality, TODAY, [{ pid: KARI }]);
      const system = new EmbeddedLedgerFinanceSystem(t.app.get(MikroORM), () => TODAY);
      const tenant = { id: municipality.id, slug: municipality.slug, settings: {} };
      const listed = await system.listInvoices(tenant, KARI);
      const open = listed.find((i) => i.status === 'UNPAID' && i.outstandingOre > 0)!;
      return { system, tenant, listed, open };
    };
    const stored = (id: string) =>
      t
        .em()
        .getConnection()
        .execute<{ summary: string | null; document: string }[]>(
          'select summary, document from ledger_invoices where id = ?',
          [id],
        )
        .then(([row]) => row);
    const setRow = (id: string, sql: string, params: unknown[]) =>
      t
        .em()
        .getConnection()
        .execute(`update ledger_invoices set ${sql} where id = ?`, [...params, id]);

    it('stores each summary as the text of the document without its lines and history', async () => {
      const { listed } = await kariLedger();
      for (const invoice of listed) {
        const row = await stored(invoice.id);
        expect(row.summary).toBe(JSON.stringify(summaryOf(JSON.parse(row.document) as Invoice)));
      }
    });

    it('lists an invoice from its summary, not its document, when the summary is current', async () => {
      const { system, tenant, open } = await kariLedger();
      const row = await stored(open.id);
      const document = { ...(JSON.parse(row.document) as Invoice), title: 'Only in the document' };
      await setRow(open.id, 'document = ?', [JSON.stringify(document)]);
      const listed = (await system.listInvoices(tenant, KARI)).find((i) => i.id === open.id);
      expect(listed?.title).toBe(open.title);
      // A decision takes the invoice asked about whole, from its document.
      const inputs = await system.getDecisionInputs(tenant, KARI, open.id);
      expect(inputs.invoice.title).toBe('Only in the document');
    });

    it('lists the new due date after a due date change, from the updated summary', async () => {
      const { system, tenant, listed, open } = await kariLedger();
      const newDueDate = addDays(open.dueDate > TODAY ? open.dueDate : TODAY, 14);
      await system.setDueDate(tenant, {
        invoiceId: open.id,
        pid: KARI,
        newDueDate,
        idempotencyKey: `summary-${randomUUID()}`,
        reason: 'Deferral UTS-TEST-2 approved',
      });
      const row = await stored(open.id);
      expect(JSON.parse(row.summary)).toMatchObject({ dueDate: newDueDate });
      expect(row.summary).toBe(JSON.stringify(summaryOf(JSON.parse(row.document) as Invoice)));
      const expected = listed.map((i) => (i.id === open.id ? { ...i, dueDate: newDueDate } : i));
      expect(await system.listInvoices(tenant, KARI)).toEqual(expected);
      const inputs = await system.getDecisionInputs(tenant, KARI, listed[0].id);
      expect(inputs.all).toEqual(expected);
    });

    it('lists a row without a summary (written by a previous release) from its document', async () => {
      const { system, tenant, listed, open } = await kariLedger();
      await setRow(open.id, 'summary = null', []);
      expect(await system.listInvoices(tenant, KARI)).toEqual(listed);
      expect((await system.getInvoiceWithList(tenant, KARI, listed[0].id)).all).toEqual(listed);
      expect((await system.getDecisionInputs(tenant, KARI, listed[0].id)).all).toEqual(listed);
    });

    it('lists a due date a previous release changed (document and due_date, the summary left stale) from the document', async () => {
      const { system, tenant, listed, open } = await kariLedger();
      const newDueDate = addDays(open.dueDate, 30);
      const document = {
        ...(JSON.parse((await stored(open.id)).document) as Invoice),
        dueDate: newDueDate,
      };
      await setRow(open.id, 'document = ?, due_date = ?', [JSON.stringify(document), newDueDate]);
      const expected = listed.map((i) => (i.id === open.id ? { ...i, dueDate: newDueDate } : i));
      expect(await system.listInvoices(tenant, KARI)).toEqual(expected);
      expect((await system.getDecisionInputs(tenant, KARI, listed[0].id)).all).toEqual(expected);
    });

    it('refuses a summary that does not add up, as it refuses such a document', async () => {
      const { system, tenant, open } = await kariLedger();
      const summary = JSON.parse((await stored(open.id)).summary) as Invoice;
      await setRow(open.id, 'summary = ?', [
        JSON.stringify({ ...summary, outstandingOre: summary.outstandingOre + 1 }),
      ]);
      await expect(system.listInvoices(tenant, KARI)).rejects.toBeInstanceOf(
        FinanceUnavailableError,
      );
    });
  });
});
