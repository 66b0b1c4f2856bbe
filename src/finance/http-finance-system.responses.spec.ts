import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateDemoInvoices } from '../../dev/finance-server/demo-invoices';
import { invoiceToWire, summaryToWire } from '../../dev/finance-server/finance-wire';
import { FinanceNotFoundError, FinanceRejectedError } from './finance.errors';
import { HttpFinanceSystem } from './http-finance-system';
import { retryAfterSeconds } from './http-finance-transport';
import { httpTenant } from './testing/http-tenant';

const PID = '12838512311';
const INVOICE = generateDemoInvoices({ today: '2026-03-10' })[0].invoices[0];

interface Canned {
  status?: number;
  headers?: Record<string, string>;
  body: unknown;
}

/** A finance API that answers whatever the test says, and remembers what it was asked. */
async function stubServer() {
  let canned: Canned = { body: {} };
  const seen: { method?: string; url?: string; headers: IncomingHttpHeaders; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      res.writeHead(canned.status ?? 200, {
        'content-type': 'application/json',
        ...canned.headers,
      });
      res.end(typeof canned.body === 'string' ? canned.body : JSON.stringify(canned.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    seen,
    answer: (next: Canned) => void (canned = next),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe(HttpFinanceSystem, () => {
  let stub: Awaited<ReturnType<typeof stubServer>>;
  let logged: string[];
  const tenant = () => httpTenant('fjordvik', stub.url);
  const system = () =>
    new HttpFinanceSystem({
      apiKeyFor: () => 'stub-key',
      logger: { warn: (m) => void logged.push(m), debug: (m) => void logged.push(m) },
      retries: 0,
      maxBodyBytes: 64 * 1024,
    });
  const badResponse = expect.objectContaining({
    name: 'FinanceUnavailableError',
    reason: 'bad-response',
  });
  const listWith = (patch: Record<string, unknown>) => ({
    fakturaer: [{ ...summaryToWire(INVOICE), ...patch }],
  });

  beforeEach(async () => {
    stub = await stubServer();
    logged = [];
  });
  afterEach(async () => {
    await stub.close();
    expect(logged.join('\n')).not.toContain(PID);
  });

  describe('requests', () => {
    it('names the resident in X-Person-Id, never in the URL, and authenticates with the bearer key', async () => {
      stub.answer({ body: { fakturaer: [] } });
      await system().listInvoices(tenant(), PID);
      expect(stub.seen[0]).toMatchObject({
        method: 'GET',
        url: '/v1/municipalities/fjordvik/invoices',
      });
      expect(stub.seen[0].headers).toMatchObject({
        'x-person-id': PID,
        authorization: 'Bearer stub-key',
      });
    });

    it('sends the due date change with its Idempotency-Key', async () => {
      stub.answer({
        headers: { 'idempotent-replayed': 'false' },
        body: {
          fakturaId: INVOICE.id,
          forfallDato: '2026-04-30',
          forrigeForfallDato: INVOICE.dueDate,
          endretTidspunkt: '2026-03-10T09:00:00.000Z',
        },
      });
      const command = {
        invoiceId: INVOICE.id,
        pid: PID,
        newDueDate: '2026-04-30',
        idempotencyKey: 'job-42',
        reason: 'UTS-1',
      };
      await expect(system().setDueDate(tenant(), command)).resolves.toMatchObject({
        dueDate: '2026-04-30',
        replayed: false,
      });
      expect(stub.seen[0]).toMatchObject({
        method: 'PUT',
        url: `/v1/municipalities/fjordvik/invoices/${INVOICE.id}/due-date`,
      });
      expect(stub.seen[0].headers['idempotency-key']).toBe('job-42');
      expect(JSON.parse(stub.seen[0].body)).toEqual({
        forfallDato: '2026-04-30',
        begrunnelse: 'UTS-1',
      });
    });

    it('treats an id that cannot exist as not found without asking', async () => {
      for (const id of ['../admin', '..', 'a/b', '']) {
        await expect(system().getInvoice(tenant(), PID, id)).rejects.toBeInstanceOf(
          FinanceNotFoundError,
        );
      }
      expect(stub.seen).toHaveLength(0);
    });

    it('reports a municipality without base URL or API key as not-configured', async () => {
      const noUrl = { ...tenant(), settings: { financeAdapter: 'http' } };
      await expect(system().listInvoices(noUrl, PID)).rejects.toMatchObject({
        reason: 'not-configured',
      });
      const noKey = new HttpFinanceSystem({
        apiKeyFor: () => undefined,
        logger: { warn: jest.fn(), debug: jest.fn() },
      });
      await expect(noKey.listInvoices(tenant(), PID)).rejects.toMatchObject({
        reason: 'not-configured',
      });
    });
  });

  describe('the collection agency', () => {
    const agency = {
      navn: 'Fjellinkasso AS',
      telefon: '+47 21 00 00 00',
      nettside: 'https://fjellinkasso.example',
    };

    it('names the agency that has the claim, in the list and on the invoice', async () => {
      stub.answer({ body: listWith({ inkassoselskap: agency }) });
      const [summary] = await system().listInvoices(tenant(), PID);
      expect(summary.collectionAgency).toEqual({
        name: 'Fjellinkasso AS',
        phone: '+47 21 00 00 00',
        url: 'https://fjellinkasso.example',
      });
      stub.answer({ body: { ...invoiceToWire(INVOICE), inkassoselskap: { navn: 'Lindorff' } } });
      const invoice = await system().getInvoice(tenant(), PID, INVOICE.id);
      expect(invoice.collectionAgency).toEqual({ name: 'Lindorff', phone: null, url: null });
    });

    it('is unknown (null) when a finance system does not send it, or sends null', async () => {
      const { inkassoselskap: _left, ...older } = summaryToWire(INVOICE);
      stub.answer({ body: { fakturaer: [older] } });
      await expect(system().listInvoices(tenant(), PID)).resolves.toMatchObject([
        { collectionAgency: null },
      ]);
      stub.answer({ body: listWith({ inkassoselskap: null }) });
      await expect(system().listInvoices(tenant(), PID)).resolves.toMatchObject([
        { collectionAgency: null },
      ]);
    });
  });

  describe('answers that must never become a wrong amount', () => {
    it.each([
      ['a total that is not the sum of its parts', { totalbelopOre: INVOICE.totalOre + 1 }],
      [
        'an outstanding amount that is not total − paid',
        { utestaendeBelopOre: INVOICE.outstandingOre - 100 },
      ],
      ['an amount beyond safe integers', { belopOre: 1e20 }],
      ['an invalid KID', { kid: '1234567890' }],
      ['an invalid account number', { kontonummer: '12345678900' }],
      ['a date that does not exist', { forfallDato: '2026-02-30' }],
      ['an unknown status', { status: 'KANSKJE' }],
    ])('refuses %s', async (_what, patch) => {
      stub.answer({ body: listWith(patch) });
      await expect(system().listInvoices(tenant(), PID)).rejects.toEqual(badResponse);
    });

    it.each([
      ['without a name', { navn: '', telefon: null, nettside: null }, /inkassoselskap\.navn/],
      [
        'with a link that is not https',
        { navn: 'Fjellinkasso AS', telefon: null, nettside: 'javascript:alert(1)' },
        /collection agency address is not an https address/,
      ],
      [
        'with a phone number that is not one',
        { navn: 'Fjellinkasso AS', telefon: 'ring oss', nettside: null },
        /collection agency phone number is not a phone number/,
      ],
      ['that is only a name', 'Fjellinkasso AS', /inkassoselskap/],
    ])('refuses a collection agency %s, saying so', async (_what, inkassoselskap, message) => {
      stub.answer({ body: listWith({ inkassoselskap }) });
      const failure = system().listInvoices(tenant(), PID);
      await expect(failure).rejects.toEqual(badResponse);
      await expect(failure).rejects.toMatchObject({ message: expect.stringMatching(message) });
    });

    it('refuses lines that do not add up to the amount', async () => {
      const wire = invoiceToWire(INVOICE);
      wire.fakturalinjer[0] = {
        ...wire.fakturalinjer[0],
        nettoOre: wire.fakturalinjer[0].nettoOre + 1,
        belopOre: wire.fakturalinjer[0].belopOre + 1,
      };
      stub.answer({ body: wire });
      await expect(system().getInvoice(tenant(), PID, INVOICE.id)).rejects.toEqual(badResponse);
    });

    it('refuses an invoice other than the one asked for', async () => {
      stub.answer({ body: invoiceToWire(INVOICE) });
      await expect(system().getInvoice(tenant(), PID, 'fjordvik-2026999999')).rejects.toEqual(
        badResponse,
      );
    });

    it('refuses a due date change that is not the one asked for', async () => {
      stub.answer({
        body: {
          fakturaId: INVOICE.id,
          forfallDato: '2026-05-01',
          forrigeForfallDato: INVOICE.dueDate,
          endretTidspunkt: '2026-03-10T09:00:00Z',
        },
      });
      const command = {
        invoiceId: INVOICE.id,
        pid: PID,
        newDueDate: '2026-04-30',
        idempotencyKey: 'k',
        reason: 'r',
      };
      await expect(system().setDueDate(tenant(), command)).rejects.toEqual(badResponse);
    });

    it('refuses a 200 that is not JSON, and a body above the size limit', async () => {
      stub.answer({ headers: { 'content-type': 'text/html' }, body: '<html>maintenance</html>' });
      await expect(system().listInvoices(tenant(), PID)).rejects.toEqual(badResponse);
      stub.answer({ body: { fakturaer: [], padding: 'x'.repeat(100_000) } });
      await expect(system().listInvoices(tenant(), PID)).rejects.toEqual(badResponse);
    });
  });

  describe('error answers', () => {
    it('maps 422 to a rejection carrying the reason code and message', async () => {
      stub.answer({
        status: 422,
        body: {
          type: 'x',
          title: 'Paid',
          status: 422,
          code: 'INVOICE_PAID',
          detail: 'The invoice is paid',
        },
      });
      const command = {
        invoiceId: INVOICE.id,
        pid: PID,
        newDueDate: '2026-04-30',
        idempotencyKey: 'k',
        reason: 'r',
      };
      const failure = system().setDueDate(tenant(), command);
      await expect(failure).rejects.toBeInstanceOf(FinanceRejectedError);
      await expect(failure).rejects.toMatchObject({
        reasonCode: 'INVOICE_PAID',
        message: 'The invoice is paid',
      });
    });

    it('treats a 422 without a reason code as a bad response', async () => {
      stub.answer({ status: 422, body: 'Unprocessable' });
      await expect(system().listInvoices(tenant(), PID)).rejects.toEqual(badResponse);
    });

    it('maps a key still in use to a retryable failure, not a rejection', async () => {
      stub.answer({
        status: 409,
        body: { type: 'x', title: 'Busy', status: 409, code: 'IDEMPOTENCY_KEY_IN_USE' },
      });
      const command = {
        invoiceId: INVOICE.id,
        pid: PID,
        newDueDate: '2026-04-30',
        idempotencyKey: 'k',
        reason: 'r',
      };
      await expect(system().setDueDate(tenant(), command)).rejects.toMatchObject({
        name: 'FinanceUnavailableError',
        retryAfterSeconds: 1,
      });
    });

    it('maps an unknown municipality to not found', async () => {
      stub.answer({
        status: 404,
        body: { type: 'x', title: 'No', status: 404, code: 'MUNICIPALITY_NOT_FOUND' },
      });
      await expect(system().listInvoices(tenant(), PID)).rejects.toMatchObject({
        name: 'FinanceNotFoundError',
        resource: 'municipality',
      });
    });

    it('maps 429 to rate-limited with Retry-After', async () => {
      stub.answer({ status: 429, headers: { 'retry-after': '7' }, body: { code: 'SLOW_DOWN' } });
      await expect(system().listInvoices(tenant(), PID)).rejects.toMatchObject({
        reason: 'rate-limited',
        retryAfterSeconds: 7,
      });
    });
  });
});

describe(retryAfterSeconds, () => {
  it('reads delta-seconds and HTTP dates', () => {
    const now = Date.parse('2026-03-10T12:00:00Z');
    expect(retryAfterSeconds('120', now)).toBe(120);
    expect(retryAfterSeconds('Tue, 10 Mar 2026 12:00:30 GMT', now)).toBe(30);
    expect(retryAfterSeconds('soon', now)).toBeUndefined();
    expect(retryAfterSeconds(null, now)).toBeUndefined();
  });
});
