import { DEMO_RESIDENTS } from '../../dev/demo-residents';
import type { FaultConfig } from '../../dev/finance-server/faults';
import {
  startFinanceServer,
  type RunningFinanceServer,
} from '../../dev/finance-server/finance-server';
import { FinanceUnavailableError } from './finance.errors';
import type { FinanceTenant } from './finance-tenant';
import { HttpFinanceSystem, type HttpFinanceSystemOptions } from './http-finance-system';
import { httpTenant } from './testing/http-tenant';

const API_KEY = 'fault-test-key';
const KARI = DEMO_RESIDENTS.find((r) => r.name === 'Kari Nordmann')!.pid;

/** Small timeouts and backoffs keep the suite fast; the behaviour is what production settings do. */
const FAST: Partial<HttpFinanceSystemOptions> = {
  readTimeoutMs: 250,
  writeTimeoutMs: 250,
  retries: 2,
  initialBackoffMs: 5,
  maxBackoffMs: 20,
  breakerThreshold: 4,
  halfOpenAfterMs: 300,
};

interface AdminState {
  requests: Record<string, number>;
  idempotencyKeys: {
    idempotencyKey: string;
    invoiceId: string;
    outcome: string;
    requests: number;
  }[];
  appliedPerInvoice: Record<string, number>;
}

