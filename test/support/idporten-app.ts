import { startTestIdporten, type TestIdporten } from '../../dev/idporten/test-idporten';
import { freePort } from './free-port';
import { startTestApp, startTestAppOn, type TestApp } from './test-app';
import type { TestDatabase } from './test-database';

export interface PortalWithIdporten {
  t: TestApp;
  idporten: TestIdporten;
  close(): Promise<void>;
}

/**
 * The portal logging in against the embedded test ID-porten, both on real ports; on its own fresh
 * database, or on `db` (e.g. reached through a proxy named in `env.DATABASE_URL`).
 */
export async function startPortalWithIdporten(
  env: Record<string, string> = {},
  options: { db?: TestDatabase } = {},
): Promise<PortalWithIdporten> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const clientSecret = 'test-secret-' + port;
  const idporten = await startTestIdporten({
    clients: [
      {
        clientId: 'portal',
        clientSecret,
        tokenEndpointAuthMethod: 'client_secret_basic',
        redirectUris: [`${base}/auth/callback`],
        postLogoutRedirectUris: [`${base}/auth/logged-out`],
      },
    ],
  });
  let t: TestApp;
  try {
    const appEnv = {
      OIDC_ISSUER: idporten.issuer,
      OIDC_CLIENT_ID: 'portal',
      OIDC_CLIENT_SECRET: clientSecret,
      OIDC_TEST_LOGIN: 'true',
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
