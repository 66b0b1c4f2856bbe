/**
 * The test ID-porten (dev/idporten) on https, as a child process of the bench. Production mode
 * only accepts an https issuer; the dev provider listens on plain http, so its `createServer` is
 * handed an https server with the bench's throw-away certificate. Everything else is the dev code.
 *
 * Env: PORT, TLS_CERT_FILE, TLS_KEY_FILE, CLIENT_ID, CLIENT_SECRET, REDIRECT_URIS (comma-separated).
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
  // test-idporten.ts calls `createServer()` from node:http once, at start; hand it https instead.
  (http as { createServer: unknown }).createServer = (...args: unknown[]) => {
    (http as { createServer: unknown }).createServer = plain;
    return https.createServer(tls, ...(args as []));
  };
  const port = Number(required('PORT'));
  const redirectUris = required('REDIRECT_URIS').split(',');
  const idporten = await startTestIdporten({
    port,
    host: '127.0.0.1',
    issuer: `https://localhost:${port}`,
    clients: [
      {
        clientId: required('CLIENT_ID'),
        clientSecret: required('CLIENT_SECRET'),
        tokenEndpointAuthMethod: 'client_secret_basic',
        redirectUris,
        postLogoutRedirectUris: redirectUris.map((uri) =>
          uri.replace(/\/auth\/callback$/, '/auth/logged-out'),
        ),
      },
    ],
  });
  console.log(`test ID-porten ready at ${idporten.issuer}`);
  const stop = () => void idporten.close().finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
