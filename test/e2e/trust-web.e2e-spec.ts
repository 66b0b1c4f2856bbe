import { createHmac } from 'node:crypto';
import type { SessionData } from 'express-session';
import type { StaffIdentity } from '../../src/auth/identity';
import type { MikroOrmSessionStore } from '../../src/auth/session/mikro-orm-session.store';
import { SESSION_STORE } from '../../src/auth/session/session.service';
import { DeferralRequest } from '../../src/deferrals/deferral-request.entity';
import type { Municipality } from '../../src/tenancy/municipality.entity';
import { CookieAgent } from '../support/cookie-agent';
import { createMunicipality } from '../support/factories';
import { HostAgent } from '../support/host-agent';
import { startPortalWithIdporten, type PortalWithIdporten } from '../support/idporten-app';
import { KARI, seedLedgerFor } from '../support/ledger-fixtures';
import { loginAs } from '../support/resident-login';
import { startRogueProvider, type RogueProvider } from '../support/rogue-provider';
import { startTestApp, type TestApp } from '../support/test-app';

const PUBLIC_URL = 'https://minside.example.no';
/** What SESSION_SECRET is outside production when unset (tests leave it unset). */
const DEV_SESSION_SECRET = 'development-only-secret-never-use-in-production!';
/** express-session's signed cookie value (cookie-signature: HMAC-SHA256, base64 without padding). */
const signedSid = (sid: string, secret: string) =>
  `s:${sid}.${createHmac('sha256', secret).update(sid).digest('base64').replace(/=+$/, '')}`;

/**
 * Issue 11's findings at the web edge, each named by the OWASP ASVS 5.0 requirement it breaks:
 * what an attacker tried, and what the portal must answer now.
 */
