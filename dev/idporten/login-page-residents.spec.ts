import * as client from 'openid-client';
import { DEMO_EXAMPLE_PID, DEMO_RESIDENTS } from '../demo-residents';
import { startTestIdporten, type TestIdporten } from './test-idporten';
import { CookieJar, followRedirects } from './testing/browserless-login';

const SECRET = 'dev-secret-0123456789abcdef0123456789';
const HOSTS: Record<string, string> = {
  localhost: 'fjordvik',
  'fjordvik.localhost': 'fjordvik',
  'asdal.localhost': 'asdal',
};

/** The demo residents, each on the login page of the municipality they live in. */
describe('the test login page, per municipality', () => {
  let op: TestIdporten;
  const callback = (host: string) => `http://${host}:3999/auth/callback`;

  beforeAll(async () => {
    op = await startTestIdporten({
      port: 0,
      clients: [
        {
          clientId: 'portal',
          clientSecret: SECRET,
          tokenEndpointAuthMethod: 'client_secret_basic',
          redirectUris: [...Object.keys(HOSTS), 'elsewhere.test'].map(callback),
          postLogoutRedirectUris: [],
        },
      ],
      municipalityOfHost: (host) => HOSTS[host],
    });
  });
  afterAll(() => op.close());

  async function loginPageFor(host: string): Promise<string> {
    const config = await client.discovery(
      new URL(op.issuer),
      'portal',
      undefined,
      client.ClientSecretBasic(SECRET),
      { execute: [client.allowInsecureRequests] },
    );
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: callback(host),
      scope: 'openid',
      state: client.randomState(),
      nonce: client.randomNonce(),
      acr_values: 'idporten-loa-substantial',
      code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    });
    const { response } = await followRedirects(new CookieJar(), url, new URL(op.issuer).origin);
    return response.text();
  }

  const listed = (html: string) =>
    DEMO_RESIDENTS.filter((r) => html.includes(`value="${r.pid}"`)).map((r) => r.name);
  const livingIn = (slug: string) =>
    DEMO_RESIDENTS.filter((r) => r.municipality === slug).map((r) => r.name);

  it.each(Object.entries(HOSTS))(
    'lists on %s only the residents of %s',
    async (host, municipality) => {
      expect(listed(await loginPageFor(host))).toEqual(livingIn(municipality));
    },
  );

  it('lists everyone for a host that belongs to no demo municipality', async () => {
    expect(listed(await loginPageFor('elsewhere.test'))).toEqual(DEMO_RESIDENTS.map((r) => r.name));
  });

  it('gives a valid example number to type, one with no invoices', async () => {
    const html = await loginPageFor('localhost');
    expect(html).toContain(`${DEMO_EXAMPLE_PID}, en testperson uten fakturaer`);
  });
});
