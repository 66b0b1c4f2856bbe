import { generateKeyPairSync } from 'node:crypto';
import { startTestIdporten, type TestIdporten } from '../../dev/idporten/test-idporten';
import { CookieAgent } from '../support/cookie-agent';
import { createMunicipality } from '../support/factories';
import { freePort } from '../support/free-port';
import { loginAs } from '../support/resident-login';
import { databaseWithStaffMunicipalities } from '../support/staff-app';
import { loginAsStaff } from '../support/staff-login';
import { startTestApp, startTestAppOn, type TestApp } from '../support/test-app';

/** ID-porten's preferred client authentication: a signed client assertion instead of a secret. */
describe('Resident login with private_key_jwt (e2e)', () => {
  let idporten: TestIdporten;
  let t: TestApp;

  beforeAll(async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const kid = 'portal-key-1';
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    idporten = await startTestIdporten({
      clients: [
        {
          clientId: 'portal-pkjwt',
          tokenEndpointAuthMethod: 'private_key_jwt',
          jwks: {
            keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }],
          },
          redirectUris: [`${base}/auth/callback`],
          postLogoutRedirectUris: [`${base}/auth/logged-out`],
        },
      ],
    });
    t = await startTestApp(
      {
        OIDC_ISSUER: idporten.issuer,
        OIDC_CLIENT_ID: 'portal-pkjwt',
        OIDC_CLIENT_AUTH: 'private_key_jwt',
        OIDC_PRIVATE_KEY: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
        OIDC_KEY_ID: kid,
      },
      { port },
    );
    await createMunicipality(t.em(), { hostnames: ['127.0.0.1'] });
    t.refreshTenants();
  });
  afterAll(async () => {
    await t?.close();
    await idporten?.close();
  });

  it('logs in with a client assertion signed by the configured key', async () => {
    const agent: CookieAgent = await loginAs(t.url, '12838512311');
    const page = await agent.get('/min-side');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('128385*****');
  });
});

/** The staff login with a signed client assertion too (Entra ID calls it a certificate credential). */
describe('Staff login with private_key_jwt (e2e)', () => {
  let idporten: TestIdporten;
  let t: TestApp;

  beforeAll(async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const kid = 'portal-staff-key-1';
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    idporten = await startTestIdporten({
      clients: [
        {
          clientId: 'portal-staff-pkjwt',
          tokenEndpointAuthMethod: 'private_key_jwt',
          jwks: {
            keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }],
          },
          redirectUris: [`${base}/saksbehandler/logg-inn/callback`],
          postLogoutRedirectUris: [`${base}/saksbehandler/logget-ut`],
          staff: true,
        },
      ],
    });
    const { db, a } = await databaseWithStaffMunicipalities();
    t = await startTestAppOn(
      db,
      {
        STAFF_OIDC_ISSUER: idporten.issuer,
        STAFF_OIDC_CLIENT_ID: 'portal-staff-pkjwt',
        STAFF_OIDC_CLIENT_AUTH: 'private_key_jwt',
        STAFF_OIDC_PRIVATE_KEY: JSON.stringify(privateKey.export({ format: 'jwk' })),
        STAFF_OIDC_KEY_ID: kid,
        STAFF_ROLE_MAP: JSON.stringify({ 'fin-fjordvik': [`${a.slug}:finance-officer`] }),
      },
      { port },
    );
  });
  afterAll(async () => {
    await t?.close();
    await idporten?.close();
  });

  it('logs in with a client assertion signed by the configured key (a JWK)', async () => {
    const agent = await loginAsStaff(t.url, 'officer');
    expect((await agent.get('/saksbehandler')).status).toBe(200);
  });
});
