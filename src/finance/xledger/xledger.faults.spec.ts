import { classifyFailure as classifyOutcome } from '../../writeback/writeback-outcome';
import { KARI, TOKENS, xledgerKit, type XledgerKit } from './testing/xledger-test-kit';
import { xledgerTokenEnv } from '../testing/xledger-tenant';
import { XledgerFinanceSystem } from './xledger.finance-system';

/**
 * How the adapter meets Xledger's failures. "Unavailable" is what a resident sees as "invoices
 * are not available right now" and what the write-back retries later; "rejected" ends the
 * write-back job and puts it before officers, who retry it under a new key or resolve it by hand.
 */
describe(`${XledgerFinanceSystem.name} against a failing Xledger`, () => {
  let kit: XledgerKit;
  beforeEach(async () => {
    kit = await xledgerKit({ retries: 2 });
  });
  afterEach(() => kit.close());

  const openOfKari = async () =>
    (await kit.system.listInvoices(kit.tenant(), KARI)).find((i) => i.status === 'UNPAID')!;
  const deferral = (invoiceId: string, key = 'deferral-faults-1') => ({
    invoiceId,
    pid: KARI,
    newDueDate: '2026-04-20',
    idempotencyKey: key,
    reason: 'Betalingsutsettelse UTS-2026-000007',
  });
  const row = (dbId: string) => kit.books().arTransactions.find((r) => r.dbId === dbId)!;

  describe('errors[] in an HTTP 200', () => {
    it('reads a passing error as unavailable after retrying it, and the retry can succeed', async () => {
      kit.server.faults.set({ mode: 'graphql-error', operations: ['arTransactions'], times: 1 });
      await expect(kit.system.listInvoices(kit.tenant(), KARI)).resolves.toHaveLength(4);
      kit.server.faults.set({ mode: 'graphql-error', operations: ['arTransactions'] });
      const failure = kit.system.listInvoices(kit.tenant(), KARI);
      // The resident is told invoices are unavailable: never an empty list from an error body.
      await expect(failure).rejects.toMatchObject({
        name: 'FinanceUnavailableError',
        reason: 'server-error',
      });
      // Two for the first call (one error, one success), three tries for the second.
      expect(kit.server.requests.arTransactions).toBe(2 + 3);
    });

    it('calls an error for our query a bad answer, without retrying it', async () => {
      kit.server.faults.set({
        mode: 'graphql-error',
        operations: ['companies'],
        message: 'Cannot query field "companyNumber" on type "Company".',
      });
      await expect(kit.system.listInvoices(kit.tenant(), KARI)).rejects.toMatchObject({
        reason: 'bad-response',
        message: expect.stringContaining('Cannot query field'),
      });
      expect(kit.server.requests.companies).toBe(1);
    });

    it('refuses a write Xledger calls invalid, for officers, leaving the invoice as it was', async () => {
      const open = await openOfKari();
      kit.server.faults.set({
        mode: 'graphql-error',
        operations: ['updateArTransactions'],
        code: 'BAD_REQUEST.INVALID_VALUE',
        message: 'The transaction is in a closed period',
      });
      const write = kit.system.setDueDate(kit.tenant(), deferral(open.id));
      await expect(write).rejects.toMatchObject({
        name: 'FinanceRejectedError',
        reasonCode: 'XLEDGER_REFUSED',
      });
      expect(classifyOutcome(await write.catch((e: unknown) => e))).toEqual({
        code: 'rejected:XLEDGER_REFUSED',
        retryable: false,
      });
      expect(row(open.id).dueDate).toBe(open.dueDate);
      expect(kit.server.requests.updateArTransactions).toBe(1);
    });

    it('never logs an identity number Xledger quotes back', async () => {
      kit.server.faults.set({
        mode: 'graphql-error',
        message: `No company with companyNumber ${KARI}`,
        code: 'BAD_REQUEST.NOT_FOUND',
      });
      const failure = kit.system.listInvoices(kit.tenant(), KARI);
      await expect(failure).rejects.toMatchObject({ reason: 'bad-response' });
      await expect(failure).rejects.not.toMatchObject({ message: expect.stringContaining(KARI) });
      expect(kit.logged.join('\n')).not.toMatch(/\d{11}/);
      expect(kit.logged.some((line) => line.includes('***********'))).toBe(true);
    });
  });

  describe('the burst rate limit', () => {
    it('is waited out with growing pauses, and the resident gets the invoices', async () => {
      kit.server.faults.set({ mode: 'burst', operations: ['arTransactions'], times: 2 });
      await expect(kit.system.listInvoices(kit.tenant(), KARI)).resolves.toHaveLength(4);
      expect(kit.sleeps).toEqual([500, 1000]);
    });

    it('becomes rate-limited with a wait for the write-back once it holds, the write not sent', async () => {
      const open = await openOfKari();
      kit.server.faults.set({ mode: 'burst' });
      const write = kit.system.setDueDate(kit.tenant(), deferral(open.id));
      await expect(write).rejects.toMatchObject({
        name: 'FinanceUnavailableError',
        reason: 'rate-limited',
        retryAfterSeconds: 5,
      });
      expect(classifyOutcome(await write.catch((e: unknown) => e))).toEqual({
        code: 'unavailable:rate-limited',
        retryable: true,
        retryAfterMs: 5000,
      });
      expect(kit.sleeps).toEqual([500, 1000, 2000]);
      expect(kit.server.requests.updateArTransactions).toBeUndefined();
    });

    it('lets the write-back retry later, and then the date moves once', async () => {
      const open = await openOfKari();
      kit.server.faults.set({ mode: 'concurrency', operations: ['updateArTransactions'] });
      await expect(kit.system.setDueDate(kit.tenant(), deferral(open.id))).rejects.toMatchObject({
        reason: 'rate-limited',
      });
      kit.server.faults.set({ mode: 'none' });
      await expect(kit.system.setDueDate(kit.tenant(), deferral(open.id))).resolves.toMatchObject({
        dueDate: '2026-04-20',
        replayed: false,
      });
      expect(kit.server.store().updates[open.id]).toBe(1);
    });

    it('treats used-up credits as rate-limited for a minute, without waiting in the call', async () => {
      kit.server.faults.set({ mode: 'credits' });
      await expect(kit.system.listInvoices(kit.tenant(), KARI)).rejects.toMatchObject({
        reason: 'rate-limited',
        retryAfterSeconds: 60,
      });
      expect(kit.sleeps).toEqual([]);
    });
  });

  describe('a refused token', () => {
    it('is unauthorized at once, without retries, for an unknown token (HTTP 401)', async () => {
      kit.env[xledgerTokenEnv('fjordvik')] = 'revoked-xledger-token-0001';
      await expect(kit.system.listInvoices(kit.tenant(), KARI)).rejects.toMatchObject({
        name: 'FinanceUnavailableError',
        reason: 'unauthorized',
      });
      expect(kit.server.requests).toEqual({});
    });

    it('is unauthorized for a token Xledger cannot read (errors[] in an HTTP 200)', async () => {
      kit.env[xledgerTokenEnv('fjordvik')] = 'not a token';
      await expect(kit.system.listInvoices(kit.tenant(), KARI)).rejects.toMatchObject({
        reason: 'unauthorized',
        message: expect.stringContaining('Bad format for API token'),
      });
      expect(kit.logged.join('\n')).not.toContain('not a token');
    });

    it('is not configured when the environment variable the settings name is empty', async () => {
      delete kit.env[xledgerTokenEnv('fjordvik')];
      await expect(kit.system.listInvoices(kit.tenant(), KARI)).rejects.toMatchObject({
        reason: 'not-configured',
        message:
          'municipality fjordvik: settings.xledger.tokenEnv names XLEDGER_TOKEN_FJORDVIK, which is not set',
      });
      expect(kit.server.requests).toEqual({});
    });

    it('uses each municipality’s own token: another entity’s token shows another entity', async () => {
      kit.env[xledgerTokenEnv('fjordvik')] = TOKENS.asdal;
      await expect(kit.system.listInvoices(kit.tenant(), KARI)).resolves.toEqual([]);
    });
  });

  describe('the read-back after a write', () => {
    it('refuses to call a date changed in between confirmed, and does not write again on retry', async () => {
      const open = await openOfKari();
      kit.server.faults.set({ mode: 'concurrent-edit', operations: ['updateArTransactions'] });
      const write = kit.system.setDueDate(kit.tenant(), deferral(open.id));
      await expect(write).rejects.toMatchObject({
        name: 'FinanceRejectedError',
        reasonCode: 'DUE_DATE_NOT_CONFIRMED',
        message: 'Xledger shows the due date 2026-04-23, not the 2026-04-20 the portal wrote',
      });
      // A repeat under the same key (an officer's retry keeps none, see keyForRetry) says the same.
      kit.server.faults.set({ mode: 'none' });
      await expect(kit.system.setDueDate(kit.tenant(), deferral(open.id))).rejects.toMatchObject({
        reasonCode: 'DUE_DATE_NOT_CONFIRMED',
      });
      expect(kit.server.store().updates[open.id]).toBe(1);
      expect(row(open.id).dueDate).toBe('2026-04-23');
    });

    it('refuses a write Xledger answered but did not make', async () => {
      const open = await openOfKari();
      kit.server.faults.set({ mode: 'ignore-update', operations: ['updateArTransactions'] });
      await expect(kit.system.setDueDate(kit.tenant(), deferral(open.id))).rejects.toMatchObject({
        reasonCode: 'DUE_DATE_NOT_CONFIRMED',
        message: `Xledger shows the due date ${open.dueDate}, not the 2026-04-20 the portal wrote`,
      });
    });

    it('is unavailable when the read-back itself fails, and the retry replays the write', async () => {
      const open = await openOfKari();
      const once = new XledgerFinanceSystem({
        logger: { warn: () => undefined, debug: () => undefined },
        env: (name) => kit.env[name],
        today: () => '2026-03-10',
        retries: 0,
      });
      // The write lands; the read after it meets a 500.
      const store = kit.server.store();
      store.afterUpdate = () => {
        store.afterUpdate = undefined;
        kit.server.faults.set({ mode: 'http500', operations: ['arTransactions'], times: 1 });
      };
      await expect(once.setDueDate(kit.tenant(), deferral(open.id))).rejects.toMatchObject({
        name: 'FinanceUnavailableError',
        reason: 'server-error',
      });
      expect(row(open.id).dueDate).toBe('2026-04-20');
      // The write-back retries under the same key: the marker says it is done.
      await expect(once.setDueDate(kit.tenant(), deferral(open.id))).resolves.toMatchObject({
        dueDate: '2026-04-20',
        previousDueDate: open.dueDate,
        replayed: true,
      });
      expect(store.updates[open.id]).toBe(1);
    });
  });

  describe('a malformed answer', () => {
    it('names the missing dueDate, without retrying, and shows the resident nothing wrong', async () => {
      kit.server.faults.set({ mode: 'missing-due-date', operations: ['arTransactions'] });
      await expect(kit.system.listInvoices(kit.tenant(), KARI)).rejects.toMatchObject({
        name: 'FinanceUnavailableError',
        reason: 'bad-response',
        message: expect.stringMatching(
          /^Malformed Xledger arTransactions from the finance system: arTransactions\.edges\.0\.node\.dueDate: /,
        ),
      });
      expect(kit.server.requests.arTransactions).toBe(1);
    });

    it('names an invoice whose dueDate is null', async () => {
      const open = await openOfKari();
      row(open.id).dueDate = null;
      await expect(kit.system.listInvoices(kit.tenant(), KARI)).rejects.toMatchObject({
        reason: 'bad-response',
        message: `Xledger AR transaction ${open.id} is an invoice without a dueDate`,
      });
    });

    it('names an amount that is not a decimal in kroner', async () => {
      kit.server.faults.set({ mode: 'bad-amount', operations: ['arTransactions'] });
      await expect(kit.system.listInvoices(kit.tenant(), KARI)).rejects.toMatchObject({
        reason: 'bad-response',
        message: expect.stringMatching(
          /node\.invoiceAmount: must be an amount in kroner with at most 2 decimals/,
        ),
      });
    });

    it('names an invoice whose sums do not add up', async () => {
      const open = await openOfKari();
      row(open.id).invoiceRemaining = '999999.00';
      await expect(kit.system.listInvoices(kit.tenant(), KARI)).rejects.toMatchObject({
        reason: 'bad-response',
        message: `Xledger AR transaction ${open.id} does not add up: negative amount`,
      });
    });

    it('names a KID that fails its check digit', async () => {
      const open = await openOfKari();
      row(open.id).paymentReference = '1234567890';
      await expect(kit.system.listInvoices(kit.tenant(), KARI)).rejects.toMatchObject({
        message: `Xledger AR transaction ${open.id} has a paymentReference that is not a valid KID`,
      });
    });

    it('turns an HTML error page into server-error after retries', async () => {
      kit.server.faults.set({ mode: 'http500', operations: ['companies'] });
      await expect(kit.system.listInvoices(kit.tenant(), KARI)).rejects.toMatchObject({
        reason: 'server-error',
        message: 'Xledger answered 500',
      });
      expect(kit.server.requests.companies).toBe(3);
    });
  });

  it('never logs an identity number, whatever failed', async () => {
    for (const mode of ['burst', 'graphql-error', 'http500', 'missing-due-date'] as const) {
      kit.server.faults.set({ mode, times: 20 });
      await kit.system.listInvoices(kit.tenant(), KARI).catch(() => undefined);
    }
    expect(kit.logged.length).toBeGreaterThan(5);
    expect(kit.logged.join('\n')).not.toMatch(/\d{11}/);
  });
});
