import { MikroORM } from '@mikro-orm/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger as PinoLogger } from 'nestjs-pino';
import { Client } from 'pg';
import { AuditVerifier } from '../../src/audit/verify/audit.verifier';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { DeferralRequest } from '../../src/deferrals/deferral-request.entity';
import { todayInNorway } from '../../src/shared/calendar-date';
import type { Municipality } from '../../src/tenancy/municipality.entity';
import { syntheticPids } from '../../dev/synthetic-pids';
import { seededRandom } from '../../src/policy/policy.test-factory';
import { CookieAgent } from '../support/cookie-agent';
import { createMunicipality } from '../support/factories';
import { startPortalWithIdporten, type PortalWithIdporten } from '../support/idporten-app';
import { KARI, seedLedgerFor } from '../support/ledger-fixtures';
import { loginAs } from '../support/resident-login';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const onPostgres = process.env.TEST_DATABASE_URL ? it : it.skip;

/** Another client of the same database, holding locks in a transaction as a stuck job would. */
interface LockHolder {
  lockSessions(): Promise<void>;
  lockAuditHead(municipalityId: string): Promise<void>;
  release(): Promise<void>;
  close(): Promise<void>;
}

/** The part of better-sqlite3's Database the lock holder uses. */
interface SqliteDatabase {
  exec(sql: string): void;
  prepare(sql: string): { run(...params: unknown[]): { changes: number } };
  close(): void;
}

async function lockHolderFor(db: TestDatabase, orm: MikroORM): Promise<LockHolder> {
  if (db.kind === 'postgresql') {
    const client = new Client({ connectionString: db.env.DATABASE_URL });
    await client.connect();
    return {
      lockSessions: async () => {
        await client.query('begin');
        await client.query('lock table sessions in access exclusive mode');
      },
      lockAuditHead: async (municipalityId) => {
        await client.query('begin');
        const locked = await client.query(
          'select seq from audit_chain_heads where municipality_id = $1 for update',
          [municipalityId],
        );
        expect(locked.rowCount).toBe(1);
      },
      release: async () => void (await client.query('rollback')),
      close: () => client.end(),
    };
  }
  // SQLite locks the whole file: EXCLUSIVE keeps readers out too, IMMEDIATE only other writers.
  // The second connection must come from the portal's own SQLite library: POSIX file locks are
  // per process, so only one library copy's bookkeeping keeps two connections in it apart.
  const portalDatabase = (await orm.em.getConnection().getNativeClient()) as SqliteDatabase;
  const Database = portalDatabase.constructor as new (path: string) => SqliteDatabase;
  const sqlite = new Database(db.env.SQLITE_PATH);
  return {
    lockSessions: async () => void sqlite.exec('begin exclusive'),
    lockAuditHead: async (municipalityId) => {
      sqlite.exec('begin immediate');
      const changed = sqlite
        .prepare('update audit_chain_heads set seq = seq where municipality_id = ?')
        .run(municipalityId);
      expect(changed.changes).toBe(1);
    },
    release: async () => void sqlite.exec('rollback'),
    close: async () => sqlite.close(),
  };
}

