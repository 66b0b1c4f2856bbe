import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { addDays, todayInNorway, type IsoDate } from '../../src/shared/calendar-date';
import { generateDemoInvoices, type DemoLedgerEntry } from '../finance-server/demo-invoices';
import { execute } from './graphql-exec';
import { GraphQLSyntaxError, parseOperation, type Operation } from './graphql-lite';
import {
  corruptNodes,
  faultErrors,
  XledgerFaults,
  xledgerFaultSchema,
  type XledgerFaultConfig,
} from './xledger-faults';
import { XLEDGER_SCHEMA } from './xledger-schema';
import { seedXledger } from './xledger-seed';
import { XledgerStore, type XledgerEntity } from './xledger-store';

export interface XledgerServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** One API token per entity (municipality slug → token); Xledger tokens belong to one entity. */
  tokens: Readonly<Record<string, string>>;
  /** "Today" for the demo data; defaults to today in Norway. */
  today?: IsoDate;
  faults?: XledgerFaultConfig;
  /** Defaults to generateDemoInvoices({ today }). */
  ledger?: readonly DemoLedgerEntry[];
}

export interface RunningXledgerServer {
  /** The GraphQL endpoint, like https://www.xledger.net/graphql. */
  url: string;
  port: number;
  today: IsoDate;
  faults: XledgerFaults;
  store: () => XledgerStore;
  /** Requests per root field, e.g. `{ arTransactions: 3, updateArTransactions: 1 }`. */
  requests: Record<string, number>;
  close: () => Promise<void>;
}

const MAX_BODY = 64 * 1024;
const WELL_FORMED_TOKEN = /^[A-Za-z0-9+/=_-]{16,200}$/;

/** A stand-in for Xledger's GraphQL API (POST /graphql, `Authorization: token …`), from memory. */
export async function startXledgerServer(
  options: XledgerServerOptions,
): Promise<RunningXledgerServer> {
  const today = options.today ?? todayInNorway();
  const entities = seedXledger(options.ledger ?? generateDemoInvoices({ today }), options.tokens);
  let store = new XledgerStore(entities);
  const faults = new XledgerFaults(options.faults);
  const requests: Record<string, number> = {};
  const delays = new Set<NodeJS.Timeout>();

  const admin = (path: string, body: unknown, res: ServerResponse) => {
    if (path === '/admin/faults') {
      const parsed = xledgerFaultSchema.safeParse(body);
      if (!parsed.success) return json(res, 400, { errors: [{ message: parsed.error.message }] });
      faults.set(parsed.data);
      return json(res, 200, faults.current());
    }
    if (path === '/admin/reset') {
      store = new XledgerStore(entities);
      faults.set({ mode: 'none' });
      for (const key of Object.keys(requests)) delete requests[key];
      return json(res, 200, { reset: true });
    }
    // No identity numbers: counts and update tallies only.
    return json(res, 200, { today, faults: faults.current(), requests, updates: store.updates });
  };

  const graphql = (entity: XledgerEntity, body: unknown, res: ServerResponse) => {
    const { query, variables } = (body ?? {}) as { query?: unknown; variables?: unknown };
    if (typeof query !== 'string') {
      return json(res, 400, { errors: [{ message: 'Body must be { query, variables }' }] });
    }
    let operation: Operation;
    try {
      operation = parseOperation(query);
    } catch (error) {
      if (!(error instanceof GraphQLSyntaxError)) throw error;
      return json(res, 200, { errors: [{ message: error.message }] });
    }
    const roots = operation.selections.map((s) => s.name);
    for (const root of roots) requests[root] = (requests[root] ?? 0) + 1;
    const fault = faults.draw(roots);
    const run = () => {
      const errors = faultErrors(fault);
      if (errors) return json(res, 200, { errors });
      if (fault.mode === 'http500') return text(res, 500, '<html><body>Server Error</body></html>');
      if (fault.mode === 'ignore-update' && operation.kind === 'mutation') {
        return json(res, 200, { data: { updateArTransactions: { edges: [] } } });
      }
      if (fault.mode === 'concurrent-edit' && operation.kind === 'mutation') {
        store.afterUpdate = (_entity, row) => {
          store.afterUpdate = undefined;
          row.dueDate = addDays(row.dueDate!, 3);
        };
      }
      const answer = execute(
        XLEDGER_SCHEMA,
        operation,
        (variables ?? {}) as Record<string, unknown>,
        { store, entity },
      );
      if (fault.mode === 'drop') return void res.socket?.destroy();
      json(res, 200, { ...answer, data: corruptNodes(answer.data, fault.mode) });
    };
    if (fault.mode !== 'slow') return run();
    const delay = setTimeout(() => {
      delays.delete(delay);
      run();
    }, fault.delayMs ?? 5_000);
    delays.add(delay);
  };

  const server = createServer((req, res) => {
    void readJson(req).then(
      (body) => {
        const path = (req.url ?? '').split('?')[0];
        const entity = authorize(req, res, store);
        if (!entity) return;
        if (req.method === 'POST' && path === '/graphql') return graphql(entity, body, res);
        if (path.startsWith('/admin/')) return admin(path, body, res);
        text(res, 404, 'Not found');
      },
      (error: Error) => json(res, 400, { errors: [{ message: error.message }] }),
    );
  });
  server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  await new Promise<void>((resolve, reject) =>
    server.once('listening', resolve).once('error', reject),
  );
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}/graphql`,
    port,
    today,
    faults,
    store: () => store,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const delay of delays) clearTimeout(delay);
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/**
 * `Authorization: token <token>`. No header is a 401; a token of the wrong shape is refused the
 * way Xledger's clients report it ("Bad format for API token", in `errors[]` with HTTP 200); a
 * well-formed token no entity has is a 401.
 */
function authorize(
  req: IncomingMessage,
  res: ServerResponse,
  store: XledgerStore,
): XledgerEntity | undefined {
  const match = /^token (.+)$/.exec(req.headers.authorization ?? '');
  if (!match) {
    json(res, 401, { errors: [{ message: 'Authorization header with an API token is required' }] });
    return undefined;
  }
  if (!WELL_FORMED_TOKEN.test(match[1])) {
    json(res, 200, { errors: [{ message: 'Bad format for API token' }] });
    return undefined;
  }
  const entity = store.entityFor(match[1]);
  if (!entity) json(res, 401, { errors: [{ message: 'Invalid API token' }] });
  return entity;
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) req.destroy(new Error('Body too large'));
      else chunks.push(chunk);
    });
    req.on('error', reject);
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      if (raw.trim() === '') return resolve(undefined);
      try {
        resolve(JSON.parse(raw));
      } catch {
        reject(new Error('Body is not valid JSON'));
      }
    });
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function text(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  res.end(body);
}
