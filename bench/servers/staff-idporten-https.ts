/**
 * The test ID-porten on https for the `overview` scenario: besides a residents' client (the portal
 * will not start without one) it serves a staff client, whose page offers the demo staff, so the
 * bench signs a finance officer in through the real staff login. The https hand-over is the one
 * of idporten-https.ts.
 *
 * Env: PORT, TLS_CERT_FILE, TLS_KEY_FILE, CLIENT_ID, CLIENT_SECRET, REDIRECT_URIS,
 * STAFF_CLIENT_ID, STAFF_CLIENT_SECRET, STAFF_REDIRECT_URIS (comma-separated URIs).
 */
import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { startTestIdporten } from '../../dev/idporten/test-idporten';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} must be set`);
  return value;
}

async function main(): Promise<void> {
  const tls = {
    cert: readFileSync(required('TLS_CERT_FILE')),
    key: readFileSync(required('TLS_KEY_FILE')),
  };
  const plain = http.createServer;
  (http as { createServer: unknown }).createServer = (...args: unknown[]) => {
    (http as { createServer: unknown }).createServer = plain;
    return https.createServer(tls, ...(args as []));
  };
  const port = Number(required('PORT'));
  const idporten = await startTestIdporten({
    port,
    host: '127.0.0.1',
    issuer: `https://localhost:${port}`,
    clients: [
      {
        clientId: required('CLIENT_ID'),
        clientSecret: required('CLIENT_SECRET'),
        tokenEndpointAuthMethod: 'client_secret_basic',
        redirectUris: required('REDIRECT_URIS').split(','),
        postLogoutRedirectUris: [],
      },
      {
        clientId: required('STAFF_CLIENT_ID'),
        clientSecret: required('STAFF_CLIENT_SECRET'),
        tokenEndpointAuthMethod: 'client_secret_basic',
        redirectUris: required('STAFF_REDIRECT_URIS').split(','),
        postLogoutRedirectUris: [],
        staff: true,
      },
    ],
  });
  console.log(`test ID-porten with staff ready at ${idporten.issuer}`);
  const stop = () => void idporten.close().finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