/** What the portal logs at warn and error while `during` runs. */
async function logsDuring(app: NestExpressApplication, during: () => Promise<void>) {
  const logger = app.get(PinoLogger);
  const calls: { level: 'warn' | 'error'; args: unknown[] }[] = [];
  const spies = (['warn', 'error'] as const).map((level) =>
    jest.spyOn(logger, level).mockImplementation((...args: unknown[]) => {
      calls.push({ level, args });
    }),
  );
  try {
    await during();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  const text = (args: unknown[]) =>
    args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
  return {
    errors: calls.filter((c) => c.level === 'error').map((c) => text(c.args)),
    warnings: calls.filter((c) => c.level === 'warn').map((c) => text(c.args)),
    /** Whether any line carries an error object, hence a stack. */
    withError: calls.some((c) =>
      c.args.some(
        (a) => a instanceof Error || Object.values(a ?? {}).some((v) => v instanceof Error),
      ),
    ),
  };
}

describe('The portal while the database is away or stalled (e2e)', () => {
  let db: TestDatabase;
  let proxy: TcpProxy | undefined;
  let env: PortalWithIdporten;
  let holder: LockHolder;
  let municipality: Municipality;
  let ledger: Awaited<ReturnType<typeof seedLedgerFor>>;
  const pids = [KARI, ...syntheticPids(7, seededRandom(11))];
  let residents: CookieAgent[];

  beforeAll(async () => {
    db = await createTestDatabase();
    // Short waits for locks, so each stalled request gives up soon; PostgreSQL is reached through
    // a proxy that can cut the portal's connections.
    const settings: Record<string, string> = {
      DB_LOCK_TIMEOUT_MS: '300',
      WRITEBACK_POLL_MS: '60000',
    };
    if (db.kind === 'postgresql') {
      const real = new URL(db.env.DATABASE_URL);
      proxy = await startTcpProxy(real.hostname, Number(real.port || 5432));
      const via = new URL(real);
      via.port = String(proxy.port);
      settings.DATABASE_URL = via.toString();
      settings.DB_POOL_MAX = '3';
    }
    env = await startPortalWithIdporten(settings, { db });
    municipality = await createMunicipality(env.t.em(), { hostnames: ['127.0.0.1'] });
    ledger = await seedLedgerFor(
      env.t.em(),
      municipality,
      undefined,
      pids.map((pid) => ({ pid, name: 'Test Testesen', municipality: 'fjordvik' })),
    );
    env.t.refreshTenants();
    holder = await lockHolderFor(db, env.t.app.get(MikroORM));
    residents = [];
    for (const pid of pids) residents.push(await loginAs(env.t.url, pid));
  });
  afterAll(async () => {
    await holder?.close();
    await env?.close();
    await proxy?.cut();
  });

  const invoiceList = (agent: CookieAgent, accept = 'text/html') =>
    agent.get('/fakturaer', { accept });

  async function expectEveryoneSignedIn(): Promise<void> {
    const statuses = await Promise.all(residents.map(async (r) => (await invoiceList(r)).status));
    expect(statuses).toEqual(residents.map(() => 200));
  }

  async function expectUnavailable(agent: CookieAgent): Promise<void> {
    const page = await invoiceList(agent);
    expect(page.status).toBe(503);
    expect(page.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('Tjenesten er midlertidig utilgjengelig');
    const api = await invoiceList(agent, 'application/json');
    expect(api.status).toBe(503);
    expect(api.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(api.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await api.json()).toMatchObject({ status: 503 });
  }

  const openInvoiceOf = (pid: string) =>
    ledger
      .find((e) => e.pid === pid)!
      .invoices.find(
        (i) =>
          i.status === 'UNPAID' && i.dueDate === i.originalDueDate && i.dueDate > todayInNorway(),
      )!;

  async function deferralForm(agent: CookieAgent, invoiceId: string) {
    const html = await (await agent.get(`/fakturaer/${invoiceId}`)).text();
    const dates = [...html.matchAll(/name="newDueDate"[^>]*value="(\d{4}-\d{2}-\d{2})"/g)].map(
      (m) => m[1],
    );
    const csrf =
      /name="_csrf" value="([^"]+)"/.exec(html.slice(html.indexOf('utsettelse')))?.[1] ??
      CookieAgent.csrfToken(html);
    return { _csrf: csrf, newDueDate: dates[5] };
  }

  it('keeps every resident logged in and answers 503 with Retry-After while another connection holds the sessions locked', async () => {
    await expectEveryoneSignedIn();
    await holder.lockSessions();
    let logs: Awaited<ReturnType<typeof logsDuring>>;
    try {
      logs = await logsDuring(env.t.app, async () => {
        for (const resident of residents.slice(0, 3)) await expectUnavailable(resident);
      });
    } finally {
      await holder.release();
    }
    await expectEveryoneSignedIn();
    // One line per refused request, without a stack or the SQL (which holds the session id).
    expect(logs.errors).toEqual([]);
    expect(logs.withError).toBe(false);
    expect(logs.warnings).toHaveLength(6);
    for (const line of logs.warnings) {
      expect(line).toContain('Database unavailable');
      expect(line).not.toMatch(/select|sessions/i);
    }
  });

  it('answers a deferral with 503 and Retry-After while the audit chain head is locked, stores nothing, reports not ready, and takes the same submission after', async () => {
    const [first, second] = [pids[1], pids[2]];
    const firstInvoice = openInvoiceOf(first);
    const firstForm = await deferralForm(residents[1], firstInvoice.id);
    const decided = await residents[1].postForm(
      `/fakturaer/${firstInvoice.id}/utsettelse`,
      firstForm,
    );
    expect(decided.status).toBe(303); // the chain head exists now
    const invoice = openInvoiceOf(second);
    const form = await deferralForm(residents[2], invoice.id);
    const decisionEntries = () =>
      env.t.em().count(AuditEntry, { municipalityId: municipality.id, type: 'deferral.decided' });
    const entriesBefore = await decisionEntries();

    await holder.lockAuditHead(municipality.id);
    try {
      const refused = await residents[2].postForm(`/fakturaer/${invoice.id}/utsettelse`, form);
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      const logs = await logsDuring(env.t.app, async () => {
        const ready = await fetch(`${env.t.url}/health/ready`, {
          headers: { accept: 'application/json' },
        });
        expect(ready.status).toBe(503);
        expect(await ready.json()).toMatchObject({ error: { commits: { status: 'down' } } });
      });
      // A failing probe is asked again every few seconds: one warn line with the reason, no stack.
      expect(logs.errors).toEqual([]);
      expect(logs.withError).toBe(false);
      expect(logs.warnings).toEqual([
        expect.stringMatching(/^Not ready: commits: decisions timed out/),
      ]);
    } finally {
      await holder.release();
    }
    expect(await env.t.em().count(DeferralRequest, { invoiceId: invoice.id })).toBe(0);
    expect(await decisionEntries()).toBe(entriesBefore);

    const again = await residents[2].postForm(`/fakturaer/${invoice.id}/utsettelse`, form);
    expect(again.status).toBe(303);
    expect(await env.t.em().count(DeferralRequest, { invoiceId: invoice.id })).toBe(1);
    expect((await fetch(`${env.t.url}/health/ready`)).status).toBe(200);
    expect(await env.t.app.get(AuditVerifier).verify(municipality.id)).toMatchObject({ ok: true });
  });

  onPostgres(
    'keeps every resident logged in while their connections are killed in rounds as they browse (PostgreSQL only: SQLite has no connection to lose)',
    async () => {
      for (let round = 0; round < 5; round++) {
        const browsing = Promise.all(residents.map((r) => invoiceList(r)));
        setImmediate(() => proxy!.killConnections());
        for (const res of await browsing) {
          expect([200, 503]).toContain(res.status);
          if (res.status === 503) expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
        }
      }
      await expectEveryoneSignedIn();
    },
  );

  onPostgres(
    'gives back to the pool the connections lost inside a transaction, so it does not run dry (PostgreSQL only: SQLite has no connection to lose)',
    async () => {
      const orm = env.t.app.get(MikroORM);
      for (let i = 0; i < 4; i++) {
        const lost = orm.em.fork().transactional(async (em) => {
          await em.getConnection().execute('select 1', [], 'all', em.getTransactionContext());
          proxy!.killConnections();
          await em.getConnection().execute('select 1', [], 'all', em.getTransactionContext());
        });
        await expect(lost).rejects.toThrow();
      }
      await expectEveryoneSignedIn();
    },
  );

  onPostgres(
    'answers 503 with Retry-After while PostgreSQL cannot be reached, and every resident is still logged in after (PostgreSQL only: needs a network connection to lose)',
    async () => {
      await proxy!.cut();
      try {
        for (const resident of residents) await expectUnavailable(resident);
        expect((await fetch(`${env.t.url}/health/ready`)).status).toBe(503);
      } finally {
        await proxy!.restore();
      }
      await expectEveryoneSignedIn();
      expect((await fetch(`${env.t.url}/health/ready`)).status).toBe(200);
    },
  );
});
