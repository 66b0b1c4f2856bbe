import { CookieAgent } from '../support/cookie-agent';
import { startRogueProvider, type RogueProvider } from '../support/rogue-provider';
import { databaseWithStaffMunicipalities } from '../support/staff-app';
import { startTestAppOn, type TestApp } from '../support/test-app';

/**
 * The portal's own checks of the staff provider's answer, against a provider that can lie: the
 * same checks as for residents (login-attacks.e2e-spec.ts). Every attack ends without a session.
 */
describe('Staff login checks (e2e)', () => {
  let op: RogueProvider;
  let t: TestApp;

  beforeAll(async () => {
    op = await startRogueProvider({ claims: { name: 'Rita Rogue', roles: ['fin'] } });
    const { db, a } = await databaseWithStaffMunicipalities();
    t = await startTestAppOn(db, {
      STAFF_OIDC_ISSUER: op.issuer,
      STAFF_OIDC_CLIENT_ID: op.clientId,
      STAFF_OIDC_CLIENT_SECRET: op.clientSecret,
      STAFF_ROLE_MAP: JSON.stringify({ fin: [`${a.slug}:finance-officer`] }),
    });
  });
  afterAll(async () => {
    await t.close();
    await op.close();
  });

  /** Staff login → provider → callback (which `edit` may change on the way). */
  async function staffLogin(
    agent: CookieAgent,
    returnTo?: string,
    edit?: (url: URL) => URL,
  ): Promise<Response> {
    const query = returnTo ? `?return=${encodeURIComponent(returnTo)}` : '';
    const start = await agent.get(`/saksbehandler/logg-inn${query}`);
    if (start.status !== 302) throw new Error(`staff login did not redirect: ${start.status}`);
    const atProvider = await fetch(start.headers.get('location') ?? '', { redirect: 'manual' });
    let callback = new URL(atProvider.headers.get('location') ?? '');
    if (edit) callback = edit(callback);
    return agent.get(callback.href);
  }

  const signedIn = async (agent: CookieAgent) => (await agent.get('/saksbehandler')).status === 200;

  it('logs in and returns to the staff page asked for', async () => {
    const agent = new CookieAgent(t.url);
    const res = await staffLogin(agent, '/saksbehandler?fra=lenke');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/saksbehandler?fra=lenke');
    expect(await (await agent.get('/saksbehandler')).text()).toContain('Rita Rogue');
  });

  it('asks with PKCE (S256), a state and a nonce, at the staff callback', async () => {
    const start = await new CookieAgent(t.url).get('/saksbehandler/logg-inn');
    const url = new URL(start.headers.get('location') ?? '');
    expect(url.origin).toBe(op.issuer);
    expect(url.searchParams.get('client_id')).toBe(op.clientId);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(url.searchParams.get('state')).toMatch(/^[\w-]{20,}$/);
    expect(url.searchParams.get('nonce')).toMatch(/^[\w-]{20,}$/);
    expect(url.searchParams.get('redirect_uri')).toBe(`${t.url}/saksbehandler/logg-inn/callback`);
  });

  it.each([
    ['a wrong state', (url: URL) => (url.searchParams.set('state', 'forged'), url)],
    ['a missing state', (url: URL) => (url.searchParams.delete('state'), url)],
  ])('refuses %s', async (_name, edit) => {
    const agent = new CookieAgent(t.url);
    const res = await staffLogin(agent, undefined, edit);
    expect(res.status).toBe(401);
    const html = await res.text();
    expect(html).toContain('Innloggingen mislyktes');
    expect(html).toContain('href="/saksbehandler/logg-inn"');
    expect(await signedIn(agent)).toBe(false);
  });

  it('refuses a replayed authorization code', async () => {
    const agent = new CookieAgent(t.url);
    let callback: URL | undefined;
    await staffLogin(agent, undefined, (url) => (callback = url));
    const attacker = new CookieAgent(t.url);
    expect((await attacker.get('/saksbehandler/logg-inn')).status).toBe(302);
    expect((await attacker.get(callback!.href)).status).toBe(401);
    expect(await signedIn(attacker)).toBe(false);
  });

  it.each([
    ['a wrong nonce', { claims: (c: Record<string, unknown>) => ({ ...c, nonce: 'not-ours' }) }],
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
    ['alg: none (an unsigned token)', { alg: 'none' as const }],
    ['a signature from a key the provider does not publish', { foreignKey: true }],
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
    [
      'a sub with control characters',
      { claims: (c: Record<string, unknown>) => ({ ...c, sub: 'evil\u0000sub' }) },
    ],
  ])('refuses an ID token with %s', async (_name, change) => {
    op.tamper(change);
    const agent = new CookieAgent(t.url);
    const res = await staffLogin(agent);
    expect(res.status).toBe(401);
    expect(await signedIn(agent)).toBe(false);
  });

  it('gives a new session id at login, so a planted staff session id is worthless', async () => {
    const agent = new CookieAgent(t.url);
    await agent.get('/saksbehandler/logg-inn');
    const planted = agent.cookies.get('mf.staff');
    expect(planted).toBeDefined();
    const victim = new CookieAgent(t.url);
    victim.cookies.set('mf.staff', planted!);
    await staffLogin(victim);
    expect(victim.cookies.get('mf.staff')).not.toBe(planted);
    expect(await signedIn(victim)).toBe(true);
    expect(await signedIn(agent)).toBe(false);
  });

  it.each(['https://evil.example/phish', '//evil.example/phish', '/fakturaer'])(
    'returns only to a staff page after login (return=%s)',
    async (target) => {
      const res = await staffLogin(new CookieAgent(t.url), target);
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/saksbehandler');
    },
  );

  it('never takes a staff session cookie as a resident one, or the other way round', async () => {
    const agent = new CookieAgent(t.url);
    await staffLogin(agent);
    const swapped = new CookieAgent(t.url);
    swapped.cookies.set('mf.sid', agent.cookies.get('mf.staff')!);
    const res = await swapped.get('/fakturaer');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/auth/login?returnTo=%2Ffakturaer');
  });
});
