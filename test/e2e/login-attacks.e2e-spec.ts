import type { SessionData } from 'express-session';
import type { MikroOrmSessionStore } from '../../src/auth/session/mikro-orm-session.store';
import { Session } from '../../src/auth/session/session.entity';
import { SESSION_STORE } from '../../src/auth/session/session.service';
import { CookieAgent, loginThroughProvider } from '../support/cookie-agent';
import { createMunicipality } from '../support/factories';
import { startRogueProvider, type RogueProvider } from '../support/rogue-provider';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * The portal's own checks of ID-porten's answer, against a provider that can lie. Every attack
 * must end without a session.
 */
describe('Resident login checks (e2e)', () => {
  let op: RogueProvider;
  let t: TestApp;

  beforeAll(async () => {
    op = await startRogueProvider();
    t = await startTestApp({
      OIDC_ISSUER: op.issuer,
      OIDC_CLIENT_ID: op.clientId,
      OIDC_CLIENT_SECRET: op.clientSecret,
    });
    await createMunicipality(t.em(), { hostnames: ['127.0.0.1'] });
    t.refreshTenants();
  });
  afterAll(async () => {
    await t.close();
    await op.close();
  });

  async function signedIn(agent: CookieAgent): Promise<boolean> {
    const res = await agent.get('/min-side');
    return res.status === 200;
  }

  it('logs in, shows only the first six digits of the identity number, and returns to the page asked for', async () => {
    const agent = new CookieAgent(t.url);
    const res = await loginThroughProvider(agent, '/min-side?tab=1');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/min-side?tab=1');
    const page = await agent.get('/min-side');
    const html = await page.text();
    expect(html).toContain('128385*****');
    expect(html).not.toContain('12838512311');
  });

  it('sends a visitor without a session to log in and back to the page they wanted', async () => {
    const agent = new CookieAgent(t.url);
    const res = await agent.get('/min-side?x=1');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/auth/login?returnTo=%2Fmin-side%3Fx%3D1');
  });

  it('answers an API client without a session with 401 problem details', async () => {
    const res = await fetch(`${t.url}/min-side`, {
      headers: { accept: 'application/json' },
      redirect: 'manual',
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
  });

  it.each([
    ['a wrong state', (url: URL) => (url.searchParams.set('state', 'forged'), url)],
    ['a missing state', (url: URL) => (url.searchParams.delete('state'), url)],
  ])('refuses %s', async (_name, edit) => {
    const agent = new CookieAgent(t.url);
    const res = await loginThroughProvider(agent, undefined, edit);
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('Innloggingen mislyktes');
    expect(await signedIn(agent)).toBe(false);
  });

  it('refuses a replayed authorization code', async () => {
    const agent = new CookieAgent(t.url);
    let callback: URL | undefined;
    await loginThroughProvider(agent, undefined, (url) => (callback = url));
    const attacker = new CookieAgent(t.url);
    const start = await attacker.get('/auth/login');
    expect(start.status).toBe(302);
    const replay = await attacker.get(callback!.href);
    expect(replay.status).toBe(401);
    expect(await signedIn(attacker)).toBe(false);
  });

  it.each([
    [
      'a wrong nonce',
      { claims: (c: Record<string, unknown>) => ({ ...c, nonce: 'not-the-one-we-sent' }) },
    ],
    [
      'another issuer',
      { claims: (c: Record<string, unknown>) => ({ ...c, iss: 'https://evil.example' }) },
    ],
    [
      'another audience',
      { claims: (c: Record<string, unknown>) => ({ ...c, aud: 'someone-else' }) },
    ],
    [
      'an expired token',
      {
        claims: (c: Record<string, unknown>) => ({
          ...c,
          iat: 1_000_000,
          exp: 1_000_060,
          auth_time: 1_000_000,
        }),
      },
    ],
    ['alg: none', { alg: 'none' as const }],
    // V9.2.1: a token is used only within its validity time span, issue time included.
    [
      'an iat an hour in the future (V9.2.1)',
      {
        claims: (c: Record<string, unknown>) => ({
          ...c,
          iat: (c.iat as number) + 3600,
          exp: (c.iat as number) + 7200,
        }),
      },
    ],
    [
      'an nbf ten minutes in the future (V9.2.1)',
      { claims: (c: Record<string, unknown>) => ({ ...c, nbf: (c.iat as number) + 600 }) },
    ],
    ['a signature from a key the provider does not publish', { foreignKey: true }],
  ])('refuses an ID token with %s', async (_name, change) => {
    op.tamper(change);
    const agent = new CookieAgent(t.url);
    const res = await loginThroughProvider(agent);
    expect(res.status).toBe(401);
    expect(await signedIn(agent)).toBe(false);
  });

  it('refuses an assurance level below the configured one with a page that says so', async () => {
    op.tamper({ claims: (c) => ({ ...c, acr: 'idporten-loa-low' }) });
    const agent = new CookieAgent(t.url);
    const res = await loginThroughProvider(agent);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('For lavt sikkerhetsnivå');
    expect(await signedIn(agent)).toBe(false);
  });

  it('shows a clear page, not a crash, for a token without pid', async () => {
    op.tamper({ claims: ({ pid: _pid, ...rest }) => rest });
    const agent = new CookieAgent(t.url);
    const res = await loginThroughProvider(agent);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('Vi fikk ikke fødselsnummeret ditt');
    expect(await signedIn(agent)).toBe(false);
  });

  it('logs in with a sid too long or too odd to keep, and keeps none (the column holds 200)', async () => {
    for (const sid of ['s'.repeat(201), 'with space', 'line\nbreak']) {
      op.tamper({ claims: (c) => ({ ...c, sid }) });
      const agent = new CookieAgent(t.url);
      const res = await loginThroughProvider(agent);
      expect(res.status).toBe(303);
      expect(await signedIn(agent)).toBe(true);
      const ended = await fetch(
        `${t.url}/auth/frontchannel-logout?iss=${encodeURIComponent(op.issuer)}&sid=${encodeURIComponent(sid)}`,
      );
      // A control character in the query is refused before any route; either way nothing ends.
      expect(await ended.text()).not.toBe('Logged out');
      expect(await signedIn(agent)).toBe(true);
    }
    op.tamper({});
  });

  it('gives a new session id at login, so a planted session id is worthless (session fixation)', async () => {
    const agent = new CookieAgent(t.url);
    await agent.get('/auth/login');
    const planted = agent.cookies.get('mf.sid');
    expect(planted).toBeDefined();
    const victim = new CookieAgent(t.url);
    victim.cookies.set('mf.sid', planted!);
    await loginThroughProvider(victim);
    expect(victim.cookies.get('mf.sid')).not.toBe(planted);
    expect(await signedIn(victim)).toBe(true);
    expect(await signedIn(agent)).toBe(false);
  });

  it.each(['https://evil.example/phish', '//evil.example/phish', '/\\evil.example'])(
    'never redirects off-site after login (returnTo=%s)',
    async (target) => {
      const agent = new CookieAgent(t.url);
      const res = await loginThroughProvider(agent, target);
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/fakturaer');
    },
  );

  it('ends a session that has been idle too long', async () => {
    const agent = new CookieAgent(t.url);
    await loginThroughProvider(agent);
    expect(await signedIn(agent)).toBe(true);
    await t.em().nativeUpdate(Session, {}, { expiresAt: new Date(Date.now() - 1000) });
    const res = await agent.get('/min-side');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toContain('/auth/login?returnTo=');
  });

  it('ends a session at the absolute limit even while it is in use', async () => {
    const agent = new CookieAgent(t.url);
    await loginThroughProvider(agent);
    // The session data is sealed: age the login through the store itself.
    const store = t.app.get<MikroOrmSessionStore>(SESSION_STORE);
    const call = <T>(fn: (cb: (err?: unknown, value?: T) => void) => void) =>
      new Promise<T | undefined>((resolve, reject) =>
        fn((err, value) =>
          err ? reject(err instanceof Error ? err : new Error('store failed')) : resolve(value),
        ),
      );
    for (const row of await t.em().find(Session, { authenticatedAt: { $ne: null } })) {
      const data = await call<SessionData | null>((cb) => store.get(row.id, cb));
      await call((cb) =>
        store.set(row.id, { ...data!, authenticatedAt: Date.now() - 121 * 60_000 }, cb),
      );
    }
    expect(await signedIn(agent)).toBe(false);
  });

  it('logs out at ID-porten with id_token_hint, post_logout_redirect_uri and state', async () => {
    const agent = new CookieAgent(t.url);
    await loginThroughProvider(agent);
    const page = await agent.get('/min-side');
    const token = CookieAgent.csrfToken(await page.text());
    const res = await agent.postForm('/auth/logout', { _csrf: token });
    expect(res.status).toBe(303);
    const target = new URL(res.headers.get('location') ?? '');
    expect(target.origin + target.pathname).toBe(`${op.issuer}/endsession`);
    expect(target.searchParams.get('id_token_hint')).toMatch(/^ey/);
    expect(target.searchParams.get('post_logout_redirect_uri')).toBe(`${t.url}/auth/logged-out`);
    const state = target.searchParams.get('state');
    expect(state).toBeTruthy();
    expect(await signedIn(agent)).toBe(false);
    const back = await agent.get(`/auth/logged-out?state=${state}`);
    expect(await back.text()).toContain('Du er også logget ut av ID-porten');
  });

  it('refuses a logout post without a CSRF token', async () => {
    const agent = new CookieAgent(t.url);
    await loginThroughProvider(agent);
    const res = await agent.postForm('/auth/logout', {});
    expect(res.status).toBe(403);
    expect(await signedIn(agent)).toBe(true);
  });

  it('ends the session on front-channel logout by iss and sid, with no cookie', async () => {
    const agent = new CookieAgent(t.url);
    await loginThroughProvider(agent);
    const wrongIssuer = await fetch(
      `${t.url}/auth/frontchannel-logout?iss=https://evil.example&sid=rogue-sid`,
    );
    expect(wrongIssuer.status).toBe(400);
    expect(await signedIn(agent)).toBe(true);
    const res = await fetch(
      `${t.url}/auth/frontchannel-logout?iss=${encodeURIComponent(op.issuer)}&sid=rogue-sid`,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toContain('no-store');
    expect(res.headers.get('content-security-policy')).toContain(`frame-ancestors ${op.issuer}`);
    expect(await signedIn(agent)).toBe(false);
  });
});
