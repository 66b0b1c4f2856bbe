import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import {
  BACKCHANNEL_LOGOUT_EVENT,
  LogoutTokenRefused,
  verifyLogoutToken,
} from './back-channel-logout';

const ISSUER = 'https://login.example.no';
const CLIENT = 'minside-faktura-staff';
const NOW = new Date('2026-12-07T12:00:00.000Z');
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

describe(verifyLogoutToken.name, () => {
  let key: CryptoKey;
  let otherKey: CryptoKey;
  let keys: ReturnType<typeof createLocalJWKSet>;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    key = pair.privateKey;
    otherKey = (await generateKeyPair('RS256')).privateKey;
    const jwk: JWK = {
      ...(await exportJWK(pair.publicKey)),
      kid: 'op-1',
      alg: 'RS256',
      use: 'sig',
    };
    keys = createLocalJWKSet({ keys: [jwk] });
  });

  const claims = (over: Record<string, unknown> = {}) => ({
    iss: ISSUER,
    aud: CLIENT,
    iat: seconds(NOW) - 5,
    jti: 'a7f1c3e0-logout',
    sid: 'op-session-1',
    sub: 'staff-subject-1',
    events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
    ...over,
  });

  async function sign(
    body: Record<string, unknown>,
    header: Record<string, unknown> = { typ: 'logout+jwt' },
    signer: CryptoKey = key,
  ): Promise<string> {
    const payload = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
    return new SignJWT(payload)
      .setProtectedHeader({ alg: 'RS256', kid: 'op-1', ...header })
      .sign(signer);
  }

  const verify = (token: unknown) =>
    verifyLogoutToken(token, {
      issuer: ISSUER,
      clientId: CLIENT,
      keys,
      algorithms: ['RS256'],
      now: NOW,
    });

  it("accepts the provider's signed logout token and gives its sid", async () => {
    await expect(verify(await sign(claims()))).resolves.toEqual({
      sid: 'op-session-1',
      sub: 'staff-subject-1',
    });
    // `typ` is only recommended: a provider that sends JWT or none is understood too.
    await expect(verify(await sign(claims(), { typ: 'JWT' }))).resolves.toMatchObject({
      sid: 'op-session-1',
    });
    await expect(verify(await sign(claims(), {}))).resolves.toMatchObject({ sid: 'op-session-1' });
    // An audience list that names us.
    await expect(verify(await sign(claims({ aud: [CLIENT, 'other'] })))).resolves.toMatchObject({
      sid: 'op-session-1',
    });
  });

  it.each<[string, () => Promise<unknown>]>([
    ['no token at all', async () => undefined],
    ['a token that is not a JWT', async () => 'not-a-jwt'],
    ['a token signed with another key', () => sign(claims(), { typ: 'logout+jwt' }, otherKey)],
    ['another issuer', () => sign(claims({ iss: 'https://evil.example' }))],
    ['another audience', () => sign(claims({ aud: 'another-client' }))],
    ['no iat', () => sign(claims({ iat: undefined }))],
    ['an iat too old', () => sign(claims({ iat: seconds(NOW) - 10 * 60 }))],
    ['an iat in the future', () => sign(claims({ iat: seconds(NOW) + 10 * 60 }))],
    ['an expired token', () => sign(claims({ exp: seconds(NOW) - 60 }))],
    ['no jti', () => sign(claims({ jti: undefined }))],
    ['no events claim', () => sign(claims({ events: undefined }))],
    ['another event', () => sign(claims({ events: { 'https://example/other': {} } }))],
    [
      'an event that is not an object',
      () => sign(claims({ events: { [BACKCHANNEL_LOGOUT_EVENT]: 'x' } })),
    ],
    ['a nonce (an ID token, not a logout token)', () => sign(claims({ nonce: 'n-1' }))],
    ['no sid (the session is required)', () => sign(claims({ sid: undefined }))],
    ['an empty sid', () => sign(claims({ sid: '' }))],
    ['the typ of an access token', () => sign(claims(), { typ: 'at+jwt' })],
  ])('refuses %s', async (_name, token) => {
    await expect(verify(await token())).rejects.toBeInstanceOf(LogoutTokenRefused);
  });

  it('refuses an algorithm the provider does not sign ID tokens with', async () => {
    const token = await sign(claims());
    await expect(
      verifyLogoutToken(token, {
        issuer: ISSUER,
        clientId: CLIENT,
        keys,
        algorithms: ['ES256'],
        now: NOW,
      }),
    ).rejects.toBeInstanceOf(LogoutTokenRefused);
  });
});
