import { Agent, request } from 'node:http';
import { MikroORM } from '@mikro-orm/core';
import {
  startFinanceServer,
  type RunningFinanceServer,
} from '../../dev/finance-server/finance-server';
import { startTestIdporten, type TestIdporten } from '../../dev/idporten/test-idporten';
import { syntheticPids } from '../../dev/synthetic-pids';
import { type DatabaseConfig, databaseConfig } from '../../src/config/app.config';
import { buildOrmConfig } from '../../src/database/orm.config';
import { todayInNorway } from '../../src/shared/calendar-date';
import { seededRandom } from '../../src/policy/policy.test-factory';
import type { Municipality } from '../../src/tenancy/municipality.entity';
import { CookieAgent } from './cookie-agent';
import { createMunicipality } from './factories';
import { freePort } from './free-port';
import { residentWithStory } from './resident-factory';
import { loginAs } from './resident-login';
import { spawnPortal, type PortalRun } from './spawn-portal';
import { createTestDatabase, type TestDatabase } from './test-database';
import { ENTITIES } from '../../src/entities';

export const FINANCE_KEY = 'portal-process-finance-key';

/**
 * Everything the built portal needs as a real process: a migrated test database with one
 * municipality served on 127.0.0.1, its finance system (dev/finance-server, in this process, with
 * one open invoice per synthetic resident) and the test ID-porten.
 */
export interface PortalWorld {
  db: TestDatabase;
  finance: RunningFinanceServer;
  idporten: TestIdporten;
  municipality: Municipality;
  residents: { pid: string; invoiceId: string }[];
  /** The portal's environment; `port` and `url` are where it listens. */
  env: Record<string, string>;
  port: number;
  url: string;
  /** An ORM on the test database, for looking at it while the portal is stopped. */
  openOrm(): Promise<MikroORM>;
  close(): Promise<void>;
}

export async function createPortalWorld(residentCount: number): Promise<PortalWorld> {
  const db = await createTestDatabase();
  const today = todayInNorway();
  const pids = syntheticPids(residentCount, seededRandom(residentCount));
  const ledger = pids.map((pid, i) =>
    residentWithStory(pid, 'plainPayer', { today, name: `Beboer ${i}`, municipality: 'fjordvik' }),
  );
  const finance = await startFinanceServer({ apiKey: FINANCE_KEY, today, ledger });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const idporten = await startTestIdporten({
    clients: [
      {
        clientId: 'portal',
        clientSecret: `secret-${port}`,
        tokenEndpointAuthMethod: 'client_secret_basic',
        redirectUris: [`${url}/auth/callback`],
        postLogoutRedirectUris: [`${url}/auth/logged-out`],
      },
    ],
  });
  const openOrm = () =>
    MikroORM.init({
      ...buildOrmConfig(databaseConfigFor(db.env), ENTITIES),
      logger: () => undefined,
    });
  const orm = await openOrm();
  let municipality: Municipality;
  try {
    await orm.migrator.up();
    // The finance server keeps each resident under the slug their ledger entry names.
    municipality = await createMunicipality(orm.em.fork(), {
      slug: 'fjordvik',
      hostnames: ['127.0.0.1'],
      settings: { financeAdapter: 'http', financeBaseUrl: finance.url },
    });
  } finally {
    await orm.close();
  }
  const residents = ledger.map((e) => ({
    pid: e.pid,
    invoiceId: e.invoices.find((i) => i.status === 'UNPAID' && i.dueDate >= today)!.id,
  }));
  return {
    db,
    finance,
    idporten,
    municipality,
    residents,
    port,
    url,
    env: {
      ...db.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      DEMO_SEED: 'false',
      RATE_LIMIT_PER_MINUTE: '1000000',
      OIDC_ISSUER: idporten.issuer,
      OIDC_CLIENT_ID: 'portal',
      OIDC_CLIENT_SECRET: `secret-${port}`,
      OIDC_TEST_LOGIN: 'true',
      FINANCE_API_KEY: FINANCE_KEY,
    },
    openOrm,
    close: async () => {
      await idporten.close();
      await finance.close();
      await db.drop();
    },
  };
}

