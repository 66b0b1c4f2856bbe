import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { todayInNorway, type IsoDate } from '../../src/shared/calendar-date';
import { generateDemoInvoices, type DemoLedgerEntry } from '../finance-server/demo-invoices';
import { VismaFaults, type VismaFaultConfig } from './visma-faults';
import { VismaStore, etagOf } from './visma-store';

/**
 * A stand-in for Visma.net ERP's API v1 (https://api.finance.visma.net) and its Visma Connect
 * token endpoint, serving the demo ledger from memory: for tests and demos of the Visma adapter.
 */
export interface VismaServerOptions {
  port?: number;
  host?: string;
  today?: IsoDate;
  /** Defaults to generateDemoInvoices({ today }). */
  ledger?: readonly DemoLedgerEntry[];
  /** Visma Connect tenant id per municipality slug; defaults to VISMA_DEMO_TENANTS. */
  tenants?: Readonly<Record<string, string>>;
  /** Service integrations allowed to ask for tokens; defaults to the demo client. */
  clients?: readonly { clientId: string; clientSecret: string }[];
  tokenLifetimeSeconds?: number;
  /** The largest page the list endpoints give (Visma's metadata.maxPageSize). */
  maxPageSize?: number;
  faults?: VismaFaultConfig;
}

export interface RunningVismaServer {
  /** The API's base URL (settings.visma.baseUrl). */
  url: string;
  /** Visma Connect's token endpoint (settings.visma.tokenUrl). */
  tokenUrl: string;
  today: IsoDate;
  tenants: Readonly<Record<string, string>>;
  faults: VismaFaults;
  store: () => VismaStore;
  /** Request counts per route shape ("GET /v1/customerinvoice/:nr"); never ids or identity numbers. */
  requests: () => Record<string, number>;
  /** Revokes every token (as a rotated secret or an operator would); the next call gets 401. */
  revokeTokens: () => void;
  reset: () => void;
  close: () => Promise<void>;
}

/** Valid version 4 UUIDs, one Visma company each. */
export const VISMA_DEMO_TENANTS: Readonly<Record<string, string>> = {
  fjordvik: 'b7d3c1e2-4f5a-4b6c-8d7e-9f0a1b2c3d4e',
  asdal: 'c8e4d2f3-5a6b-4c7d-9e8f-0a1b2c3d4e5f',
};
export const VISMA_DEMO_CLIENT = {
  clientId: 'isv_minside_faktura_demo',
  clientSecret: 'visma-demo-secret-0123456789',
};

interface Issued {
  tenantId: string;
  expiresAt: number;
}

