import { DEMO_RESIDENTS } from '../demo-residents';
import { faultsFromEnv } from './faults';
import { startFinanceServer, type RunningFinanceServer } from './finance-server';
import { loadContract } from './openapi-validator';

const API_KEY = 'server-test-key';
const KARI = DEMO_RESIDENTS[0].pid;
const OLA = DEMO_RESIDENTS[1].pid;
const BASE = '/v1/municipalities/{municipality}';
const contract = loadContract();

/** Enough of the wire format to read what the tests look at; the contract check covers the rest. */
interface Answer {
  code?: string;
  status?: number;
  fakturaer?: { id: string; status: string; inkassoselskap?: unknown }[];
  fakturalinjer?: unknown[];
  hendelser?: { type: string }[];
}

describe(startFinanceServer, () => {
  let server: RunningFinanceServer;

  /** Calls the server and checks the answer against the OpenAPI contract. */
  const call = async (
    method: string,
    template: string,
    path: string,
    init: { pid?: string; key?: string; body?: unknown; auth?: string } = {},
  ) => {
    const headers: Record<string, string> = { authorization: init.auth ?? `Bearer ${API_KEY}` };
    if (init.pid) headers['x-person-id'] = init.pid;
    if (init.key) headers['idempotency-key'] = init.key;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(server.url + path, {
      method,
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const contentType = (response.headers.get('content-type') ?? '').split(';')[0];
    const body: unknown = await response.json();
    contract.check(template, method, response.status, contentType, body);
    return {
      status: response.status,
      headers: response.headers,
      body: body as Answer,
    };
  };
  const invoicesOf = async (pid: string) =>
    (await call('GET', `${BASE}/invoices`, '/v1/municipalities/fjordvik/invoices', { pid })).body
      .fakturaer!;
  const put = (invoiceId: string, pid: string, key: string, forfallDato: string) =>
    call(
      'PUT',
      `${BASE}/invoices/{invoiceId}/due-date`,
      `/v1/municipalities/fjordvik/invoices/${invoiceId}/due-date`,
      {
        pid,
        key,
        body: { forfallDato, begrunnelse: 'Utsettelse innvilget' },
      },
    );

  beforeEach(async () => {
    server = await startFinanceServer({ apiKey: API_KEY, today: '2026-03-10' });
  });
  afterEach(() => server.close());

  it('serves invoices, one invoice and payment history as the contract says', async () => {
    const invoices = await invoicesOf(KARI);
    expect(invoices.length).toBeGreaterThan(0);
    const one = await call(
      'GET',
      `${BASE}/invoices/{invoiceId}`,
      `/v1/municipalities/fjordvik/invoices/${invoices[0].id}`,
      { pid: KARI },
    );
    expect(one.body.fakturalinjer?.length).toBeGreaterThan(0);
    expect(one.headers.get('cache-control')).toBe('no-store');
    const history = await call(
      'GET',
      `${BASE}/payment-history`,
      '/v1/municipalities/fjordvik/payment-history',
      { pid: OLA },
    );
    expect(history.body.hendelser?.map((e) => e.type)).toContain('SENDT_INKASSO');
  });

  it('names the collection agency of a claim in collection, as the contract says', async () => {
    const invoices = await invoicesOf(OLA);
    const collected = invoices.find((i) => i.status === 'SENDT_INKASSO')!;
    expect(collected.inkassoselskap).toEqual({
      navn: 'Fjellinkasso AS',
      telefon: null,
      nettside: 'https://fjellinkasso.example',
    });
    const others = invoices.filter((i) => i.status !== 'SENDT_INKASSO');
    expect(others.length).toBeGreaterThan(0);
    expect(others.every((i) => i.inkassoselskap === null)).toBe(true);
  });

  it('answers problems as the contract says', async () => {
    expect(
      (
        await call('GET', `${BASE}/invoices`, '/v1/municipalities/fjordvik/invoices', {
          pid: KARI,
          auth: 'Bearer wrong',
        })
      ).status,
    ).toBe(401);
    expect(
      (await call('GET', `${BASE}/invoices`, '/v1/municipalities/fjordvik/invoices', {})).status,
    ).toBe(400);
    expect(
      (await call('GET', `${BASE}/invoices`, '/v1/municipalities/nowhere/invoices', { pid: KARI }))
        .body.code,
    ).toBe('MUNICIPALITY_NOT_FOUND');
    const [theirs] = await invoicesOf(OLA);
    const notYours = await call(
      'GET',
      `${BASE}/invoices/{invoiceId}`,
      `/v1/municipalities/fjordvik/invoices/${theirs.id}`,
      { pid: KARI },
    );
    expect(notYours.body).toMatchObject({ status: 404, code: 'INVOICE_NOT_FOUND' });
  });

  it('applies a due date once per Idempotency-Key and replays the first answer', async () => {
    const open = (await invoicesOf(KARI)).find((i) => i.status === 'IKKE_BETALT')!;
    const first = await put(open.id, KARI, 'key-1', '2026-04-30');
    const again = await put(open.id, KARI, 'key-1', '2026-04-30');
    expect(first.status).toBe(200);
    expect(first.headers.get('idempotent-replayed')).toBe('false');
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect((await put(open.id, KARI, 'key-1', '2026-05-01')).body).toMatchObject({
      status: 409,
      code: 'IDEMPOTENCY_KEY_REUSED',
    });
    expect(server.store().appliedPerInvoice).toEqual({ [open.id]: 1 });
    expect(server.store().keyRecords()).toEqual([
      expect.objectContaining({ idempotencyKey: 'key-1', requests: 2, outcome: 'applied' }),
    ]);
  });

  it('rejects changes to paid and collected invoices with 422 and a reason code, and remembers them', async () => {
    const paid = (await invoicesOf(KARI)).find((i) => i.status === 'BETALT')!;
    expect((await put(paid.id, KARI, 'key-paid', '2026-04-30')).body).toMatchObject({
      status: 422,
      code: 'INVOICE_PAID',
    });
    const collected = (await invoicesOf(OLA)).find((i) => i.status === 'SENDT_INKASSO')!;
    expect((await put(collected.id, OLA, 'key-collected', '2026-04-30')).body).toMatchObject({
      status: 422,
      code: 'INVOICE_IN_DEBT_COLLECTION',
    });
    const replay = await put(collected.id, OLA, 'key-collected', '2026-04-30');
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.status).toBe(422);
  });

  it('requires an Idempotency-Key and a well-formed body', async () => {
    const open = (await invoicesOf(KARI)).find((i) => i.status === 'IKKE_BETALT')!;
    const path = `/v1/municipalities/fjordvik/invoices/${open.id}/due-date`;
    const noKey = await call('PUT', `${BASE}/invoices/{invoiceId}/due-date`, path, {
      pid: KARI,
      body: { forfallDato: '2026-04-30', begrunnelse: 'x' },
    });
    expect(noKey.status).toBe(400);
    expect((await put(open.id, KARI, 'key-2', '2026-02-30')).status).toBe(400);
  });

  it('lets a test change an invoice by hand, as the finance team would after a hand-over', async () => {
    const byHand = (invoiceId: string, body: unknown) =>
      fetch(`${server.url}/admin/invoices/fjordvik/${invoiceId}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const open = (await invoicesOf(KARI)).find((i) => i.status === 'IKKE_BETALT')!;
    expect((await byHand(open.id, { forfallDato: '2026-31-01' })).status).toBe(400);
    expect((await byHand('fjordvik-nope', { betalt: true })).status).toBe(404);
    expect((await byHand(open.id, { forfallDato: '2026-05-29' })).status).toBe(200);
    const path = `/v1/municipalities/fjordvik/invoices/${open.id}`;
    const moved = await call('GET', `${BASE}/invoices/{invoiceId}`, path, { pid: KARI });
    expect(moved.body).toMatchObject({ forfallDato: '2026-05-29', status: 'IKKE_BETALT' });
    expect((await byHand(open.id, { betalt: true })).status).toBe(200);
    const paid = await call('GET', `${BASE}/invoices/{invoiceId}`, path, { pid: KARI });
    expect(paid.body).toMatchObject({ status: 'BETALT', utestaendeBelopOre: 0 });
    // Neither went through the API's write path.
    expect(server.store().appliedPerInvoice).toEqual({});
  });

  it('lets tests switch faults and read what was applied through the admin endpoints', async () => {
    const admin = (path: string, body?: unknown) =>
      fetch(server.url + path, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    expect((await admin('/admin/faults', { mode: 'sometimes' })).status).toBe(400);
    expect(
      (await admin('/admin/faults', { mode: 'error500', paths: ['/payment-history'] })).status,
    ).toBe(200);
    expect((await fetch(`${server.url}/admin/state`)).status).toBe(401);
    await invoicesOf(KARI);
    const history = await call(
      'GET',
      `${BASE}/payment-history`,
      '/v1/municipalities/fjordvik/payment-history',
      { pid: KARI },
    );
    expect(history.status).toBe(500);
    const state = (await (await admin('/admin/state')).json()) as {
      requests: unknown;
      faults: unknown;
    };
    expect(state.requests).toEqual({ 'GET /invoices': 1, 'GET /payment-history': 1 });
    expect(state.faults).toMatchObject({ mode: 'error500', injected: 1 });
    expect(JSON.stringify(state)).not.toContain(KARI);
    expect((await admin('/admin/reset', {})).status).toBe(204);
  });
});

describe(faultsFromEnv, () => {
  it('reads the fault settings from the environment', () => {
    expect(faultsFromEnv({})).toEqual({ mode: 'none' });
    expect(
      faultsFromEnv({
        FINANCE_FAULT_MODE: 'slow',
        FINANCE_FAULT_DELAY_MS: '1500',
        FINANCE_FAULT_PROBABILITY: '0.3',
        FINANCE_FAULT_PATHS: 'PUT , /invoices',
      }),
    ).toEqual({ mode: 'slow', delayMs: 1500, probability: 0.3, paths: ['PUT', '/invoices'] });
    expect(() => faultsFromEnv({ FINANCE_FAULT_MODE: 'chaos' })).toThrow();
  });
});
