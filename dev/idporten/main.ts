// Runs the test ID-porten on its own: `PORT=4010 node dist/dev/idporten/main.js`.
// The client is described by the portal's own OIDC_* variables (and the staff client, if any, by
// its STAFF_OIDC_* ones), so one .env serves both.
import { createPrivateKey, createPublicKey, type JsonWebKey } from 'node:crypto';
import {
  startTestIdporten,
  type TestIdportenClient,
  type TokenEndpointAuthMethod,
} from './test-idporten';

const list = (value: string | undefined, fallback: string) =>
  (value ?? fallback)
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/** The public half of the portal's OIDC_PRIVATE_KEY (PEM or JWK JSON), for private_key_jwt. */
function publicJwk(privateKey: string, kid: string | undefined): JsonWebKey {
  const key = privateKey.trim().startsWith('{')
    ? createPrivateKey({ key: JSON.parse(privateKey) as JsonWebKey, format: 'jwk' })
    : createPrivateKey(privateKey);
  return {
    ...createPublicKey(key).export({ format: 'jwk' }),
    ...(kid ? { kid } : {}),
    alg: 'RS256',
    use: 'sig',
  };
}

function clientFromEnv(env: NodeJS.ProcessEnv): TestIdportenClient {
  const method = (env.OIDC_CLIENT_AUTH ?? 'client_secret_basic') as TokenEndpointAuthMethod;
  if (!['client_secret_basic', 'client_secret_post', 'private_key_jwt'].includes(method)) {
    throw new Error(`OIDC_CLIENT_AUTH=${method} is not supported`);
  }
  if (method === 'private_key_jwt' && !env.OIDC_PRIVATE_KEY) {
    throw new Error('OIDC_PRIVATE_KEY must be set for OIDC_CLIENT_AUTH=private_key_jwt');
  }
  return {
    clientId: env.OIDC_CLIENT_ID ?? 'minside-faktura-dev',
    tokenEndpointAuthMethod: method,
    ...(method === 'private_key_jwt'
      ? { jwks: { keys: [publicJwk(env.OIDC_PRIVATE_KEY!, env.OIDC_KEY_ID)] } }
      : { clientSecret: env.OIDC_CLIENT_SECRET ?? 'dev-only-secret-not-for-production' }),
    redirectUris: list(env.OIDC_REDIRECT_URI, 'http://localhost:3000/auth/callback'),
    postLogoutRedirectUris: list(
      env.OIDC_POST_LOGOUT_REDIRECT_URI,
      'http://localhost:3000/auth/logged-out',
    ),
    ...(env.OIDC_BACKCHANNEL_LOGOUT_URI
      ? { backchannelLogoutUri: env.OIDC_BACKCHANNEL_LOGOUT_URI }
      : {}),
  };
}

/**
 * The portal's staff login as a second client, when `STAFF_OIDC_CLIENT_ID` is set: its page offers
 * the demo staff (dev/demo-staff.ts), whose `roles` the demo role map names.
 */
function staffClientFromEnv(env: NodeJS.ProcessEnv): TestIdportenClient | undefined {
  if (!env.STAFF_OIDC_CLIENT_ID) return undefined;
  return {
    clientId: env.STAFF_OIDC_CLIENT_ID,
    tokenEndpointAuthMethod: 'client_secret_basic',
    clientSecret: env.STAFF_OIDC_CLIENT_SECRET ?? 'dev-only-staff-secret-not-for-production',
    redirectUris: list(
      env.STAFF_OIDC_REDIRECT_URI,
      'http://localhost:3000/saksbehandler/logg-inn/callback',
    ),
    postLogoutRedirectUris: list(
      env.STAFF_OIDC_POST_LOGOUT_REDIRECT_URI,
      'http://localhost:3000/saksbehandler/logget-ut',
    ),
    staff: true,
  };
}

async function main(): Promise<void> {
  const client = clientFromEnv(process.env);
  const staffClient = staffClientFromEnv(process.env);
  const idporten = await startTestIdporten({
    port: Number(process.env.PORT ?? 4010),
    host: process.env.HOST,
    issuer: process.env.TEST_IDPORTEN_ISSUER,
    clients: staffClient ? [client, staffClient] : [client],
  });
  console.log(`Test ID-porten (dev only) issuer: ${idporten.issuer}`);
  console.log(`  discovery: ${idporten.issuer}/.well-known/openid-configuration`);
  console.log(
    `  client: ${client.clientId} (${client.tokenEndpointAuthMethod}), redirect_uri ${client.redirectUris.join(', ')}`,
  );
  if (staffClient)
    console.log(
      `  staff client: ${staffClient.clientId}, redirect_uri ${staffClient.redirectUris.join(', ')}`,
    );
  const stop = () => {
    idporten.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