describe('Trust at the web edge (e2e)', () => {
  let env: PortalWithIdporten;
  let home: Municipality;
  let kariInvoice: string;
  const port = () => new URL(env.t.url).port;

  beforeAll(async () => {
    env = await startPortalWithIdporten({ PUBLIC_URL });
    home = await createMunicipality(env.t.em(), { hostnames: ['127.0.0.1'] });
    await createMunicipality(env.t.em(), { hostnames: ['asdal.test'] });
    // The municipality served when a host name matches none (DEFAULT_MUNICIPALITY's default).
    await createMunicipality(env.t.em(), { slug: 'fjordvik' });
    const ledger = await seedLedgerFor(env.t.em(), home);
    kariInvoice = ledger.find((e) => e.pid === KARI)!.invoices.find((i) => i.status !== 'PAID')!.id;
    env.t.refreshTenants();
  });
  afterAll(() => env.close());

  describe('V8.4.1: a login belongs to one municipality', () => {
    it("is no login on another municipality's host name, by Host or by X-Forwarded-Host", async () => {
      const kari = await loginAs(env.t.url, KARI);
      expect((await kari.get('/fakturaer')).status).toBe(200);
      const elsewhere = HostAgent.from(kari, `asdal.test:${port()}`);
      const page = await elsewhere.get('/fakturaer');
      expect(page.status).toBe(303);
      expect(page.location).toMatch(/^\/auth\/login/);
      expect((await elsewhere.get('/fakturaer', 'application/json')).status).toBe(401);
      const forwarded = await kari.get('/fakturaer', { 'x-forwarded-host': 'asdal.test' });
      expect(forwarded.status).toBe(303);
      // Still logged in where the login was made.
      expect((await kari.get('/fakturaer')).status).toBe(200);
    });

    it("refuses a CSRF token made on one municipality's host on another's", async () => {
      const kari = await loginAs(env.t.url, KARI);
      const token = CookieAgent.csrfToken(await (await kari.get('/min-side')).text());
      const elsewhere = HostAgent.from(kari, `asdal.test:${port()}`);
      const logout = await elsewhere.postForm('/auth/logout', { _csrf: token });
      expect(logout.status).toBe(403);
      expect((await kari.get('/min-side')).status).toBe(200);
    });
  });

  it('V14.3.2: never lets a browser or proxy store a page, signed in or not; static files may be cached', async () => {
    const kari = await loginAs(env.t.url, KARI);
    for (const path of ['/fakturaer', `/fakturaer/${kariInvoice}`, '/saker', '/min-side', '/']) {
      const res = await kari.get(path);
      expect([path, res.status]).toEqual([path, 200]);
      expect([path, res.headers.get('cache-control')]).toEqual([path, 'no-store']);
      // Nothing stored is never revalidated: no ETag (Express would hash every page for one).
      expect([path, res.headers.get('etag')]).toEqual([path, null]);
    }
    const css = await fetch(`${env.t.url}/static/app.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('cache-control')).not.toContain('no-store');
    expect(css.headers.get('etag')).toBeTruthy();
  });

  it('V3.4.6: may not be framed by anyone, in both headers alike, and asks for no powerful browser feature', async () => {
    const res = await fetch(`${env.t.url}/`);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('permissions-policy')).toMatch(
      /camera=\(\).*geolocation=\(\).*payment=\(\)/,
    );
  });

  describe('V2.2.1: control characters are refused at the edge with 400', () => {
    it.each([
      '/fakturaer/%00',
      '/saker/%00',
      `/fakturaer/${KARI}%00`,
      '/fakturaer?side=%00',
      '/fakturaer/%E0%A4%A',
    ])('in %s', async (path) => {
      const kari = await loginAs(env.t.url, KARI);
      const res = await HostAgent.from(kari, `127.0.0.1:${port()}`).get(path);
      expect(res.status).toBe(400);
      expect(res.body).not.toContain(KARI);
    });

    it('in a form field, and nothing is stored', async () => {
      const kari = await loginAs(env.t.url, KARI);
      const page = await (await kari.get(`/fakturaer/${kariInvoice}`)).text();
      const date = /name="newDueDate"[^>]*value="(\d{4}-\d{2}-\d{2})"/.exec(page)![1];
      const before = await env.t.em().count(DeferralRequest, {});
      for (const email of ['kari\u0000@example.no', 'kari@example.no\u0007']) {
        const res = await kari.postForm(`/fakturaer/${kariInvoice}/utsettelse`, {
          _csrf: CookieAgent.csrfToken(page),
          newDueDate: date,
          email,
        });
        expect(res.status).toBe(400);
      }
      expect(await env.t.em().count(DeferralRequest, {})).toBe(before);
    });
  });

  describe('V3.7.2: origins come from configured host names, never from the Host header', () => {
    it("sends ID-porten a redirect URI on PUBLIC_URL when the host name is not a municipality's", async () => {
      const res = await new HostAgent(env.t.url, 'evil.example').get('/auth/login');
      expect(res.status).toBe(302);
      const redirectUri = new URL(res.location!).searchParams.get('redirect_uri');
      expect(redirectUri).toBe(`${PUBLIC_URL}/auth/callback`);
    });

    it('keeps a configured host name of a municipality as it is', async () => {
      const res = await new HostAgent(env.t.url, `127.0.0.1:${port()}`).get('/auth/login');
      expect(new URL(res.location!).searchParams.get('redirect_uri')).toBe(
        `${env.t.url}/auth/callback`,
      );
    });
  });

  it('V8.2.1: refuses a staff session on every resident route, never serving it without an identity number', async () => {
    // Staff logins arrive with the officers' issue; a session holding one is made here directly.
    const store = env.t.app.get<MikroOrmSessionStore>(SESSION_STORE);
    const sid = 'staff-session-for-resident-routes';
    const staff: StaffIdentity = {
      kind: 'staff',
      subject: 'officer-1',
      issuer: 'https://login.example',
      roles: { [home.id]: ['finance-officer'] },
    };
    const data = {
      cookie: { originalMaxAge: 1_800_000 },
      user: { ...staff, municipalityId: home.id },
      municipalityId: home.id,
      authenticatedAt: Date.now(),
    } as unknown as SessionData;
    await new Promise<void>((resolve, reject) =>
      store.set(sid, data, (err) => (err ? reject(new Error('store failed')) : resolve())),
    );
    const agent = new CookieAgent(env.t.url);
    agent.cookies.set('mf.sid', encodeURIComponent(signedSid(sid, DEV_SESSION_SECRET)));
    for (const path of ['/fakturaer', `/fakturaer/${kariInvoice}`, '/saker', '/min-side']) {
      const res = await agent.get(path);
      expect([path, res.status]).toEqual([path, 403]);
    }
  });

  it('V14.2.4: keeps no identity number or ID token in clear in the sessions table', async () => {
    await loginAs(env.t.url, KARI);
    const rows = await env.t
      .em()
      .getConnection()
      .execute<{ data: unknown }[]>('select data from sessions');
    expect(rows.length).toBeGreaterThan(0);
    const stored = rows
      .map((row: { data: unknown }) =>
        typeof row.data === 'string' ? row.data : JSON.stringify(row.data),
      )
      .join('\n');
    expect(stored).not.toContain(KARI);
    expect(stored).not.toMatch(/eyJ[\w-]+\.eyJ/); // a JWT
  });

  describe("V3.5.1: a state-changing request must come from the portal's own pages", () => {
    it.each([
      ['another origin', { origin: 'http://evil.example' }],
      ['an opaque origin', { origin: 'null' }],
      ['a cross-site fetch', { 'sec-fetch-site': 'cross-site' }],
      ['another municipality on the same site', { 'sec-fetch-site': 'same-site' }],
    ])('refuses %s even with a valid CSRF token', async (_name, headers) => {
      const kari = await loginAs(env.t.url, KARI);
      const token = CookieAgent.csrfToken(await (await kari.get('/min-side')).text());
      const res = await HostAgent.from(kari, `127.0.0.1:${port()}`).send('POST', '/auth/logout', {
        body: new URLSearchParams({ _csrf: token }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      });
      expect(res.status).toBe(403);
      expect((await kari.get('/min-side')).status).toBe(200);
    });

    it('takes the same request from its own origin', async () => {
      const kari = await loginAs(env.t.url, KARI);
      const token = CookieAgent.csrfToken(await (await kari.get('/min-side')).text());
      const res = await HostAgent.from(kari, `127.0.0.1:${port()}`).send('POST', '/auth/logout', {
        body: new URLSearchParams({ _csrf: token }).toString(),
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          origin: env.t.url,
          'sec-fetch-site': 'same-origin',
        },
      });
      expect(res.status).toBe(303);
    });
  });
});

describe('Login starts (e2e)', () => {
  let op: RogueProvider;
  let t: TestApp;

  beforeAll(async () => {
    op = await startRogueProvider();
    t = await startTestApp({
      OIDC_ISSUER: op.issuer,
      OIDC_CLIENT_ID: op.clientId,
      OIDC_CLIENT_SECRET: op.clientSecret,
      LOGIN_RATE_LIMIT_PER_MINUTE: '3',
    });
    await createMunicipality(t.em(), { hostnames: ['127.0.0.1'] });
    t.refreshTenants();
  });
  afterAll(async () => {
    await t.close();
    await op.close();
  });

  it('V2.4.1: keeps the state of a login that was started but not finished for minutes only, and limits starts per address', async () => {
    const started = Date.now();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await fetch(`${t.url}/auth/login`, { redirect: 'manual' })).status);
    expect(statuses).toEqual([302, 302, 302, 429]);
    // Other pages are not limited by it.
    expect((await fetch(`${t.url}/`)).status).toBe(200);
    const rows = await t
      .em()
      .getConnection()
      .execute<{ expires_at: unknown }[]>('select expires_at from sessions');
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      const expiresAt = new Date(row.expires_at as string | number | Date).getTime();
      expect(expiresAt - started).toBeLessThanOrEqual(11 * 60_000);
    }
  });
});

describe('Production cookies (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      NODE_ENV: 'production',
      SESSION_SECRET: 'p'.repeat(40),
      AUDIT_SIGNING_KEY: Buffer.alloc(32, 1).toString('base64url'),
      DEFAULT_MUNICIPALITY: 'prod',
    });
    await createMunicipality(t.em(), { slug: 'prod', hostnames: ['127.0.0.1'] });
    t.refreshTenants();
  });
  afterAll(() => t.close());

  it('V3.3.1: sets the language cookie Secure', async () => {
    const res = await fetch(`${t.url}/language/en`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    const cookie = res.headers.getSetCookie().find((line) => line.startsWith('lang='));
    expect(cookie).toMatch(/;\s*Secure/i);
  });
});
