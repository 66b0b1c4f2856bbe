import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { isIsoDate, todayInNorway, type IsoDate } from '../../src/shared/calendar-date';
import { generateDemoInvoices, type DemoLedgerEntry } from './demo-invoices';
import { FaultInjector, faultConfigSchema, problem, type FaultConfig } from './faults';
import { FinanceStore } from './finance-store';
import { invoiceToWire, paymentEventToWire, summaryToWire } from './finance-wire';

export interface FinanceServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** The bearer key clients must send, for the API and the admin endpoints alike. */
  apiKey: string;
  /** "Today" for the demo data and the deferral rules; defaults to today in Norway. */
  today?: IsoDate;
  faults?: FaultConfig;
  /** Defaults to generateDemoInvoices({ today }). */
  ledger?: readonly DemoLedgerEntry[];
  /** Municipalities served even without invoices; those in the ledger always are. */
  municipalities?: readonly string[];
}

export interface RunningFinanceServer {
  url: string;
  port: number;
  today: IsoDate;
  faults: FaultInjector;
  store: () => FinanceStore;
  close: () => Promise<void>;
}

const PID = /^\d{11}$/;
const KEY = /^[\x21-\x7E]{1,200}$/;
const byHandBody = z
  .object({
    forfallDato: z.string().refine(isIsoDate).optional(),
    betalt: z.literal(true).optional(),
  })
  .strict();
const dueDateBody = z.object({
  forfallDato: z.string().refine(isIsoDate),
  begrunnelse: z.string().min(1).max(500),
});