/** The database settings the portal would read from `env`. */
function databaseConfigFor(env: Record<string, string>): DatabaseConfig {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    return { ...databaseConfig(), poolMax: 4, migrateOnStart: false };
  } finally {
    process.env = saved;
  }
}

/** The built portal as a process; resolves once /health/ready answers 200. */
export async function startPortalProcess(world: PortalWorld, env: Record<string, string> = {}) {
  let stdout = '';
  const { child, done } = spawnPortal({ ...world.env, ...env }, (chunk) => (stdout += chunk));
  let exited: PortalRun | undefined;
  void done.then((run) => (exited = run));
  for (let attempt = 0; ; attempt++) {
    if (exited) throw new Error(`the portal exited while starting: ${exited.stderr}`);
    if (attempt > 300) throw new Error('the portal did not become ready');
    try {
      if ((await fetch(`${world.url}/health/ready`)).status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  /** What it has written to stdout so far. */
  const output = () => stdout;
  return { child, done, output };
}

/** A logged-in resident with the deferral form of their open invoice at hand. */
export interface ResidentForm {
  pid: string;
  invoiceId: string;
  cookie: string;
  csrf: string;
  newDueDate: string;
}

export async function openDeferralForm(
  url: string,
  resident: { pid: string; invoiceId: string },
): Promise<ResidentForm> {
  const agent = await loginAs(url, resident.pid);
  const page = await agent.get(`/fakturaer/${resident.invoiceId}`);
  const html = await page.text();
  const options = [...html.matchAll(/name="newDueDate"[^>]*value="(\d{4}-\d{2}-\d{2})"/g)].map(
    (m) => m[1],
  );
  if (options.length === 0) {
    const title = /<title>([^<]*)/.exec(html)?.[1];
    throw new Error(`no deferral dates offered for ${resident.invoiceId}: ${page.status} ${title}`);
  }
  const csrf =
    /name="_csrf" value="([^"]+)"/.exec(html.slice(html.indexOf('utsettelse')))?.[1] ??
    CookieAgent.csrfToken(html);
  return {
    ...resident,
    cookie: [...agent.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
    csrf: csrf.replace(/&#x3D;/g, '='),
    newDueDate: options[Math.min(5, options.length - 1)],
  };
}

/** How one HTTP exchange ended: a whole answer, or the connection's error code. */
export type Exchange =
  | { kind: 'answer'; status: number; location?: string; body: string }
  | { kind: 'connection-error'; code: string };

/** Sends a deferral form over `agent` (keep-alive), as a browser would. */
export function submitDeferral(
  url: string,
  agent: Agent,
  form: ResidentForm,
  headers: Record<string, string> = {},
): Promise<Exchange> {
  const body = new URLSearchParams({ _csrf: form.csrf, newDueDate: form.newDueDate }).toString();
  return exchange(`${url}/fakturaer/${form.invoiceId}/utsettelse`, agent, 'POST', body, {
    accept: 'text/html',
    cookie: form.cookie,
    'content-type': 'application/x-www-form-urlencoded',
    ...headers,
  });
}

export function exchange(
  url: string,
  agent: Agent,
  method: string,
  body?: string,
  headers: Record<string, string> = {},
): Promise<Exchange> {
  return new Promise((resolve) => {
    const req = request(url, { method, agent, headers }, (res) => {
      let text = '';
      let ended = false;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        ended = true;
        resolve({
          kind: 'answer',
          status: res.statusCode ?? 0,
          location: res.headers.location,
          body: text,
        });
      });
      // Cut off after the head: a half answer, which shutdown must never give.
      res.on('close', () => ended || resolve({ kind: 'connection-error', code: 'TRUNCATED' }));
      res.on('error', () => undefined);
    });
    req.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ kind: 'connection-error', code: error.code ?? error.message }),
    );
    req.end(body);
  });
}

/** The portal's JSON log lines on stdout. */
export function logLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
