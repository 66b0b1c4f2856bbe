import { generateDemoInvoices } from '../../../dev/finance-server/demo-invoices';
import { FinanceRejectedError } from '../finance.errors';
import { FJELLINKASSO } from '../testing/xledger-tenant';
import { KARI, OLA, TODAY, xledgerKit, type XledgerKit } from './testing/xledger-test-kit';
import { readMarkers } from './xledger-marker';
import { XledgerFinanceSystem } from './xledger.finance-system';

describe(XledgerFinanceSystem, () => {
  let kit: XledgerKit;
  beforeEach(async () => {
    kit = await xledgerKit();
  });
  afterEach(() => kit.close());

  describe('listInvoices', () => {
    it('shows each demo resident the invoices the demo story gives them, amounts and dates alike', async () => {
      for (const entry of generateDemoInvoices({ today: TODAY }).filter(
        (e) => e.municipality === 'fjordvik',
      )) {
        const listed = await kit.system.listInvoices(kit.tenant(), entry.pid);
        const told = entry.invoices.map((invoice) => {
          const { lines: _l, history: _h, id: _id, ...summary } = invoice;
          return {
            ...summary,
            // Xledger carries neither; the agency comes from the municipality's settings.
            description: null,
            deliveryChannel: null,
            collectionAgency: summary.sentToExternal ? FJELLINKASSO : null,
          };
        });
        expect(listed.map(({ id: _id, ...rest }) => rest)).toEqual(told);
      }
    });

    it('finds the resident by company.companyNumber, and is empty without a customer record', async () => {
      expect(await kit.system.listInvoices(kit.tenant(), KARI)).toHaveLength(4);
      // The company stays, its customer goes: a person Xledger knows but does not bill.
      const books = kit.books();
      const company = books.companies.find((c) => c.companyNumber === KARI)!;
      books.customers = books.customers.filter((c) => c.companyDbId !== company.dbId);
      await expect(kit.system.listInvoices(kit.tenant(), KARI)).resolves.toEqual([]);
    });

    it('gathers the invoices of every customer record the resident has', async () => {
      const books = kit.books();
      const kari = books.companies.find((c) => c.companyNumber === KARI)!;
      const ola = books.companies.find((c) => c.companyNumber === OLA)!;
      // Ola's customer record now also hangs on Kari's company (a merged person, say).
      books.customers.find((c) => c.companyDbId === ola.dbId)!.companyDbId = kari.dbId;
      const listed = await kit.system.listInvoices(kit.tenant(), KARI);
      expect(listed).toHaveLength(8);
      expect(new Set(listed.map((i) => i.recipientName))).toEqual(
        new Set(['Kari Nordmann', 'Ola Bakken']),
      );
    });

    it('pages through a long ledger with the cursor', async () => {
      const books = kit.books();
      const kariCustomer = books.customers[0];
      const template = books.arTransactions.find((r) => r.subledgerDbId === kariCustomer.dbId)!;
      for (let i = 0; i < 230; i++) {
        books.arTransactions.push({
          ...template,
          dbId: String(9_000_000 + i),
          matchId: 0,
          invoiceRemaining: template.invoiceAmount,
          paymentStatus: { name: 'Åpen' },
        });
      }
      const listed = await kit.system.listInvoices(kit.tenant(), KARI);
      expect(listed).toHaveLength(234);
      expect(kit.server.requests.arTransactions).toBe(3);
    });

    it('takes the account number from the settings when an AR transaction has none', async () => {
      for (const row of kit.books().arTransactions) row.bankAccount = null;
      await expect(kit.system.listInvoices(kit.tenant(), KARI)).rejects.toMatchObject({
        reason: 'bad-response',
        message: expect.stringMatching(/no bankAccount, and settings\.xledger\.accountNumber/),
      });
      const listed = await kit.system.listInvoices(
        kit.tenant({ accountNumber: '1503.24.12995' }),
        KARI,
      );
      expect(new Set(listed.map((i) => i.accountNumber))).toEqual(new Set(['15032412995']));
    });
  });

  describe('the customer lookup', () => {
    it('is remembered for ten minutes, so a page view costs one request, not three', async () => {
      let now = Date.parse('2026-03-10T10:00:00Z');
      const cached = await xledgerKit({ customerCacheMs: 600_000, now: () => new Date(now) });
      try {
        const { system, tenant, server } = cached;
        await system.listInvoices(tenant(), KARI);
        const [first] = await system.listInvoices(tenant(), KARI);
        await system.getInvoice(tenant(), KARI, first.id);
        expect(server.requests).toEqual({
          companies: 1,
          customers: 1,
          arTransactions: 3,
          salesOrders: 1,
        });
        now += 600_001;
        await system.listInvoices(tenant(), KARI);
        expect(server.requests).toMatchObject({ companies: 2, customers: 2 });
      } finally {
        await cached.close();
      }
    });

    it('asks again for a resident it did not find, and per municipality', async () => {
      const cached = await xledgerKit({ customerCacheMs: 600_000 });
      try {
        const { system, tenant, server } = cached;
        await system.listInvoices(tenant(), '01010100000');
        await system.listInvoices(tenant(), '01010100000');
        expect(server.requests.companies).toBe(2);
        await system.listInvoices(tenant(), KARI);
        const asdal = { ...tenant(), slug: 'asdal' };
        (asdal.settings as { xledger: { tokenEnv: string } }).xledger.tokenEnv =
          'XLEDGER_TOKEN_ASDAL';
        await expect(system.listInvoices(asdal, KARI)).resolves.toEqual([]);
        expect(server.requests.companies).toBe(4);
      } finally {
        await cached.close();
      }
    });
  });

  describe('getInvoice', () => {
    it('carries the sales order lines and the story of a deferred invoice', async () => {
      const [ola] = generateDemoInvoices({ today: TODAY }).filter((e) => e.pid === OLA);
      const deferred = ola.invoices.find((i) => i.dueDate !== i.originalDueDate)!;
      const listed = await kit.system.listInvoices(kit.tenant(), OLA);
      const id = listed.find((i) => i.invoiceNumber === deferred.invoiceNumber)!.id;
      const invoice = await kit.system.getInvoice(kit.tenant(), OLA, id);
      expect(invoice.lines).toEqual(deferred.lines);
      expect(invoice.originalDueDate).toBe(deferred.originalDueDate);
      expect(invoice.history.map((e) => [e.type, e.dueDate])).toEqual([
        ['ISSUED', deferred.originalDueDate],
        ['DUE_DATE_CHANGED', deferred.dueDate],
      ]);
    });

    it('has no lines for an invoice keyed in without a sales order', async () => {
      const books = kit.books();
      const [first] = await kit.system.listInvoices(kit.tenant(), KARI);
      books.salesOrders = books.salesOrders.filter((o) => o.invoiceNumber !== first.invoiceNumber);
      expect((await kit.system.getInvoice(kit.tenant(), KARI, first.id)).lines).toEqual([]);
    });
  });

  describe('setDueDate', () => {
    const command = (invoiceId: string, key = 'deferral-xl-1') => ({
      invoiceId,
      pid: KARI,
      newDueDate: '2026-04-20',
      idempotencyKey: key,
      reason: 'Betalingsutsettelse UTS-2026-000042 [12838512311] | x',
    });
    const openOfKari = async () =>
      (await kit.system.listInvoices(kit.tenant(), KARI)).find((i) => i.status === 'UNPAID')!;

    it('writes the date and a marker officers can read, and keeps the title and the original date', async () => {
      const open = await openOfKari();
      await kit.system.setDueDate(kit.tenant(), command(open.id));
      const row = kit.books().arTransactions.find((r) => r.dbId === open.id)!;
      expect(row).toMatchObject({ dueDate: '2026-04-20', deferredDueDate: '2026-04-20' });
      expect(row.text).toMatch(
        new RegExp(`^${open.title} \\| Betalingsutsettelse UTS-2026-000042 \\*{11} x \\[mf:`),
      );
      expect(row.text).not.toContain(KARI);
      const after = await kit.system.getInvoice(kit.tenant(), KARI, open.id);
      expect(after).toMatchObject({
        title: open.title,
        dueDate: '2026-04-20',
        originalDueDate: open.originalDueDate,
      });
    });

    it('moves a date twice under two keys, each change in the history, the first due date kept', async () => {
      const open = await openOfKari();
      await kit.system.setDueDate(kit.tenant(), command(open.id, 'k-1'));
      const second = await kit.system.setDueDate(kit.tenant(), {
        ...command(open.id, 'k-2'),
        newDueDate: '2026-05-04',
      });
      expect(second).toMatchObject({ previousDueDate: '2026-04-20', replayed: false });
      const after = await kit.system.getInvoice(kit.tenant(), KARI, open.id);
      expect(after.originalDueDate).toBe(open.originalDueDate);
      expect(after.history.filter((e) => e.type === 'DUE_DATE_CHANGED')).toHaveLength(2);
      const history = await kit.system.getPaymentHistory(kit.tenant(), KARI);
      expect(history.counts.dueDateChanges).toBe(2);
    });

    it('replays from the marker after the answer was lost, without writing again', async () => {
      const open = await openOfKari();
      kit.server.faults.set({ mode: 'drop', operations: ['updateArTransactions'], times: 1 });
      const lost = kit.system.setDueDate(kit.tenant(), command(open.id));
      // The first try applied; the in-call retry wrote the same values again, harmlessly.
      const first = await lost;
      const again = await kit.system.setDueDate(kit.tenant(), command(open.id));
      expect(again).toEqual({ ...first, replayed: true });
      const row = kit.books().arTransactions.find((r) => r.dbId === open.id)!;
      expect(readMarkers(row.text)).toHaveLength(1);
    });

    it('refuses a key that moved the date elsewhere, naming the date it moved to', async () => {
      const open = await openOfKari();
      await kit.system.setDueDate(kit.tenant(), command(open.id));
      const reuse = kit.system.setDueDate(kit.tenant(), {
        ...command(open.id),
        newDueDate: '2026-04-27',
      });
      await expect(reuse).rejects.toBeInstanceOf(FinanceRejectedError);
      await expect(reuse).rejects.toMatchObject({
        reasonCode: 'IDEMPOTENCY_KEY_REUSED',
        message: expect.stringContaining('2026-04-20'),
      });
      expect(kit.server.store().updates[open.id]).toBe(1);
    });
  });
});
