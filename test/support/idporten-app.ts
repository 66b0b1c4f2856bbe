import { startTestIdporten, type TestIdporten } from '../../dev/idporten/test-idporten';
import { freePort } from './free-port';
import { startTestApp, startTestAppOn, type TestApp } from './test-app';
import type { TestDatabase } from './test-database';

export interface PortalWithIdporten {
  t: TestApp;
  idporten: TestIdporten;
  close(): Promise<void>;
}

export interface StaffClientOptions {
  /** Host names the staff login may come back to (each municipality's own); 127.0.0.1 by default. */
  hosts?: string[];
}

/**
 * The portal logging in against the embedded test ID-porten, both on real ports; on its own fresh
 * database, or on `db` (e.g. reached through a proxy named in `env.DATABASE_URL`). With `staff`,
 * the provider also serves a staff client (its page offers the demo staff) and the portal's staff
 * login uses it; `env` must then carry a `STAFF_ROLE_MAP` (see `startPortalWithStaff`).
 */
export async function startPortalWithIdporten(
  env: Record<string, string> = {},
  options: { db?: TestDatabase; staff?: StaffClientOptions } = {},
): Promise<PortalWithIdporten> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const clientSecret = 'test-secret-' + port;
  const staffSecret = 'staff-test-secret-' + port;
  const staffOrigins = (options.staff?.hosts ?? ['127.0.0.1']).map((h) => `http://${h}:${port}`);
  const idporten = await startTestIdporten({
    clients: [
      {
        clientId: 'portal',
        clientSecret,
        tokenEndpointAuthMethod: 'client_secret_basic',
        redirectUris: [`${base}/auth/callback`],
        postLogoutRedirectUris: [`${base}/auth/logged-out`],
      },
      ...(options.staff
        ? [
            {
              clientId: 'portal-staff',
              clientSecret: staffSecret,
              tokenEndpointAuthMethod: 'client_secret_basic' as const,
              redirectUris: staffOrigins.map((o) => `${o}/saksbehandler/logg-inn/callback`),
              postLogoutRedirectUris: staffOrigins.map((o) => `${o}/saksbehandler/logget-ut`),
              // One URI per client: the portal ends the sessions of every host from any of them.
              backchannelLogoutUri: `${base}/saksbehandler/backchannel-logout`,
              staff: true,
            },
          ]
        : []),
    ],
  });
  let t: TestApp;
  try {
    const appEnv = {
      OIDC_ISSUER: idporten.issuer,
      OIDC_CLIENT_ID: 'portal',
      OIDC_CLIENT_SECRET: clientSecret,
      OIDC_TEST_LOGIN: 'true',
      ...(options.staff
        ? {
            STAFF_OIDC_ISSUER: idporten.issuer,
            STAFF_OIDC_CLIENT_ID: 'portal-staff',
            STAFF_OIDC_CLIENT_SECRET: staffSecret,
            STAFF_OIDC_TEST_LOGIN: 'true',
          }
        : {}),
      ...env,
    };
    t = options.db
      ? await startTestAppOn(options.db, appEnv, { port })
      : await startTestApp(appEnv, { port });
  } catch (error) {
    await idporten.close();
    throw error;
  }
  return {
    t,
    idporten,
    close: async () => {
      await t.close();
      await idporten.close();
    },
  };
}
