import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { SignJWT } from 'jose';

export type IdTokenClaims = Record<string, unknown>;

export interface RogueProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Changes the next ID token: claims, the signing key, or `none` as algorithm. */
  tamper: (change: {
    claims?: (claims: IdTokenClaims) => IdTokenClaims;
    alg?: 'none';
    foreignKey?: boolean;
  }) => void;
  close(): Promise<void>;
}

/**
 * A minimal OpenID provider that issues whatever ID token a test asks for, so the portal's own
 * checks of the token (signature, issuer, audience, expiry, nonce, acr, pid) are what is tested.
 * It speaks just enough of the protocol: discovery, /authorize (redirects straight back with a
 * code), /token and /jwks.
 */
export async function startRogueProvider(
  options: {
    /** Added to every ID token before a test's own change, e.g. a staff login's roles claim. */
    claims?: IdTokenClaims;
  } = {},
): Promise<RogueProvider> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const foreign = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const kid = 'rogue-1';
  const clientId = 'portal';
  const clientSecret = randomBytes(16).toString('hex');
  const codes = new Map<string, { nonce: string }>();
  let change: Parameters<RogueProvider['tamper']>[0] = {};

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        end_session_endpoint: `${issuer}/endsession`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['client_secret_basic'],
      });
    }
    if (url.pathname === '/jwks') {
      return json(200, {
        keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }],
      });
    }
    if (url.pathname === '/authorize') {
      const code = randomBytes(12).toString('hex');
      codes.set(code, { nonce: url.searchParams.get('nonce') ?? '' });
      const back = new URL(url.searchParams.get('redirect_uri') ?? '');
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      res.writeHead(302, { location: back.href }).end();
      return;
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const code = new URLSearchParams(body).get('code') ?? '';
        const grant = codes.get(code);
        codes.delete(code);
        if (!grant) return json(400, { error: 'invalid_grant' });
        void idToken(grant.nonce).then((token) =>
          json(200, {
            access_token: randomBytes(8).toString('hex'),
            token_type: 'Bearer',
            expires_in: 300,
            id_token: token,
          }),
        );
      });
      return;
    }
    res.writeHead(404).end();
  });

  async function idToken(nonce: string): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    let claims: IdTokenClaims = {
      iss: issuer,
      aud: clientId,
      sub: 'rogue-subject',
      iat: now,
      exp: now + 120,
      auth_time: now,
      nonce,
      acr: 'idporten-loa-substantial',
      amr: ['TestID'],
      pid: '12838512311',
      sid: 'rogue-sid',
      ...options.claims,
    };
    if (change.claims) claims = change.claims(claims);
    const current = change;
    change = {};
    if (current.alg === 'none') {
      const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
      return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.`;
    }
    const key: KeyObject = current.foreignKey ? foreign : privateKey;
    return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' }).sign(key);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    issuer,
    clientId,
    clientSecret,
    tamper: (next) => (change = next),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
