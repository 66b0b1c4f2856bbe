import type { SessionData } from 'express-session';
import {
  browserlessLogin,
  browserlessStaffLogin,
  CookieJar,
  followRedirects,
} from '../../dev/idporten/testing/browserless-login';
import { generateKeyPair, SignJWT } from 'jose';
import { DEMO_STAFF } from '../../dev/demo-staff';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import type { MikroOrmSessionStore } from '../../src/auth/session/mikro-orm-session.store';
import { Session } from '../../src/auth/session/session.entity';
import { STAFF_SESSION_STORE } from '../../src/auth/session/session.service';
import { CSRF_PROBE_PATH, installCsrfProbe } from '../support/app-routes';
import { CookieAgent } from '../support/cookie-agent';
import { HostAgent } from '../support/host-agent';
import { KARI } from '../support/ledger-fixtures';
import { loginAs } from '../support/resident-login';
import { startPortalWithStaff, type PortalWithStaff } from '../support/staff-app';
import { loginAsStaff, type StaffPersona } from '../support/staff-login';

const HOUR = 3_600_000;

describe('Staff login on the test provider (e2e)', () => {
  let env: PortalWithStaff;

  beforeAll(async () => {
    env = await startPortalWithStaff();
    installCsrfProbe(env.t.app);
  });
  afterAll(() => env.close());

  const agentOn = (host: 'A' | 'B') =>
    new HostAgent(env.t.url, host === 'A' ? env.hostA : env.hostB);

  /** The roles the last login of `subject` on a municipality recorded in its audit chain. */
  async function recordedRoles(municipalityId: string, subject: string): Promise<unknown> {
    const [entry] = await env.t
      .em()
      .find(
        AuditEntry,
        { municipalityId, type: 'staff.login', subjectId: `staff:${subject}` },
        { orderBy: { seq: 'desc' }, limit: 1 },
      );
    return (entry?.payload as { roles?: unknown } | undefined)?.roles;
  }

  describe('roles from the claim mapping, per municipality', () => {
    const EXPECTED: Array<[StaffPersona, string[], string[]]> = [
      ['officer', ['finance-officer'], []],
      ['approver', ['policy-approver'], []],
      ['auditor', ['auditor'], []],
      ['operator', ['operator'], []],
      ['dual', ['finance-officer'], ['finance-officer']],
      ['asdal-approver', [], ['policy-approver']],
      ['unmapped', [], []],
    ];

    it.each(EXPECTED)('%s gets exactly %j in A and %j in B', async (persona, inA, inB) => {
      const subject = DEMO_STAFF.find((m) => m.persona === persona)!.subject;
      for (const [host, municipality, roles] of [
        ['A', env.a, inA],
        ['B', env.b, inB],
      ] as const) {
        const agent = await loginAsStaff(agentOn(host), persona);
        expect(await recordedRoles(municipality.id, subject)).toEqual(roles);
        const page = await agent.get('/saksbehandler');
        // No role here: signed in, but every staff page is refused.
        expect([host, page.status]).toEqual([host, roles.length > 0 ? 200 : 403]);
      }
    });

    it('shows the officer who is signed in, the roles here and what they open', async () => {
      const agent = await loginAsStaff(env.t.url, 'officer');
      const html = await (await agent.get('/saksbehandler')).text();
      expect(html).toContain('Siri Saksbehandler');
      expect(html).toContain('Saksbehandler økonomi');
      expect(html).toContain('href="/saksbehandler/regelverk"');
      // Cases and audit come with later issues: named, not linked.
      expect(html).not.toContain('Revisjon');
      expect(html).toContain('Saker');
    });

    it('shows the auditor no policy link', async () => {
      const agent = await loginAsStaff(env.t.url, 'auditor');
      const html = await (await agent.get('/saksbehandler')).text();
      expect(html).toContain('Revisjon');
      expect(html).not.toContain('href="/saksbehandler/regelverk"');
    });

    it('refuses a member of staff without a role here with a page that offers logout', async () => {
      const agent = await loginAsStaff(env.t.url, 'unmapped');
      const page = await agent.get('/saksbehandler');
      expect(page.status).toBe(403);
      const html = await page.text();
      expect(html).toContain('Ingen tilgang');
      expect(html).toContain('action="/saksbehandler/logg-ut"');
    });
  });

  describe('municipalities and kinds of session kept apart', () => {
    it("treats the officer of A as not signed in on B's host", async () => {
      const onA = await loginAsStaff(agentOn('A'), 'officer');
      const onB = new HostAgent(env.t.url, env.hostB, onA.cookies);
      const page = await onB.get('/saksbehandler');
      expect(page.status).toBe(303);
      expect(page.location).toBe('/saksbehandler/logg-inn?return=%2Fsaksbehandler');
      expect((await onB.get('/saksbehandler', 'application/json')).status).toBe(401);
    });

    it('lets the officer of both log in on each host, each session for its own', async () => {
      const onA = await loginAsStaff(agentOn('A'), 'dual');
      const onB = await loginAsStaff(agentOn('B'), 'dual');
      expect((await onA.get('/saksbehandler')).body).toContain('Nordby kommune');
      expect((await onB.get('/saksbehandler')).body).toContain('Sørby kommune');
      const aOnB = new HostAgent(env.t.url, env.hostB, onA.cookies);
      expect((await aOnB.get('/saksbehandler')).status).toBe(303);
    });

    it('never counts a resident session as staff', async () => {
      const resident = await loginAs(env.t.url, KARI);
      const page = await resident.get('/saksbehandler');
      expect(page.status).toBe(303);
      expect(page.headers.get('location')).toBe('/saksbehandler/logg-inn?return=%2Fsaksbehandler');
      const api = await resident.get('/saksbehandler', { accept: 'application/json' });
      expect(api.status).toBe(401);
    });

    it('never counts a staff session as a resident, and resident pages behave as for a visitor', async () => {
      const staff = await loginAsStaff(env.t.url, 'officer');
      for (const path of ['/fakturaer', '/saker', '/min-side']) {
        const res = await staff.get(path);
        expect([path, res.status, res.headers.get('location')]).toEqual([
          path,
          303,
          `/auth/login?returnTo=${encodeURIComponent(path)}`,
        ]);
      }
      const home = await (await staff.get('/')).text();
      expect(home).toContain('href="/auth/login"');
      expect(home).not.toContain('/saksbehandler/logg-ut');
    });

    it("shows the provider's login page again when its single sign-on session is the other kind's", async () => {
      const staffStart = await new CookieAgent(env.t.url).get('/saksbehandler/logg-inn');
      const { jar } = await browserlessStaffLogin(staffStart.headers.get('location')!, {
        persona: 'officer',
      });
      const residentStart = await new CookieAgent(env.t.url).get('/auth/login');
      const asResident = await followRedirects(
        jar,
        residentStart.headers.get('location')!,
        env.idporten.issuer,
      );
      expect(asResident.leftTo).toBeUndefined();
      expect(await asResident.response.text()).toContain('name="pid"');

      const residentJar = (await loginAsResidentAtProvider()).jar;
      const again = await new CookieAgent(env.t.url).get('/saksbehandler/logg-inn');
      const asStaff = await followRedirects(
        residentJar,
        again.headers.get('location')!,
        env.idporten.issuer,
      );
      expect(asStaff.leftTo).toBeUndefined();
      expect(await asStaff.response.text()).toContain('name="staff"');
    });

    async function loginAsResidentAtProvider() {
      const start = await new CookieAgent(env.t.url).get('/auth/login');
      return browserlessLogin(start.headers.get('location')!, { pid: KARI });
    }
  });

  describe('session lifetimes', () => {
    it('sets a staff cookie of its own with the 30 minute idle time', async () => {
      const agent = new CookieAgent(env.t.url);
      const start = await agent.get('/saksbehandler/logg-inn');
      const { callbackUrl } = await browserlessStaffLogin(start.headers.get('location')!, {
        persona: 'officer',
      });
      const done = await agent.get(callbackUrl.href);
      const cookie = done.headers.getSetCookie().find((c) => c.startsWith('mf.staff='));
      const expires = Date.parse(/Expires=([^;]+)/.exec(cookie ?? '')?.[1] ?? '');
      expect(Math.abs(expires - (Date.now() + 30 * 60_000))).toBeLessThan(5_000);
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Lax/);
      expect(agent.cookies.has('mf.sid')).toBe(false);
    });

    it('ends a staff session idle too long', async () => {
      const agent = await loginAsStaff(env.t.url, 'officer');
      expect((await agent.get('/saksbehandler')).status).toBe(200);
      await env.t.em().nativeUpdate(Session, {}, { expiresAt: new Date(Date.now() - 1000) });
      const res = await agent.get('/saksbehandler');
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/saksbehandler/logg-inn?return=%2Fsaksbehandler');
    });

    it('keeps a staff session in use for 8 hours from login, and not a minute more', async () => {
      const agent = await loginAsStaff(env.t.url, 'officer');
      await ageLogins(7.9 * HOUR);
      expect((await agent.get('/saksbehandler')).status).toBe(200);
      await ageLogins(8 * HOUR + 60_000);
      const res = await agent.get('/saksbehandler');
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toContain('/saksbehandler/logg-inn');
    });

    /** Moves every staff login `ms` into the past (the data is sealed: through the store). */
    async function ageLogins(ms: number): Promise<void> {
      const store = env.t.app.get<MikroOrmSessionStore>(STAFF_SESSION_STORE);
      const call = <T>(fn: (cb: (err?: unknown, value?: T) => void) => void) =>
        new Promise<T | undefined>((resolve, reject) =>
          fn((err, value) =>
            err ? reject(err instanceof Error ? err : new Error('store failed')) : resolve(value),
          ),
        );
      for (const row of await env.t.em().find(Session, { authenticatedAt: { $ne: null } })) {
        const data = await call<SessionData | null>((cb) => store.get(row.id, cb));
        if (!data?.staff) continue;
        const aged = { ...data, authenticatedAt: Date.now() - ms };
        await call((cb) => store.set(row.id, aged as SessionData, cb));
      }
    }
  });

  describe('logout', () => {
    it('refuses a logout without the CSRF token of the staff session', async () => {
      const agent = await loginAsStaff(env.t.url, 'officer');
      const res = await agent.postForm('/saksbehandler/logg-ut', {});
      expect(res.status).toBe(403);
      expect((await agent.get('/saksbehandler')).status).toBe(200);
    });

    it('answers a logout without a staff session with 401', async () => {
      const visitor = new CookieAgent(env.t.url);
      const probe = await visitor.get(CSRF_PROBE_PATH, { accept: 'application/json' });
      const { token } = (await probe.json()) as { token: string };
      const res = await visitor.postForm('/saksbehandler/logg-ut', { _csrf: token });
      expect(res.status).toBe(401);
    });

    it('ends the session here and at the provider, records it, and comes back to the logged-out page', async () => {
      const agent = new CookieAgent(env.t.url);
      const start = await agent.get('/saksbehandler/logg-inn');
      const { callbackUrl, jar } = await browserlessStaffLogin(start.headers.get('location')!, {
        persona: 'approver',
      });
      await agent.get(callbackUrl.href);
      const token = CookieAgent.csrfToken(await (await agent.get('/saksbehandler')).text());
      const logout = await agent.postForm('/saksbehandler/logg-ut', { _csrf: token });
      expect(logout.status).toBe(303);
      const endSession = new URL(logout.headers.get('location') ?? '');
      expect(endSession.origin + endSession.pathname).toBe(`${env.idporten.issuer}/endsession`);
      expect(endSession.searchParams.get('id_token_hint')).toBeTruthy();
      expect((await agent.get('/saksbehandler')).status).toBe(303);

      const followed = await followRedirects(jar, endSession, env.idporten.issuer);
      const back = followed.leftTo!;
      expect(back.origin + back.pathname).toBe(`${env.t.url}/saksbehandler/logget-ut`);
      const page = await (await agent.get(back.href)).text();
      expect(page).toContain('Du er også logget ut hos innloggingstjenesten for ansatte');

      const [entry] = await env.t
        .em()
        .find(
          AuditEntry,
          { municipalityId: env.a.id, type: 'staff.logout' },
          { orderBy: { seq: 'desc' }, limit: 1 },
        );
      expect(entry.subjectId).toBe('staff:demo-approver-arne');
      expect(entry.payload).toMatchObject({
        actor: 'staff:demo-approver-arne',
        name: 'Arne Godkjenner',
      });
    });
  });

  describe('logout at the staff provider (front- and back-channel)', () => {
    /** The dual officer on both hosts through one provider session (single sign-on). */
    async function dualOnBothHosts() {
      const before = new Set((await env.t.em().find(Session, {})).map((row) => row.id));
      const jar = new CookieJar();
      const agents: HostAgent[] = [];
      for (const host of ['A', 'B'] as const) {
        const agent = agentOn(host);
        const start = await agent.get('/saksbehandler/logg-inn');
        const { callbackUrl } = await browserlessStaffLogin(start.location!, {
          persona: 'dual',
          jar,
        });
        expect((await agent.get(`${callbackUrl.pathname}${callbackUrl.search}`)).status).toBe(303);
        agents.push(agent);
      }
      const rows = (await env.t.em().find(Session, {})).filter((row) => !before.has(row.id));
      return { agents, rows, jar };
    }

    const backChannel = (body: Record<string, string>) =>
      fetch(`${env.t.url}/saksbehandler/backchannel-logout`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(body).toString(),
      });

    it('ends the staff sessions on every host when the person logs out at the provider (back-channel), and records each', async () => {
      const { agents, rows, jar } = await dualOnBothHosts();
      expect(rows).toHaveLength(2);
      for (const agent of agents) expect((await agent.get('/saksbehandler')).status).toBe(200);
      const seqBefore = await Promise.all(
        [env.a, env.b].map((m) => env.t.em().count(AuditEntry, { municipalityId: m.id })),
      );

      // Logging out at the provider from elsewhere (no id_token_hint: not through the portal).
      const issuer = env.idporten.issuer;
      await followRedirects(jar, new URL(`${issuer}/endsession`), new URL(issuer).origin);

      const deadline = Date.now() + 5_000;
      let left = rows.length;
      while (left > 0 && Date.now() < deadline) {
        left = await env.t.em().count(Session, { id: { $in: rows.map((row) => row.id) } });
        if (left > 0) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(left).toBe(0);
      for (const agent of agents) expect((await agent.get('/saksbehandler')).status).toBe(303);
      for (const [i, municipality] of [env.a, env.b].entries()) {
        const entries = await env.t
          .em()
          .find(
            AuditEntry,
            { municipalityId: municipality.id, type: 'staff.logout' },
            { orderBy: { seq: 'desc' }, limit: 1 },
          );
        expect(entries[0].seq).toBeGreaterThan(seqBefore[i]);
        expect(entries[0].payload).toMatchObject({
          actor: 'staff:demo-officer-ikt-dag',
          issuer,
          endedByProvider: true,
        });
      }
    });

    it("refuses a logout token that is not the provider's for this client, and ends nothing", async () => {
      const { agents, rows } = await dualOnBothHosts();
      const sid = rows[0].oidcSid!;
      const { privateKey } = await generateKeyPair('RS256');
      const forged = await new SignJWT({
        sid,
        jti: 'forged-1',
        events: { 'http://schemas.openid.net/event/backchannel-logout': {} },
      })
        .setProtectedHeader({ alg: 'RS256', typ: 'logout+jwt', kid: 'not-the-providers' })
        .setIssuer(env.idporten.issuer)
        .setAudience('portal-staff')
        .setIssuedAt()
        .sign(privateKey);
      const bodies: Record<string, string>[] = [
        {},
        { logout_token: 'not-a-jwt' },
        { logout_token: forged },
      ];
      for (const body of bodies) {
        const res = await backChannel(body);
        // 400 from the route itself: neither CSRF (403) nor a login (401) stands in the way.
        expect([res.status, await res.json()]).toEqual([
          400,
          { error: 'invalid_request', error_description: 'Invalid logout token' },
        ]);
        expect(res.headers.get('cache-control')).toContain('no-store');
      }
      expect(await env.t.em().count(Session, { id: { $in: rows.map((row) => row.id) } })).toBe(2);
      for (const agent of agents) expect((await agent.get('/saksbehandler')).status).toBe(200);
    });

    const frontChannel = (path: string, query: Record<string, string>) =>
      fetch(`${env.t.url}${path}?${new URLSearchParams(query).toString()}`);

    it('ends the staff sessions of that provider session on every host, and records each as a logout', async () => {
      const { agents, rows } = await dualOnBothHosts();
      expect(rows).toHaveLength(2);
      const sid = rows[0].oidcSid!;
      expect(sid).toBeTruthy();
      expect(rows.map((row) => [row.oidcIssuer, row.oidcSid])).toEqual([
        [env.idporten.issuer, sid],
        [env.idporten.issuer, sid],
      ]);

      // Another issuer, no sid, or another provider session: nothing ends.
      const issuer = env.idporten.issuer;
      const path = '/saksbehandler/frontchannel-logout';
      expect((await frontChannel(path, { iss: 'https://evil.example', sid })).status).toBe(400);
      expect((await frontChannel(path, { iss: issuer })).status).toBe(400);
      const other = await frontChannel(path, { iss: issuer, sid: `${sid}-other` });
      expect([other.status, await other.text()]).toEqual([200, 'No session']);
      for (const agent of agents) expect((await agent.get('/saksbehandler')).status).toBe(200);

      const res = await frontChannel(path, { iss: issuer, sid });
      expect([res.status, await res.text()]).toEqual([200, 'Logged out']);
      expect(res.headers.get('cache-control')).toContain('no-store');
      expect(res.headers.get('content-security-policy')).toContain(
        `frame-ancestors ${new URL(issuer).origin}`,
      );
      expect(res.headers.get('x-frame-options')).toBeNull();
      for (const agent of agents) expect((await agent.get('/saksbehandler')).status).toBe(303);
      expect(await env.t.em().find(Session, { id: { $in: rows.map((row) => row.id) } })).toEqual(
        [],
      );

      for (const municipality of [env.a, env.b]) {
        const [entry] = await env.t
          .em()
          .find(
            AuditEntry,
            { municipalityId: municipality.id, type: 'staff.logout' },
            { orderBy: { seq: 'desc' }, limit: 1 },
          );
        expect(entry.payload).toEqual({
          actor: 'staff:demo-officer-ikt-dag',
          name: 'Dag Interkommunal',
          issuer,
          endedByProvider: true,
          at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        });
      }
    });

    it("is also ended by ID-porten's front-channel URL when one provider serves both (the demo)", async () => {
      const { agents, rows } = await dualOnBothHosts();
      const res = await frontChannel('/auth/frontchannel-logout', {
        iss: env.idporten.issuer,
        sid: rows[0].oidcSid!,
      });
      expect([res.status, await res.text()]).toEqual([200, 'Logged out']);
      for (const agent of agents) expect((await agent.get('/saksbehandler')).status).toBe(303);
      const [entry] = await env.t
        .em()
        .find(
          AuditEntry,
          { municipalityId: env.b.id, type: 'staff.logout' },
          { orderBy: { seq: 'desc' }, limit: 1 },
        );
      expect(entry.payload).toMatchObject({
        actor: 'staff:demo-officer-ikt-dag',
        endedByProvider: true,
      });
    });
  });

  describe('the audit chain', () => {
    it('records each login with who, where and which roles, and never a token', async () => {
      await loginAsStaff(env.t.url, 'auditor');
      const [entry] = await env.t
        .em()
        .find(
          AuditEntry,
          { municipalityId: env.a.id, type: 'staff.login' },
          { orderBy: { seq: 'desc' }, limit: 1 },
        );
      expect(entry.subjectId).toBe('staff:demo-auditor-runa');
      expect(entry.payload).toEqual({
        actor: 'staff:demo-auditor-runa',
        name: 'Runa Revisor',
        issuer: env.idporten.issuer,
        roles: ['auditor'],
        at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
      const stored = JSON.stringify(
        await env.t.em().find(AuditEntry, { type: { $in: ['staff.login', 'staff.logout'] } }),
      );
      expect(stored).not.toMatch(/eyJ[\w-]+\.[\w-]+\./);
    });
  });
});

describe('Staff roles from Entra ID groups (e2e)', () => {
  let env: PortalWithStaff;
  const officer = DEMO_STAFF.find((m) => m.persona === 'officer')!;

  beforeAll(async () => {
    env = await startPortalWithStaff({
      STAFF_ROLES_CLAIM: 'groups',
      STAFF_ROLE_MAP: JSON.stringify({ [officer.groups[0]]: ['nordby:policy-approver'] }),
    });
  });
  afterAll(() => env.close());

  it('maps the groups claim when told to, and ignores the roles claim then', async () => {
    const agent = await loginAsStaff(env.t.url, 'officer');
    const html = await (await agent.get('/saksbehandler')).text();
    expect(html).toContain('Godkjenner av regelverk');
    expect(html).not.toContain('Saksbehandler økonomi');
  });
});