describe('HttpFinanceSystem under faults', () => {
  let server: RunningFinanceServer;
  let tenant: FinanceTenant;
  let logged: string[];
  const system = (overrides: Partial<HttpFinanceSystemOptions> = {}) =>
    new HttpFinanceSystem({
      apiKeyFor: () => API_KEY,
      logger: { warn: (m) => void logged.push(m), debug: (m) => void logged.push(m) },
      ...FAST,
      ...overrides,
    });
  const admin = async <T>(path: string, body?: unknown): Promise<T> => {
    const response = await fetch(server.url + path, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await response.json()) as T;
  };
  const fault = (config: FaultConfig) => admin('/admin/faults', config);
  const state = () => admin<AdminState>('/admin/state');
  const listCalls = async () => (await state()).requests['GET /invoices'] ?? 0;
  const unavailable = (reason: string) =>
    expect.objectContaining({ name: 'FinanceUnavailableError', reason });

  beforeEach(async () => {
    server = await startFinanceServer({ apiKey: API_KEY, today: '2026-03-10' });
    tenant = httpTenant('fjordvik', server.url);
    logged = [];
  });
  afterEach(async () => {
    await server.close();
    // Identity numbers never reach a log line, whatever went wrong.
    expect(logged.join('\n')).not.toContain(KARI);
  });

  describe('timeouts', () => {
    it('turns answers slower than the timeout into timeout, after retrying', async () => {
      await fault({ mode: 'slow', delayMs: 5_000 });
      const started = Date.now();
      await expect(system().listInvoices(tenant, KARI)).rejects.toEqual(unavailable('timeout'));
      expect(Date.now() - started).toBeLessThan(2_500);
      expect(await listCalls()).toBe(3);
    });

    it('succeeds when only the first try is slow', async () => {
      await fault({ mode: 'slow', delayMs: 2_000, times: 1 });
      await expect(system().listInvoices(tenant, KARI)).resolves.not.toHaveLength(0);
    });
  });

  describe('server errors and dropped connections', () => {
    it('retries 500s for GETs, then fails as unavailable', async () => {
      await fault({ mode: 'error500' });
      await expect(system().listInvoices(tenant, KARI)).rejects.toEqual(
        unavailable('server-error'),
      );
      expect(await listCalls()).toBe(3);
    });

    it('recovers when the 500s stop within the retries', async () => {
      await fault({ mode: 'error500', times: 2 });
      await expect(system().getPaymentHistory(tenant, KARI)).resolves.toHaveProperty('counts');
      expect((await state()).requests['GET /payment-history']).toBe(3);
    });

    it('turns dropped connections into network, and retries them', async () => {
      await fault({ mode: 'drop', paths: ['GET '] });
      await expect(system().listInvoices(tenant, KARI)).rejects.toEqual(unavailable('network'));
      expect(await listCalls()).toBe(3);
      await fault({ mode: 'drop', times: 1 });
      await expect(system().listInvoices(tenant, KARI)).resolves.not.toHaveLength(0);
    });

    it('does not retry when the server asks to wait (503 with Retry-After)', async () => {
      await fault({ mode: 'reject' });
      const failure = system().listInvoices(tenant, KARI);
      await expect(failure).rejects.toEqual(unavailable('server-error'));
      await expect(failure).rejects.toMatchObject({ retryAfterSeconds: 30 });
      expect(await listCalls()).toBe(1);
    });

    it('reports a wrong API key as unauthorized, without retrying', async () => {
      const wrongKey = system({ apiKeyFor: () => 'not-the-key' });
      await expect(wrongKey.listInvoices(tenant, KARI)).rejects.toEqual(
        unavailable('unauthorized'),
      );
    });
  });

  describe('malformed answers', () => {
    it.each([
      ['truncated JSON', 'bad-json'],
      ['amounts as strings', 'bad-types'],
      ['amounts in kroner with decimals', 'float-amounts'],
    ] as const)('turns %s into bad-response without retrying', async (_what, mode) => {
      await fault({ mode });
      const adapter = system();
      await expect(adapter.listInvoices(tenant, KARI)).rejects.toEqual(unavailable('bad-response'));
      expect(await listCalls()).toBe(1);
    });

    it('refuses a float amount in a single invoice too', async () => {
      const [open] = await system().listInvoices(tenant, KARI);
      await fault({ mode: 'float-amounts' });
      const failure = system().getInvoice(tenant, KARI, open.id);
      await expect(failure).rejects.toBeInstanceOf(FinanceUnavailableError);
      await expect(failure).rejects.toMatchObject({
        reason: 'bad-response',
        message: expect.stringMatching(/øre/),
      });
    });
  });

  describe('circuit breaker', () => {
    it('opens after repeated failures, fails fast while open, and closes after a good trial call', async () => {
      const adapter = system();
      await fault({ mode: 'error500' });
      await expect(adapter.listInvoices(tenant, KARI)).rejects.toEqual(unavailable('server-error'));
      await expect(adapter.listInvoices(tenant, KARI)).rejects.toEqual(unavailable('circuit-open'));
      const callsWhenOpen = await listCalls();
      expect(callsWhenOpen).toBe(4);

      await fault({ mode: 'none' });
      await expect(adapter.listInvoices(tenant, KARI)).rejects.toMatchObject({
        reason: 'circuit-open',
        retryAfterSeconds: 1,
      });
      expect(await listCalls()).toBe(callsWhenOpen);

      await new Promise((resolve) => setTimeout(resolve, 350));
      await expect(adapter.listInvoices(tenant, KARI)).resolves.not.toHaveLength(0);
      await expect(adapter.listInvoices(tenant, KARI)).resolves.not.toHaveLength(0);
    });

    it('keeps one circuit per base URL', async () => {
      const adapter = system({ retries: 0, breakerThreshold: 1 });
      const healthy = await startFinanceServer({ apiKey: API_KEY, today: '2026-03-10' });
      try {
        await fault({ mode: 'error500' });
        await expect(adapter.listInvoices(tenant, KARI)).rejects.toEqual(
          unavailable('server-error'),
        );
        await expect(adapter.listInvoices(tenant, KARI)).rejects.toEqual(
          unavailable('circuit-open'),
        );
        await expect(
          adapter.listInvoices(httpTenant('fjordvik', healthy.url), KARI),
        ).resolves.not.toHaveLength(0);
      } finally {
        await healthy.close();
      }
    });

    it('keeps reads going while only writes fail, and writes while only reads fail', async () => {
      const writesOnly = system();
      const readsOnly = system();
      const open = (await writesOnly.listInvoices(tenant, KARI)).find(
        (i) => i.status === 'UNPAID',
      )!;
      const write = (adapter: HttpFinanceSystem, idempotencyKey: string) =>
        adapter.setDueDate(tenant, {
          invoiceId: open.id,
          pid: KARI,
          newDueDate: '2026-04-30',
          idempotencyKey,
          reason: 'Deferral UTS-1',
        });
      const puts = async () => (await state()).requests['PUT /invoices/:id/due-date'] ?? 0;

      await fault({ mode: 'error500', paths: ['PUT '] });
      await expect(write(writesOnly, 'w-1')).rejects.toEqual(unavailable('server-error'));
      await expect(write(writesOnly, 'w-2')).rejects.toEqual(unavailable('circuit-open'));
      const putsWhenOpen = await puts();
      await expect(write(writesOnly, 'w-3')).rejects.toEqual(unavailable('circuit-open'));
      expect(await puts()).toBe(putsWhenOpen);
      await expect(writesOnly.listInvoices(tenant, KARI)).resolves.not.toHaveLength(0);
      await expect(writesOnly.getInvoice(tenant, KARI, open.id)).resolves.toHaveProperty(
        'id',
        open.id,
      );

      await fault({ mode: 'error500', paths: ['GET '] });
      await expect(readsOnly.listInvoices(tenant, KARI)).rejects.toEqual(
        unavailable('server-error'),
      );
      await expect(readsOnly.listInvoices(tenant, KARI)).rejects.toEqual(
        unavailable('circuit-open'),
      );
      await expect(write(readsOnly, 'r-1')).resolves.toMatchObject({ dueDate: '2026-04-30' });
    });

    it('does not count not-found and rejections as failures', async () => {
      const adapter = system({ breakerThreshold: 1 });
      for (let i = 0; i < 3; i++) {
        await expect(adapter.getInvoice(tenant, KARI, 'no-such-invoice')).rejects.toHaveProperty(
          'name',
          'FinanceNotFoundError',
        );
      }
      await expect(adapter.listInvoices(tenant, KARI)).resolves.not.toHaveLength(0);
    });
  });

  describe('setDueDate exactly once', () => {
    const command = async (key: string) => {
      const open = (await system().listInvoices(tenant, KARI)).find((i) => i.status === 'UNPAID')!;
      return {
        invoiceId: open.id,
        pid: KARI,
        newDueDate: '2026-04-30',
        idempotencyKey: key,
        reason: 'Deferral UTS-1',
      };
    };

    it('retries a PUT whose connection dropped after it was applied, without applying twice', async () => {
      const cmd = await command('drop-retry-1');
      await fault({ mode: 'drop', paths: ['PUT '], times: 1 });
      const change = await system().setDueDate(tenant, cmd);
      expect(change).toMatchObject({ dueDate: '2026-04-30', replayed: true });
      const after = await state();
      expect(after.appliedPerInvoice[cmd.invoiceId]).toBe(1);
      expect(after.idempotencyKeys).toEqual([
        expect.objectContaining({
          idempotencyKey: 'drop-retry-1',
          outcome: 'applied',
          requests: 2,
        }),
      ]);
    });

    it('applies once when the caller retries later with the same key', async () => {
      const cmd = await command('drop-later-1');
      await fault({ mode: 'drop', paths: ['PUT '] });
      const noRetries = system({ retries: 0 });
      await expect(noRetries.setDueDate(tenant, cmd)).rejects.toEqual(unavailable('network'));
      await fault({ mode: 'none' });
      await expect(noRetries.setDueDate(tenant, cmd)).resolves.toMatchObject({ replayed: true });
      expect((await state()).appliedPerInvoice[cmd.invoiceId]).toBe(1);
    });

    it('applies once when every try timed out while the server was slow', async () => {
      const cmd = await command('slow-1');
      await fault({ mode: 'slow', delayMs: 400, paths: ['PUT '] });
      await expect(system().setDueDate(tenant, cmd)).rejects.toEqual(unavailable('timeout'));
      await new Promise((resolve) => setTimeout(resolve, 600));
      await fault({ mode: 'none' });
      await expect(system().setDueDate(tenant, cmd)).resolves.toMatchObject({ replayed: true });
      const after = await state();
      expect(after.appliedPerInvoice[cmd.invoiceId]).toBe(1);
      expect(after.idempotencyKeys[0].requests).toBe(4);
    });
  });
});
