import { DEMO_RESIDENTS } from '../../../dev/demo-residents';
import {
  VISMA_DEMO_CLIENT,
  startVismaServer,
  type RunningVismaServer,
} from '../../../dev/visma-server/visma-server';
import {
  VISMA_DEMO_SECRET_ENV,
  vismaDemoSettings,
} from '../../../dev/visma-server/visma-demo-settings';
import { classifyFailure } from '../../writeback/writeback-outcome';
import { addDays } from '../../shared/calendar-date';
import type { FinanceTenant } from '../finance-tenant';
import type { InvoiceSummary } from '../invoice.model';
import { parseMarks } from './visma-marker';
import { VismaFinanceSystem, type VismaFinanceSystemOptions } from './visma.finance-system';

const TODAY = '2026-03-10';
const KARI = DEMO_RESIDENTS.find((r) => r.name === 'Kari Nordmann')!.pid;

/** Small timeouts and backoffs keep the suite fast; the behaviour is what production settings do. */
const FAST: Partial<VismaFinanceSystemOptions> = {
  readTimeoutMs: 500,
  writeTimeoutMs: 500,
  initialBackoffMs: 5,
  maxBackoffMs: 20,
  breakerThreshold: 50,
};

describe('VismaFinanceSystem under Visma.net’s failures', () => {
  let server: RunningVismaServer;
  let tenant: FinanceTenant;
  let waits: number[];
  const system = (overrides: Partial<VismaFinanceSystemOptions> = {}) =>
    new VismaFinanceSystem({
      logger: { warn: jest.fn(), debug: jest.fn() },
      env: (name) => (name === VISMA_DEMO_SECRET_ENV ? VISMA_DEMO_CLIENT.clientSecret : undefined),
      today: () => TODAY,
      sleep: async (ms) => void waits.push(ms),
      ...FAST,
      ...overrides,
    });
  const tenantWith = (overrides: Record<string, unknown> = {}): FinanceTenant => ({
    id: 'id-fjordvik',
    slug: 'fjordvik',
    settings: { financeAdapter: 'visma', visma: vismaDemoSettings(server, 'fjordvik', overrides) },
  });
  const openInvoice = async (visma = system()): Promise<InvoiceSummary> =>
    (await visma.listInvoices(tenant, KARI)).find((i) => i.status === 'UNPAID')!;
  const deferral = (invoice: InvoiceSummary, key = 'wb-job-1') => ({
    invoiceId: invoice.id,
    pid: KARI,
    newDueDate: addDays(invoice.dueDate > TODAY ? invoice.dueDate : TODAY, 14),
    idempotencyKey: key,
    reason: 'Deferral UTS-2026-0042 approved',
  });
  const stored = (invoiceId: string) => server.store().invoice(server.tenants.fjordvik, invoiceId)!;
  const unavailable = (reason: string) =>
    expect.objectContaining({ name: 'FinanceUnavailableError', reason });

  beforeEach(async () => {
    server = await startVismaServer({ today: TODAY });
    tenant = tenantWith();
    waits = [];
  });
  afterEach(() => server.close());

  describe('setDueDate', () => {
    it('re-reads and writes once more after a 412 (an officer edited the invoice meanwhile): the write-back is done, the officer’s note kept', async () => {
      const visma = system();
      const invoice = await openInvoice(visma);
      server.faults.set({ mode: 'concurrent-change', paths: ['PUT '], times: 1 });

      const change = await visma.setDueDate(tenant, deferral(invoice));

      expect(change).toMatchObject({ dueDate: deferral(invoice).newDueDate, replayed: false });
      expect(server.requests()['PUT /v1/customerinvoice/:nr']).toBe(2);
      expect(server.store().appliedPerInvoice).toEqual({ [invoice.id]: 1 });
      const note = String(stored(invoice.id).note);
      expect(note).toContain('Saksbehandler ringte kunden.');
      expect(parseMarks(note).map((m) => m.key)).toEqual(['wb-job-1']);
      expect((await visma.getInvoice(tenant, KARI, invoice.id)).dueDate).toBe(change.dueDate);
    });

    it('refuses with CHANGED_CONCURRENTLY after a second 412, writes nothing, and the write-back stops for an officer instead of retrying', async () => {
      const visma = system();
      const invoice = await openInvoice(visma);
      server.faults.set({ mode: 'concurrent-change', paths: ['PUT '], times: 2 });

      const attempt = visma.setDueDate(tenant, deferral(invoice));

      await expect(attempt).rejects.toMatchObject({
        name: 'FinanceRejectedError',
        reasonCode: 'CHANGED_CONCURRENTLY',
      });
      const error = await attempt.catch((e: unknown) => e);
      expect(classifyFailure(error)).toEqual({
        code: 'rejected:CHANGED_CONCURRENTLY',
        retryable: false,
      });
      expect(server.store().appliedPerInvoice).toEqual({});
      expect(stored(invoice.id).documentDueDate).toBe(`${invoice.dueDate}T00:00:00`);
    });

    it('writes once when the answer to the PUT is lost: the repeat meets 412, finds its own mark and answers as a replay', async () => {
      const visma = system();
      const invoice = await openInvoice(visma);
      server.faults.set({ mode: 'drop', paths: ['PUT '], times: 1 });

      const change = await visma.setDueDate(tenant, deferral(invoice));

      expect(change).toMatchObject({ dueDate: deferral(invoice).newDueDate, replayed: true });
      expect(server.store().appliedPerInvoice).toEqual({ [invoice.id]: 1 });
      const again = await visma.setDueDate(tenant, deferral(invoice));
      expect(again).toEqual(change);
      expect(server.store().appliedPerInvoice).toEqual({ [invoice.id]: 1 });
    });

    it('refuses an invoice Visma sends without a due date as a malformed answer, and writes nothing (the write-back retries later)', async () => {
      const visma = system();
      const invoice = await openInvoice(visma);
      server.store().patchInvoice(server.tenants.fjordvik, invoice.id, (i) => {
        delete i.documentDueDate;
      });

      const attempt = visma.setDueDate(tenant, deferral(invoice));

      await expect(attempt).rejects.toEqual(unavailable('bad-response'));
      await expect(attempt).rejects.toThrow(/Malformed invoice .*documentDueDate/);
      expect(server.requests()['PUT /v1/customerinvoice/:nr']).toBeUndefined();
    });
  });

  describe('reads', () => {
    it('tells the resident invoices are unavailable, naming what was wrong, when an invoice has no due date', async () => {
      const visma = system();
      const invoice = await openInvoice(visma);
      server.store().patchInvoice(server.tenants.fjordvik, invoice.id, (i) => {
        delete i.documentDueDate;
      });

      const list = visma.listInvoices(tenant, KARI);
      await expect(list).rejects.toEqual(unavailable('bad-response'));
      await expect(list).rejects.toThrow(/^Malformed invoice list .*documentDueDate/);
      const one = visma.getInvoice(tenant, KARI, invoice.id);
      await expect(one).rejects.toEqual(unavailable('bad-response'));
      await expect(one).rejects.toThrow(
        /^Malformed invoice from the finance system: documentDueDate/,
      );
    });

    it('reads every page when Visma’s pages are smaller than the ones asked for', async () => {
      await server.close();
      server = await startVismaServer({ today: TODAY, maxPageSize: 1 });
      tenant = tenantWith();

      await expect(system().listInvoices(tenant, KARI)).resolves.toHaveLength(4);
      expect(server.requests()['GET /v1/customer/:nr/invoice']).toBe(4);
    });

    it('waits out a short Retry-After on 429 and then answers', async () => {
      server.faults.set({ mode: 'rate-limit', retryAfterSeconds: 1, times: 1, paths: ['GET '] });

      await expect(system().listInvoices(tenant, KARI)).resolves.not.toHaveLength(0);
      expect(waits).toEqual([1000]);
    });

    it('waits at most twice per call, then tells the resident to come back later (rate-limited, with the wait)', async () => {
      server.faults.set({ mode: 'rate-limit', retryAfterSeconds: 1, paths: ['GET '] });

      await expect(system().listInvoices(tenant, KARI)).rejects.toEqual(
        expect.objectContaining({ reason: 'rate-limited', retryAfterSeconds: 1 }),
      );
      expect(waits).toEqual([1000, 1000]);
      expect(server.requests()['GET /v1/customer']).toBe(3);
    });

    it('does not sit out a long Retry-After within the call: fails at once with it (the write-back waits that long), capped at an hour', async () => {
      server.faults.set({ mode: 'rate-limit', retryAfterSeconds: 120, paths: ['GET '], times: 1 });
      await expect(system().listInvoices(tenant, KARI)).rejects.toEqual(
        expect.objectContaining({ reason: 'rate-limited', retryAfterSeconds: 120 }),
      );
      expect(waits).toEqual([]);
      expect(server.requests()['GET /v1/customer']).toBe(1);

      server.faults.set({
        mode: 'rate-limit',
        retryAfterSeconds: 86_400,
        paths: ['GET '],
        times: 1,
      });
      await expect(system().listInvoices(tenant, KARI)).rejects.toEqual(
        expect.objectContaining({ reason: 'rate-limited', retryAfterSeconds: 3600 }),
      );
    });
  });

  describe('Visma Connect tokens', () => {
    it('asks for one token and uses it until it is refused; after a 401 it asks once for a new one and the call succeeds', async () => {
      const visma = system();
      await visma.listInvoices(tenant, KARI);
      await visma.getPaymentHistory(tenant, KARI);
      expect(server.requests()['POST /connect/token']).toBe(1);

      server.revokeTokens();
      await expect(visma.listInvoices(tenant, KARI)).resolves.not.toHaveLength(0);
      expect(server.requests()['POST /connect/token']).toBe(2);
    });

    it('tells the resident invoices are unavailable when the API refuses a fresh token too (unauthorized, no loop)', async () => {
      server.faults.set({ mode: 'revoke-tokens', paths: ['GET /v1/customer'] });

      await expect(system({ retries: 0 }).listInvoices(tenant, KARI)).rejects.toEqual(
        unavailable('unauthorized'),
      );
      expect(server.requests()['POST /connect/token']).toBe(2);
      expect(server.requests()['GET /v1/customer']).toBe(2);
    });

    it('is unavailable (server-error, retried) while the token endpoint is down, and works once it is back', async () => {
      const visma = system();
      server.faults.set({ mode: 'token-down', paths: ['POST /connect/token'] });

      const read = visma.listInvoices(tenant, KARI);
      await expect(read).rejects.toEqual(unavailable('server-error'));
      await expect(read).rejects.toThrow(/token endpoint answered 503/);
      expect(server.requests()['GET /v1/customer']).toBeUndefined();

      server.faults.set({ mode: 'none' });
      await expect(visma.listInvoices(tenant, KARI)).resolves.not.toHaveLength(0);
    });

    it('is unavailable (network) when the token endpoint cannot be reached', async () => {
      const closed = await startVismaServer({ today: TODAY });
      await closed.close();
      const offline = tenantWith({ tokenUrl: closed.tokenUrl });

      await expect(system({ retries: 0 }).listInvoices(offline, KARI)).rejects.toEqual(
        unavailable('network'),
      );
    });

    it('is unavailable (unauthorized) with the OAuth error when the client secret is wrong, never naming the secret', async () => {
      const wrong = system({ env: () => 'not-the-secret' });

      const read = wrong.listInvoices(tenant, KARI);
      await expect(read).rejects.toEqual(unavailable('unauthorized'));
      await expect(read).rejects.toThrow(
        'Visma Connect refused the client credentials (invalid_client)',
      );
      await expect(read).rejects.not.toThrow(/not-the-secret/);
    });
  });

  describe('finding the resident’s customer card', () => {
    it('finds them by a customer attribute when the settings say so', async () => {
      tenant = tenantWith({ customerIdField: 'attribute:FNR' });
      await expect(system().listInvoices(tenant, KARI)).resolves.not.toHaveLength(0);
    });

    it('is not configured when the attribute does not exist in Visma (400), and does not repeat the identity number', async () => {
      tenant = tenantWith({ customerIdField: 'attribute:PERSONNR' });
      const read = system().listInvoices(tenant, KARI);
      await expect(read).rejects.toEqual(unavailable('not-configured'));
      await expect(read).rejects.not.toThrow(new RegExp(KARI));
    });

    it('refuses two customer cards with the resident’s number rather than showing either', async () => {
      server.store().addCustomer(server.tenants.fjordvik, {
        number: '99999',
        name: 'Kari Nordmann (ny)',
        corporateId: KARI,
        attributes: [],
      });

      await expect(system().listInvoices(tenant, KARI)).rejects.toEqual(
        unavailable('bad-response'),
      );
    });
  });
});