/** A stand-in municipal finance system serving contracts/finance-system.openapi.yaml from memory. */
export async function startFinanceServer(
  options: FinanceServerOptions,
): Promise<RunningFinanceServer> {
  const today = options.today ?? todayInNorway();
  const ledger = options.ledger ?? generateDemoInvoices({ today });
  const municipalities = options.municipalities ?? ['fjordvik', 'asdal'];
  const newStore = () => new FinanceStore(ledger, municipalities, today);
  let store = newStore();
  const faults = new FaultInjector(options.faults);
  const requests: Record<string, number> = {};

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(bearer(options.apiKey));
  app.use(express.json({ limit: '16kb' }));

  app.post('/admin/faults', (req, res) => {
    const parsed = faultConfigSchema.safeParse(req.body);
    if (!parsed.success)
      return void send(res, 400, 'INVALID_REQUEST', parsed.error.issues[0]?.message ?? 'Invalid');
    faults.set(parsed.data);
    res.json(faults.current());
  });
  app.get('/admin/state', (_req, res) => {
    const s = store;
    res.json({
      today,
      faults: faults.current(),
      requests,
      idempotencyKeys: s.keyRecords(),
      appliedPerInvoice: s.appliedPerInvoice,
    });
  });
  // A person in the finance team changing an invoice by hand: what a hand-over asks of them.
  app.post('/admin/invoices/:municipality/:invoiceId', (req, res) => {
    const parsed = byHandBody.safeParse(req.body);
    if (!parsed.success)
      return void send(res, 400, 'INVALID_REQUEST', 'Body must be { forfallDato?, betalt? }');
    const invoice = store.changeByHand(req.params.municipality, req.params.invoiceId, {
      dueDate: parsed.data.forfallDato,
      paid: parsed.data.betalt,
    });
    if (!invoice) return void send(res, 404, 'INVOICE_NOT_FOUND', 'No such invoice');
    res.json(invoiceToWire(invoice));
  });
  app.post('/admin/reset', (_req, res) => {
    store = newStore();
    faults.set({ mode: 'none' });
    for (const key of Object.keys(requests)) delete requests[key];
    res.status(204).end();
  });

  const api = express.Router({ mergeParams: true });
  api.use((req, res, next) => {
    const route = `${req.method} ${routeOf(req.path)}`;
    requests[route] = (requests[route] ?? 0) + 1;
    res.set('cache-control', 'no-store');
    const pid = req.get('x-person-id');
    if (!pid || !PID.test(pid))
      return send(res, 400, 'INVALID_REQUEST', 'X-Person-Id must be 11 digits');
    if (!store.hasMunicipality(String(req.params.municipality))) {
      return send(res, 404, 'MUNICIPALITY_NOT_FOUND', 'Unknown municipality');
    }
    res.locals.pid = pid;
    next();
  });
  api.use(faults.middleware());
  api.get('/invoices', (req, res) => {
    res.json({ fakturaer: store.list(municipalityOf(req), res.locals.pid).map(summaryToWire) });
  });
  api.get('/invoices/:invoiceId', (req, res) => {
    const invoice = store.get(municipalityOf(req), res.locals.pid, req.params.invoiceId);
    if (!invoice) return send(res, 404, 'INVOICE_NOT_FOUND', 'No such invoice');
    res.json(invoiceToWire(invoice));
  });
  api.get('/payment-history', (req, res) => {
    res.json({
      hendelser: store.paymentEvents(municipalityOf(req), res.locals.pid).map(paymentEventToWire),
    });
  });
  api.put('/invoices/:invoiceId/due-date', (req, res) => {
    const key = req.get('idempotency-key');
    if (!key || !KEY.test(key))
      return send(res, 400, 'INVALID_REQUEST', 'Idempotency-Key is required');
    const body = dueDateBody.safeParse(req.body);
    if (!body.success)
      return send(res, 400, 'INVALID_REQUEST', 'Body must be { forfallDato, begrunnelse }');
    const { outcome, replayed } = store.setDueDate({
      municipality: municipalityOf(req),
      pid: res.locals.pid,
      invoiceId: req.params.invoiceId,
      idempotencyKey: key,
      newDueDate: body.data.forfallDato,
      reason: body.data.begrunnelse,
    });
    res.set('idempotent-replayed', String(replayed));
    switch (outcome.kind) {
      case 'not-found':
        return send(res, 404, 'INVOICE_NOT_FOUND', 'No such invoice');
      case 'conflict':
        return send(
          res,
          409,
          'IDEMPOTENCY_KEY_REUSED',
          'This Idempotency-Key was used for a different request',
        );
      case 'rejected':
        return send(res, 422, outcome.code, outcome.detail);
      case 'applied':
        res.json({
          fakturaId: outcome.invoiceId,
          forfallDato: outcome.dueDate,
          forrigeForfallDato: outcome.previousDueDate,
          endretTidspunkt: outcome.changedAt,
        });
    }
  });
  app.use('/v1/municipalities/:municipality', api);
  app.use((_req: Request, res: Response) => send(res, 404, 'NOT_FOUND', 'No such resource'));
  app.use(
    (error: Error & { status?: number }, _req: Request, res: Response, _next: NextFunction) => {
      const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 500;
      send(
        res,
        status,
        status === 500 ? 'INTERNAL_ERROR' : 'INVALID_REQUEST',
        status === 500 ? 'Internal error' : error.message,
      );
    },
  );

  const server = app.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  await new Promise<void>((resolve, reject) =>
    server.once('listening', resolve).once('error', reject),
  );
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    today,
    faults,
    store: () => store,
    close: () =>
      new Promise<void>((resolve, reject) => {
        faults.dispose();
        server.close((error) => (error ? reject(error) : resolve()));
        // Slow-fault requests would otherwise hold the server open.
        server.closeAllConnections();
      }),
  };
}

function bearer(apiKey: string) {
  const expected = Buffer.from(`Bearer ${apiKey}`);
  return (req: Request, res: Response, next: NextFunction) => {
    const given = Buffer.from(req.get('authorization') ?? '');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return next();
    res.set('www-authenticate', 'Bearer');
    send(res, 401, 'UNAUTHORIZED', 'A valid bearer API key is required');
  };
}

function send(res: Response, status: number, code: string, detail: string): void {
  res
    .status(status)
    .type('application/problem+json')
    .send(JSON.stringify(problem(status, code, detail)));
}

function municipalityOf(req: Request): string {
  return String(req.params.municipality);
}

/** Request counts per route shape, so ids (and certainly identity numbers) never become keys. */
function routeOf(path: string): string {
  if (path === '/invoices' || path === '/payment-history') return path;
  return path.endsWith('/due-date') ? '/invoices/:id/due-date' : '/invoices/:id';
}
