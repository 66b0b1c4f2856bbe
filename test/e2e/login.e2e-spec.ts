import { browserlessLogin, followRedirects } from '../../dev/idporten/testing/browserless-login';
import { CookieAgent } from '../support/cookie-agent';
import { createMunicipality } from '../support/factories';
import { startPortalWithIdporten, type PortalWithIdporten } from '../support/idporten-app';

const KARI = '12838512311';

/** The whole login against the embedded ID-porten over real HTTP, as a resident goes through it. */
describe('Resident login with the test ID-porten (e2e)', () => {
  let env: PortalWithIdporten;

  beforeAll(async () => {
    env = await startPortalWithIdporten();
    await createMunicipality(env.t.em(), { hostnames: ['127.0.0.1'] });
    env.t.refreshTenants();
  });
  afterAll(() => env.close());

  async function login(agent: CookieAgent, acr?: string) {
    const start = await agent.get('/auth/login?returnTo=%2Fmin-side');
    const authorize = new URL(start.headers.get('location') ?? '');
    const { callbackUrl, jar } = await browserlessLogin(authorize, { pid: KARI, acr });
    return { authorize, callback: await agent.get(callbackUrl.href), jar };
  }

  it("asks ID-porten for PKCE, state, nonce, the configured level and the resident's language", async () => {
    const agent = new CookieAgent(env.t.url);
    agent.cookies.set('lang', 'nn');
    const start = await agent.get('/auth/login');
    const url = new URL(start.headers.get('location') ?? '');
    expect(url.origin).toBe(env.idporten.issuer);
    expect(url.pathname).toBe('/authorize');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(url.searchParams.get('state')).toMatch(/^[\w-]{20,}$/);
    expect(url.searchParams.get('nonce')).toMatch(/^[\w-]{20,}$/);
    expect(url.searchParams.get('acr_values')).toBe('idporten-loa-substantial');
    expect(url.searchParams.get('ui_locales')).toBe('nn');
    expect(url.searchParams.get('redirect_uri')).toBe(`${env.t.url}/auth/callback`);
  });

  it('logs a resident in and shows a protected page with the masked identity number', async () => {
    const agent = new CookieAgent(env.t.url);
    const { callback } = await login(agent);
    expect(callback.status).toBe(303);
    expect(callback.headers.get('location')).toBe('/min-side');
    const page = await agent.get('/min-side');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('128385*****');
    expect(html).not.toContain(KARI);
  });

  it('logs out at ID-porten too and comes back to the logged-out page', async () => {
    const agent = new CookieAgent(env.t.url);
    const { jar } = await login(agent);
    const token = CookieAgent.csrfToken(await (await agent.get('/min-side')).text());
    const logout = await agent.postForm('/auth/logout', { _csrf: token });
    const endSession = new URL(logout.headers.get('location') ?? '');
    expect(endSession.pathname).toBe('/endsession');
    const followed = await followRedirects(jar, endSession, env.idporten.issuer);
    const back = followed.leftTo!;
    expect(back.origin + back.pathname).toBe(`${env.t.url}/auth/logged-out`);
    const page = await agent.get(back.href);
    expect(await page.text()).toContain('Du er også logget ut av ID-porten');
    expect((await agent.get('/min-side')).status).toBe(303);
    // ID-porten's own session is gone too: a new login shows the login page again.
    const again = await agent.get('/auth/login');
    const reopened = await followRedirects(
      jar,
      again.headers.get('location') ?? '',
      env.idporten.issuer,
    );
    expect(reopened.leftTo).toBeUndefined();
    expect(await reopened.response.text()).toContain('name="pid"');
  });
});

describe('Resident login requiring a high level (e2e)', () => {
  let env: PortalWithIdporten;

  beforeAll(async () => {
    env = await startPortalWithIdporten({ OIDC_ACR: 'idporten-loa-high' });
    await createMunicipality(env.t.em(), { hostnames: ['127.0.0.1'] });
    env.t.refreshTenants();
  });
  afterAll(() => env.close());

  it('asks for idporten-loa-high and accepts a login at that level', async () => {
    const agent = new CookieAgent(env.t.url);
    const start = await agent.get('/auth/login');
    const authorize = new URL(start.headers.get('location') ?? '');
    expect(authorize.searchParams.get('acr_values')).toBe('idporten-loa-high');
    const { callbackUrl } = await browserlessLogin(authorize, {
      pid: KARI,
      acr: 'idporten-loa-high',
    });
    expect((await agent.get(callbackUrl.href)).status).toBe(303);
    expect(await (await agent.get('/min-side')).text()).toContain('Høyt');
  });
});
