import { generateKeyPairSync, randomUUID, type JsonWebKey } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Provider } from 'oidc-provider';
import { DEMO_EXAMPLE_PID, DEMO_RESIDENTS, type DemoResident } from '../demo-residents';
import { DEMO_STAFF, type DemoStaffMember } from '../demo-staff';
import { idportenConfiguration, type TestIdportenClient } from './idporten-configuration';
import { DESIGN_ASSETS } from '../../src/web/design-assets';
import {
  DESIGN_ASSETS_PATH,
  INTERACTION_PATH,
  LOGOUT_CONTINUE_PATH,
  STYLESHEET_PATH,
} from './idporten.constants';
import { loginInteractionRouter } from './login-interaction.router';
import { logoutContinuation, skipLogoutConfirmation } from './logout-without-confirmation';
import { ResidentAccounts } from './resident-accounts';
import { StaffAccounts } from './staff-accounts';
import { TESTID_CSS } from './testid.css';

export type { TestIdportenClient, TokenEndpointAuthMethod } from './idporten-configuration';

export interface TestIdportenOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Address to listen on; 127.0.0.1 by default. */
  host?: string;
  /** Public base URL when it differs from http://localhost:<port> (a container's port mapping). */
  issuer?: string;
  clients: TestIdportenClient[];
  /** Offered on the login page; the demo residents by default. */
  residents?: readonly DemoResident[];
  /**
   * The municipality a client's redirect host belongs to, if any: its login page then offers only
   * the residents who live there (everyone for a host that belongs to none).
   */
  municipalityOfHost?: (host: string) => string | undefined;
  /** A valid number nobody on the page has, named in the hint as one to type; the demo's by default. */
  examplePid?: string;
  /** Offered on the login page of staff clients (`staff: true`); the demo staff by default. */
  staff?: readonly DemoStaffMember[];
}

export interface TestIdporten {
  issuer: string;
  port: number;
  /** The public half of the ID token signing key, as served at /jwks. */
  jwks: { keys: JsonWebKey[] };
  close(): Promise<void>;
}

const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; base-uri 'none'; frame-ancestors 'none'";
const LOOPBACK_OR_ANY = new Set(['127.0.0.1', '0.0.0.0', '::', '::1', 'localhost']);

function signingKeyPair() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const meta = { kid: `testid-${randomUUID()}`, alg: 'RS256', use: 'sig' };
  return {
    privateJwk: { ...privateKey.export({ format: 'jwk' }), ...meta },
    publicJwk: { ...publicKey.export({ format: 'jwk' }), ...meta },
  };
}

/** Where this process can reach its own listener. */
function internalOrigin({ address, family, port }: AddressInfo): string {
  const host = address === '0.0.0.0' ? '127.0.0.1' : address === '::' ? '::1' : address;
  return `http://${family === 'IPv6' ? `[${host}]` : host}:${port}`;
}

/**
 * Starts an OpenID provider shaped like ID-porten (same paths, claims, levels and logout) with a
 * TestID-like login page, on its own port. For demo mode and tests only: keys and sessions live in
 * memory and the issuer is plain http.
 */
export async function startTestIdporten(options: TestIdportenOptions): Promise<TestIdporten> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const issuerHost = LOOPBACK_OR_ANY.has(host)
    ? 'localhost'
    : host.includes(':')
      ? `[${host}]`
      : host;
  const issuer = (options.issuer ?? `http://${issuerHost}:${address.port}`).replace(/\/$/, '');

  const keys = signingKeyPair();
  const accounts = new ResidentAccounts();
  const staffAccounts = new StaffAccounts(options.staff ?? DEMO_STAFF);
  const provider = new Provider(
    issuer,
    idportenConfiguration({
      clients: options.clients,
      signingKey: keys.privateJwk,
      accounts,
      staffAccounts,
    }),
  );
  // ID-porten puts `sid` in every ID token; oidc-provider only for clients with back-channel logout.
  provider.Client.prototype.includeSid = () => true;
  provider.on('server_error', (_ctx: unknown, err: Error) =>
    console.error('[test-idporten] server error', err),
  );
  provider.on('backchannel.error', (_ctx: unknown, err: Error, client: { clientId: string }) =>
    console.warn(
      `[test-idporten] back-channel logout to ${client.clientId} failed: ${err.message}`,
    ),
  );
  skipLogoutConfirmation(provider);

  const app = express();
  app.disable('x-powered-by');
  app.use((_req, res, next) => {
    res.set('x-content-type-options', 'nosniff');
    // No page here runs a script; oidc-provider adds hashes to script-src for its form_post pages.
    res.set('content-security-policy', CONTENT_SECURITY_POLICY);
    next();
  });
  app.get('/favicon.ico', (_req, res) => {
    res.status(204).end(); // browsers ask for it; a 404 would show up as a console error
  });
  app.get(STYLESHEET_PATH, (_req, res) => {
    res.type('text/css').set('cache-control', 'public, max-age=3600').send(TESTID_CSS);
  });
  for (const [prefix, dir] of Object.entries(DESIGN_ASSETS))
    app.use(`${DESIGN_ASSETS_PATH}${prefix.replace('/static/', '')}`, express.static(dir));
  app.use(
    INTERACTION_PATH,
    loginInteractionRouter(
      provider,
      accounts,
      {
        residents: options.residents ?? DEMO_RESIDENTS,
        municipalityOfHost: options.municipalityOfHost ?? (() => undefined),
        examplePid: options.examplePid ?? DEMO_EXAMPLE_PID,
      },
      {
        accounts: staffAccounts,
        clientIds: new Set(options.clients.filter((c) => c.staff).map((c) => c.clientId)),
      },
    ),
  );
  app.get(LOGOUT_CONTINUE_PATH, logoutContinuation(internalOrigin(address)));
  // Last, and with no body parser in front: the provider reads request bodies itself.
  app.use(provider.callback());
  server.on('request', app);

  return {
    issuer,
    port: address.port,
    jwks: { keys: [keys.publicJwk] },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
