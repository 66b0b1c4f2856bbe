import { randomBytes } from 'node:crypto';
import { browserlessStaffLogin, CookieJar } from '../../dev/idporten/testing/browserless-login';
import { PROXY_HEADERS } from './login';
import { freePort } from './portal';
import { type Child, startNode } from './processes';
import type { SelfSignedCert } from './tls-cert';

export interface StaffIdporten {
  child: Child;
  issuer: string;
  residentClientId: string;
  staffClientId: string;
  secrets: { resident: string; staff: string };
}

/**
 * The test provider on https (bench/servers/staff-idporten-https.ts) with a residents' client (the
 * portal will not start without one) and a staff client whose page offers the demo staff, for
 * portals on `host` at `portalPorts`.
 */
export async function startStaffIdporten(
  name: string,
  cert: SelfSignedCert,
  host: string,
  portalPorts: number[],
): Promise<StaffIdporten> {
  const port = await freePort();
  const residentClientId = `${name}-residents`;
  const staffClientId = `${name}-staff`;
  const secrets = {
    resident: randomBytes(24).toString('base64url'),
    staff: randomBytes(24).toString('base64url'),
  };
  const child = startNode(`${name}-idporten`, 'bench/servers/staff-idporten-https.js', {
    PORT: String(port),
    TLS_CERT_FILE: cert.certFile,
    TLS_KEY_FILE: cert.keyFile,
    CLIENT_ID: residentClientId,
    CLIENT_SECRET: secrets.resident,
    REDIRECT_URIS: portalPorts.map((p) => `https://${host}:${p}/auth/callback`).join(','),
    STAFF_CLIENT_ID: staffClientId,
    STAFF_CLIENT_SECRET: secrets.staff,
    STAFF_REDIRECT_URIS: portalPorts
      .map((p) => `https://${host}:${p}/saksbehandler/logg-inn/callback`)
      .join(','),
    NODE_ENV: 'development',
  });
  await child.waitForLine(/test ID-porten with staff ready/, 30_000);
  return {
    child,
    issuer: `https://localhost:${port}`,
    residentClientId,
    staffClientId,
    secrets,
  };
}

/**
 * A demo member of staff (dev/demo-staff.ts) through the real staff login: portal → the
 * provider's page → callback. Returns the jar holding the session and CSRF cookies.
 */
export async function loginStaff(url: string, persona: string): Promise<CookieJar> {
  const jar = new CookieJar();
  const start = await jar.fetch(`${url}/saksbehandler/logg-inn`, { headers: PROXY_HEADERS });
  await start.arrayBuffer();
  const authorization = start.headers.get('location');
  if (start.status !== 302 || !authorization)
    throw new Error(`staff login did not start: ${start.status}`);
  const { callbackUrl } = await browserlessStaffLogin(authorization, { persona });
  const done = await jar.fetch(new URL(callbackUrl.pathname + callbackUrl.search, url), {
    headers: PROXY_HEADERS,
  });
  await done.arrayBuffer();
  if (done.status !== 303) throw new Error(`staff login callback answered ${done.status}`);
  return jar;
}
