import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as jose from 'jose';
import * as client from 'openid-client';
import { DEMO_RESIDENTS } from '../demo-residents';
import { startTestIdporten, type TestIdporten } from './test-idporten';
import { DESIGN_STYLESHEETS } from './idporten.constants';
import {
  browserlessLogin,
  BrowserlessLoginError,
  CookieJar,
  followRedirects,
} from './testing/browserless-login';

const SECRET = 'dev-secret-0123456789abcdef0123456789';
const KARI = DEMO_RESIDENTS[0].pid;
const SUBSTANTIAL = 'idporten-loa-substantial';
const HIGH = 'idporten-loa-high';

/** A stand-in for the portal: only its back-channel logout endpoint answers. */
async function startRelyingParty(): Promise<{
  base: string;
  logoutTokens: string[];
  server: Server;
}> {
  const logoutTokens: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      if (req.url === '/auth/backchannel-logout')
        logoutTokens.push(new URLSearchParams(body).get('logout_token') ?? '');
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://localhost:${(server.address() as AddressInfo).port}`,
    logoutTokens,
    server,
  };
}

describe('startTestIdporten', () => {
  let op: TestIdporten;
  let rp: Awaited<ReturnType<typeof startRelyingParty>>;
  let clientKey: CryptoKeyPair;
  let redirectUri: string;

  beforeAll(async () => {
    rp = await startRelyingParty();
    redirectUri = `${rp.base}/auth/callback`;
    clientKey = await jose.generateKeyPair('RS256', { extractable: true });
    const common = {
      redirectUris: [redirectUri],
      postLogoutRedirectUris: [`${rp.base}/logged-out`],
    };
    op = await startTestIdporten({
      port: 0,
      clients: [
        {
          ...common,
          clientId: 'portal-basic',
          clientSecret: SECRET,
          tokenEndpointAuthMethod: 'client_secret_basic',
          backchannelLogoutUri: `${rp.base}/auth/backchannel-logout`,
        },
        {
          ...common,
          clientId: 'portal-post',
          clientSecret: SECRET,
          tokenEndpointAuthMethod: 'client_secret_post',
        },
        {
          ...common,
          clientId: 'portal-pkjwt',
          tokenEndpointAuthMethod: 'private_key_jwt',
          jwks: {
            keys: [
              { ...(await jose.exportJWK(clientKey.publicKey)), kid: 'portal-1', alg: 'RS256' },
            ],
          },
        },
      ],
    });
  });

  afterAll(async () => {
    await op.close();
    rp.server.closeAllConnections();
    await new Promise((resolve) => rp.server.close(resolve));
  });

  const discover = (clientId: string, auth: client.ClientAuth) =>
    client.discovery(new URL(op.issuer), clientId, undefined, auth, {
      execute: [client.allowInsecureRequests, client.enableNonRepudiationChecks],
    });
  const basicClient = () => discover('portal-basic', client.ClientSecretBasic(SECRET));

  async function authorizationRequest(
    config: client.Configuration,
    params: { acr_values?: string; ui_locales?: string; pkce?: boolean } = {},
  ) {
    const { pkce = true, ...extra } = params;
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid',
      state,
      nonce,
      acr_values: SUBSTANTIAL,
      ...(pkce
        ? {
            code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
            code_challenge_method: 'S256',
          }
        : {}),
      ...extra,
    });
    return { url, codeVerifier, state, nonce };
  }

  async function loginPage(url: URL, jar = new CookieJar()) {
    const { response, url: pageUrl } = await followRedirects(jar, url, new URL(op.issuer).origin);
    const html = await response.text();
    const action = /<form[^>]*\saction="([^"]+)"/.exec(html)?.[1];
    return { status: response.status, html, formUrl: new URL(action ?? '/missing', pageUrl), jar };
  }

  describe('discovery', () => {
    it('publishes ID-porten’s endpoints, levels and PKCE method', async () => {
      const metadata = (await (
        await fetch(`${op.issuer}/.well-known/openid-configuration`)
      ).json()) as Record<string, unknown>;
      expect(metadata).toMatchObject({
        issuer: op.issuer,
        authorization_endpoint: `${op.issuer}/authorize`,
        token_endpoint: `${op.issuer}/token`,
        userinfo_endpoint: `${op.issuer}/userinfo`,
        jwks_uri: `${op.issuer}/jwks`,
        end_session_endpoint: `${op.issuer}/endsession`,
        acr_values_supported: [SUBSTANTIAL, HIGH],
        response_types_supported: ['code'],
        code_challenge_methods_supported: ['S256'],
        id_token_signing_alg_values_supported: ['RS256'],
        ui_locales_supported: ['nb', 'nn', 'en'],
        backchannel_logout_supported: true,
      });
      const jwks = (await (await fetch(`${op.issuer}/jwks`)).json()) as {
        keys: Array<{ kid: string; d?: string }>;
      };
      expect(jwks.keys.map((k) => k.kid)).toEqual(
        op.jwks.keys.map((k) => (k as { kid: string }).kid),
      );
      expect(jwks.keys[0].d).toBeUndefined();
    });
  });

  describe('login', () => {
    it('issues an RS256 ID token with pid, acr, amr, sid and locale when a resident logs in', async () => {
      const config = await basicClient();
      const request = await authorizationRequest(config, { acr_values: HIGH, ui_locales: 'nn' });
      const { callbackUrl } = await browserlessLogin(request.url, { pid: KARI, acr: HIGH });
      expect(callbackUrl.searchParams.get('iss')).toBe(op.issuer);

      const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: request.codeVerifier,
        expectedState: request.state,
        expectedNonce: request.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims()!;
      expect(claims).toMatchObject({
        pid: KARI,
        acr: HIGH,
        amr: ['TestID'],
        locale: 'nn',
        aud: 'portal-basic',
      });
      expect(claims.sid).toEqual(expect.any(String));
      expect(claims.auth_time).toEqual(expect.any(Number));
      expect(claims.sub).not.toContain(KARI);
      const header = jose.decodeProtectedHeader(tokens.id_token!);
      expect(header).toMatchObject({ alg: 'RS256', kid: (op.jwks.keys[0] as { kid: string }).kid });

      const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
      expect(userinfo).toMatchObject({ sub: claims.sub, pid: KARI, locale: 'nn' });
    });

    it.each([
      ['client_secret_post', () => discover('portal-post', client.ClientSecretPost(SECRET))],
      [
        'private_key_jwt',
        () =>
          discover(
            'portal-pkjwt',
            client.PrivateKeyJwt({ key: clientKey.privateKey, kid: 'portal-1' }),
          ),
      ],
    ])('authenticates a %s client at the token endpoint', async (_, configure) => {
      const config = await configure();
      const request = await authorizationRequest(config);
      const { callbackUrl } = await browserlessLogin(request.url, { pid: KARI });
      const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: request.codeVerifier,
        expectedState: request.state,
        expectedNonce: request.nonce,
      });
      expect(tokens.claims()).toMatchObject({ pid: KARI, acr: SUBSTANTIAL, locale: 'nb' });
    });

    it('logs in the resident picked from the list when no number is typed', async () => {
      const config = await basicClient();
      const request = await authorizationRequest(config);
      const page = await loginPage(request.url);
      const ola = DEMO_RESIDENTS[1].pid;
      const submitted = await page.jar.fetch(page.formUrl, {
        method: 'POST',
        body: new URLSearchParams({ resident: ola, pid: '', acr: SUBSTANTIAL }),
      });
      const { leftTo } = await followRedirects(
        page.jar,
        page.formUrl,
        new URL(op.issuer).origin,
        submitted,
      );
      const tokens = await client.authorizationCodeGrant(config, leftTo!, {
        pkceCodeVerifier: request.codeVerifier,
        expectedState: request.state,
        expectedNonce: request.nonce,
      });
      expect(tokens.claims()?.pid).toBe(ola);
    });

    it('skips the page for a live session, and asks again when a higher level is needed', async () => {
      const config = await basicClient();
      const first = await browserlessLogin((await authorizationRequest(config)).url, { pid: KARI });
      const again = await browserlessLogin((await authorizationRequest(config)).url, {
        pid: 'unused',
        jar: first.jar,
      });
      expect(again.callbackUrl.searchParams.get('code')).toBeTruthy();

      const stepUp = await loginPage(
        (await authorizationRequest(config, { acr_values: HIGH })).url,
        first.jar,
      );
      expect(stepUp.status).toBe(200);
      expect(stepUp.html).toContain('name="pid"');
    });
  });

  describe('login page', () => {
    it('lists the demo residents with name, scenario and number, in bokmål by default', async () => {
      const { status, html } = await loginPage(
        (await authorizationRequest(await basicClient())).url,
      );
      expect(status).toBe(200);
      expect(html).toContain('<html lang="nb" data-color-scheme="auto">');
      for (const resident of DEMO_RESIDENTS) {
        expect(html).toContain(resident.name);
        expect(html).toContain(resident.pid);
      }
      expect(html).toMatch(
        /<button type="submit" class="ds-button" data-variant="primary">\s*Logg inn\s*<\/button>/,
      );
      expect(html).toMatch(/<button\s[^>]*type="submit"[^>]*>\s*Avbryt\s*<\/button>/);
      expect(html).not.toMatch(/<script|\sstyle=/i);
    });

    it.each([
      ['en', 'Log in with TestID'],
      ['nn', 'Vel ein testperson'],
      ['se en', 'Log in with TestID'],
    ])('speaks the first supported of ui_locales=%s', async (uiLocales, text) => {
      const { html } = await loginPage(
        (await authorizationRequest(await basicClient(), { ui_locales: uiLocales })).url,
      );
      expect(html).toContain(text);
      expect(html).toContain(
        `<html lang="${uiLocales.split(' ').at(-1)}" data-color-scheme="auto">`,
      );
    });

    it('re-renders the form with a linked error and the typed value when the number is invalid', async () => {
      const page = await loginPage((await authorizationRequest(await basicClient())).url);
      const wrong = `${KARI.slice(0, 10)}${(Number(KARI[10]) + 1) % 10}`;
      const response = await page.jar.fetch(page.formUrl, {
        method: 'POST',
        body: new URLSearchParams({ pid: wrong, acr: SUBSTANTIAL }),
      });
      const html = await response.text();
      expect(response.status).toBe(200);
      expect(html).toContain('<title>Feil: Logg inn med TestID</title>');
      expect(html).toMatch(
        /<p id="pid-error" class="ds-validation-message" data-color="danger">\s*Fødselsnummeret er ikke gyldig\./,
      );
      const input = /<input[^>]*\sid="pid"[^>]*>/.exec(html)![0].replace(/\s+/g, ' ');
      expect(input).toContain(`value="${wrong}"`);
      expect(input).toContain('aria-describedby="pid-hint pid-error" aria-invalid="true"');
      await expect(browserlessLogin(page.formUrl, { pid: wrong })).rejects.toThrow(
        BrowserlessLoginError,
      );
    });

    it('refuses substantial when the client asked for high', async () => {
      const url = (await authorizationRequest(await basicClient(), { acr_values: HIGH })).url;
      const refusal = browserlessLogin(url, { pid: KARI, acr: SUBSTANTIAL });
      await expect(refusal).rejects.toMatchObject({
        status: 200,
        message: expect.stringContaining('ID-porten gir aldri et lavere nivå'),
      });
    });

    it('ends with access_denied at the client when the tester cancels', async () => {
      const request = await authorizationRequest(await basicClient());
      const page = await loginPage(request.url);
      const abortAction = /formaction="([^"]+)"/.exec(page.html)![1];
      const aborted = await page.jar.fetch(new URL(abortAction, op.issuer), { method: 'POST' });
      const { leftTo } = await followRedirects(
        page.jar,
        page.formUrl,
        new URL(op.issuer).origin,
        aborted,
      );
      expect(leftTo?.href.startsWith(redirectUri)).toBe(true);
      expect(leftTo?.searchParams.get('error')).toBe('access_denied');
      expect(leftTo?.searchParams.get('state')).toBe(request.state);
    });

    it('serves its stylesheet and every Designsystemet stylesheet its pages link to', async () => {
      const response = await fetch(`${op.issuer}/assets/testid.css`);
      expect(response.headers.get('content-type')).toMatch(/^text\/css/);
      expect(await response.text()).toContain('--ds-font-family');
      const page = await loginPage((await authorizationRequest(await basicClient())).url);
      const links = [...page.html.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)].map(
        (m) => m[1],
      );
      expect(links).toEqual([...DESIGN_STYLESHEETS, '/assets/testid.css']);
      for (const href of DESIGN_STYLESHEETS) {
        const sheet = await fetch(`${op.issuer}${href}`);
        expect([href, sheet.status, sheet.headers.get('content-type')]).toEqual([
          href,
          200,
          expect.stringMatching(/^text\/css/),
        ]);
      }
    });
  });

  describe('refusals', () => {
    it('refuses an authorization request without PKCE', async () => {
      const request = await authorizationRequest(await basicClient(), { pkce: false });
      const { leftTo } = await followRedirects(
        new CookieJar(),
        request.url,
        new URL(op.issuer).origin,
      );
      expect(leftTo?.searchParams.get('error')).toBe('invalid_request');
      expect(leftTo?.searchParams.get('error_description')).toMatch(/PKCE/);
    });

    it('shows an error page for a login page opened without its interaction cookie', async () => {
      const page = await loginPage((await authorizationRequest(await basicClient())).url);
      const response = await fetch(page.formUrl, {
        method: 'POST',
        body: new URLSearchParams({ pid: KARI }),
      });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('<code>invalid_request</code>');
    });

    it('shows an error page, not a redirect, for an unregistered redirect_uri', async () => {
      const url = new URL((await authorizationRequest(await basicClient())).url);
      url.searchParams.set('redirect_uri', 'http://evil.example/callback');
      const response = await fetch(url, { redirect: 'manual' });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('redirect_uri');
    });
  });

  describe('logout', () => {
    it('logs out at once, redirects with state and notifies the client over the back channel', async () => {
      const config = await basicClient();
      const request = await authorizationRequest(config);
      const { callbackUrl, jar } = await browserlessLogin(request.url, { pid: KARI });
      const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: request.codeVerifier,
        expectedState: request.state,
        expectedNonce: request.nonce,
      });
      rp.logoutTokens.length = 0;

      const endSession = client.buildEndSessionUrl(config, {
        id_token_hint: tokens.id_token!,
        post_logout_redirect_uri: `${rp.base}/logged-out`,
        state: 'bye-123',
      });
      const { leftTo } = await followRedirects(jar, endSession, new URL(op.issuer).origin);
      expect(leftTo?.origin + leftTo!.pathname).toBe(`${rp.base}/logged-out`);
      expect(leftTo?.searchParams.get('state')).toBe('bye-123');

      expect(rp.logoutTokens).toHaveLength(1);
      const { payload } = await jose.jwtVerify(
        rp.logoutTokens[0],
        jose.createLocalJWKSet(op.jwks),
        {
          issuer: op.issuer,
          audience: 'portal-basic',
          typ: 'logout+jwt',
        },
      );
      expect(payload.sid).toBe(tokens.claims()?.sid);

      const afterwards = await loginPage((await authorizationRequest(config)).url, jar);
      expect(afterwards.html).toContain('name="pid"');
    });

    it('refuses a post_logout_redirect_uri the client has not registered', async () => {
      const url = new URL(`${op.issuer}/endsession`);
      url.search = new URLSearchParams({
        client_id: 'portal-basic',
        post_logout_redirect_uri: 'http://evil.example/',
      }).toString();
      const response = await fetch(url, { redirect: 'manual' });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('post_logout_redirect_uri');
    });
  });
});