export async function startVismaServer(
  options: VismaServerOptions = {},
): Promise<RunningVismaServer> {
  const today = options.today ?? todayInNorway();
  const ledger = options.ledger ?? generateDemoInvoices({ today });
  const tenants = options.tenants ?? VISMA_DEMO_TENANTS;
  const tenantSlugs = invert(tenants);
  const clients = options.clients ?? [VISMA_DEMO_CLIENT];
  const lifetime = options.tokenLifetimeSeconds ?? 3600;
  const maxPageSize = options.maxPageSize ?? 100;
  let store = new VismaStore(ledger, tenantSlugs);
  const faults = new VismaFaults();
  if (options.faults) faults.set(options.faults);
  const tokens = new Map<string, Issued>();
  const requests: Record<string, number> = {};

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, { message: 'An error has occurred.' });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://visma.invalid');
    const method = req.method ?? 'GET';
    const route = routeOf(method, url.pathname);
    requests[route.shape] = (requests[route.shape] ?? 0) + 1;
    const fault = faults.draw(`${method} ${url.pathname}`);
    if (fault?.mode === 'slow') await sleep(fault.delayMs ?? 5_000);
    if (fault?.mode === 'error500') return send(res, 500, { message: 'An error has occurred.' });
    if (fault?.mode === 'token-down') return send(res, 503, { message: 'Service Unavailable' });
    if (fault?.mode === 'rate-limit') {
      const wait = String(fault.retryAfterSeconds ?? 1);
      return send(
        res,
        429,
        { message: 'Too many requests' },
        {
          'retry-after': wait,
          'x-ratelimit-limit': '15000',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': wait,
          'x-ratelimit-policy': '4-fixed-window',
        },
      );
    }
    if (fault?.mode === 'revoke-tokens') tokens.clear();
    if (fault?.mode === 'drop') {
      res.end = (() => {
        req.socket.destroy();
        return res;
      }) as ServerResponse['end'];
    }
    if (fault?.mode === 'bad-json') corruptJson(res);
    const body = await readBody(req);

    if (route.shape === 'POST /connect/token') return token(res, body);
    const tenantId = authorized(req);
    if (!tenantId) {
      return send(
        res,
        401,
        { message: 'Authorization has been denied for this request.' },
        {
          'www-authenticate': 'Bearer error="invalid_token"',
        },
      );
    }
    switch (route.shape) {
      case 'GET /v1/customer': {
        const found = store.customers(tenantId, url.searchParams);
        if ('error' in found) return send(res, 400, { message: found.error });
        return page(res, found, url.searchParams);
      }
      case 'GET /v1/customer/:nr/invoice':
        if (!store.hasCustomer(tenantId, route.id!)) {
          return send(res, 404, { message: `Customer ${route.id} not found` });
        }
        return page(res, store.invoicesOf(tenantId, route.id!), url.searchParams);
      case 'GET /v1/customerinvoice/:nr': {
        const invoice = store.invoice(tenantId, route.id!);
        if (!invoice) return notFound(res, route.id!);
        return send(res, 200, invoice, { etag: etagOf(invoice) });
      }
      case 'PUT /v1/customerinvoice/:nr': {
        if (fault?.mode === 'concurrent-change') store.touch(tenantId, route.id!);
        let parsed: unknown;
        try {
          parsed = JSON.parse(body);
        } catch {
          return send(res, 400, { message: 'The request body is not valid JSON' });
        }
        const outcome = store.updateInvoice(
          tenantId,
          route.id!,
          req.headers['if-match'] ?? null,
          parsed,
        );
        if (outcome.kind === 'not-found') return notFound(res, route.id!);
        if (outcome.kind === 'precondition-failed') {
          return send(res, 412, {
            message: 'Customer invoice version does not match with If-Match header',
          });
        }
        if (outcome.kind === 'bad-request') return send(res, 400, { message: outcome.message });
        res.writeHead(204, { etag: outcome.etag });
        return void res.end();
      }
      case 'GET /v1/customerPayment':
        return page(res, store.payments(tenantId, url.searchParams), url.searchParams);
      default:
        return send(res, 404, {
          message: 'No HTTP resource was found that matches the request URI.',
        });
    }
  }

  function token(res: ServerResponse, body: string): void {
    const form = new URLSearchParams(body);
    if (form.get('grant_type') !== 'client_credentials') {
      return send(res, 400, { error: 'unsupported_grant_type' });
    }
    const client = clients.find((c) => c.clientId === form.get('client_id'));
    if (!client || client.clientSecret !== form.get('client_secret')) {
      return send(res, 400, { error: 'invalid_client' });
    }
    const tenantId = form.get('tenant_id') ?? '';
    if (!tenantSlugs[tenantId]) return send(res, 400, { error: 'invalid_request' });
    const scopes = (form.get('scope') ?? '').split(' ');
    if (!scopes.includes('vismanet_erp_service_api:read'))
      return send(res, 400, { error: 'invalid_scope' });
    const accessToken = randomBytes(24).toString('base64url');
    tokens.set(accessToken, { tenantId, expiresAt: Date.now() + lifetime * 1000 });
    send(res, 200, {
      access_token: accessToken,
      expires_in: lifetime,
      token_type: 'Bearer',
      scope: scopes.join(' '),
    });
  }

  function authorized(req: IncomingMessage): string | undefined {
    const match = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
    const issued = match ? tokens.get(match[1]) : undefined;
    if (!issued || issued.expiresAt <= Date.now()) return undefined;
    return issued.tenantId;
  }

  /** Visma's pagination: pageNumber from 1, pageSize up to maxPageSize, metadata on every item. */
  function page(
    res: ServerResponse,
    items: Record<string, unknown>[],
    query: URLSearchParams,
  ): void {
    const size = Math.min(Number(query.get('pageSize') ?? maxPageSize) || maxPageSize, maxPageSize);
    const number = Math.max(Number(query.get('pageNumber') ?? 1) || 1, 1);
    const slice = items.slice((number - 1) * size, number * size);
    const metadata = { totalCount: items.length, maxPageSize };
    send(
      res,
      200,
      slice.map((item) => ({ ...item, metadata })),
    );
  }

  const listening = server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  await new Promise<void>((resolve, reject) =>
    listening.once('listening', resolve).once('error', reject),
  );
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host ?? '127.0.0.1'}:${port}`;
  return {
    url,
    tokenUrl: `${url}/connect/token`,
    today,
    tenants,
    faults,
    store: () => store,
    requests: () => ({ ...requests }),
    revokeTokens: () => tokens.clear(),
    reset: () => {
      store = new VismaStore(ledger, tenantSlugs);
      faults.set({ mode: 'none' });
      tokens.clear();
      for (const key of Object.keys(requests)) delete requests[key];
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** The route's shape (for counting) and the document number in it. */
function routeOf(method: string, pathname: string): { shape: string; id?: string } {
  const path = pathname.replace(/\/+$/, '');
  const lower = path.toLowerCase();
  if (lower === '/connect/token') return { shape: `${method} /connect/token` };
  if (lower === '/v1/customer') return { shape: `${method} /v1/customer` };
  if (lower === '/v1/customerpayment') return { shape: `${method} /v1/customerPayment` };
  const invoices = /^\/v1\/customer\/([^/]+)\/invoice$/i.exec(path);
  if (invoices)
    return { shape: `${method} /v1/customer/:nr/invoice`, id: decodeURIComponent(invoices[1]) };
  const invoice = /^\/v1\/customerinvoice\/([^/]+)$/i.exec(path);
  if (invoice)
    return { shape: `${method} /v1/customerinvoice/:nr`, id: decodeURIComponent(invoice[1]) };
  return { shape: `${method} (other)` };
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

function notFound(res: ServerResponse, number: string): void {
  send(res, 404, { message: `No Customer invoice found with Ref. no. ${number}` });
}

function corruptJson(res: ServerResponse): void {
  const end = res.end.bind(res) as (chunk?: unknown) => ServerResponse;
  res.end = ((chunk?: unknown) =>
    res.statusCode >= 200 && res.statusCode < 300 && typeof chunk === 'string'
      ? end(chunk.slice(0, 40))
      : end(chunk)) as ServerResponse['end'];
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 64 * 1024) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function invert(record: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [v, k]));
}
