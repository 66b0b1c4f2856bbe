import { browserlessLogin, CookieJar } from '../../dev/idporten/testing/browserless-login';

/** What a logged-in resident's browser sends: the session and CSRF cookies and the form token. */
export interface ResidentSession {
  pid: string;
  /** The resident's own address, as the proxy forwards it (each resident comes from their own). */
  ip: string;
  cookie: string;
  csrfToken: string;
}

export const SESSION_COOKIE = '__Host-mf.sid';
export const CSRF_COOKIE = '__Host-mf.csrf';

/** The portal sits behind a TLS-terminating proxy in production; the bench plays that proxy. */
export const PROXY_HEADERS = { 'x-forwarded-proto': 'https' } as const;

/**
 * What the proxy adds for one resident: https, and the resident's address in X-Forwarded-For (the
 * portal trusts it from loopback), so per-address rate limiting sees residents, not the proxy.
 */
export function proxyHeaders(session: Pick<ResidentSession, 'ip'>): Record<string, string> {
  return { ...PROXY_HEADERS, 'x-forwarded-for': session.ip };
}

/** A distinct private address for the i-th resident. */
export function residentIp(i: number): string {
  return `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
}

/** One resident through the real flow: portal → test ID-porten login page → callback → a page with a form. */
export async function loginResident(
  portal: string,
  pid: string,
  ip: string,
): Promise<ResidentSession> {
  const jar = new CookieJar();
  const headers = proxyHeaders({ ip });
  const start = await jar.fetch(`${portal}/auth/login`, { headers });
  await start.arrayBuffer();
  const authorization = start.headers.get('location');
  if (start.status < 300 || start.status > 399 || !authorization)
    throw new Error(`/auth/login answered ${start.status}, not a redirect to ID-porten`);
  const { callbackUrl } = await browserlessLogin(authorization, { pid, jar });
  // The redirect URI is the public https one; the bench reaches the portal on plain http behind its "proxy".
  const callback = new URL(callbackUrl.pathname + callbackUrl.search, portal);
  const done = await jar.fetch(callback, { headers });
  await done.arrayBuffer();
  if (done.status !== 303) throw new Error(`login callback answered ${done.status} for a resident`);
  const page = await jar.fetch(`${portal}/fakturaer`, { headers });
  const html = await page.text();
  if (page.status !== 200) throw new Error(`/fakturaer answered ${page.status} after login`);
  const csrfToken = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  const sid = jar.get(portal, SESSION_COOKIE);
  const csrf = jar.get(portal, CSRF_COOKIE);
  if (!csrfToken || !sid || !csrf)
    throw new Error('no session cookie, CSRF cookie or form token after login');
  return {
    pid,
    ip,
    cookie: `${SESSION_COOKIE}=${sid}; ${CSRF_COOKIE}=${csrf}`,
    csrfToken: csrfToken.replace(/&#x3D;/g, '='),
  };
}

/** Logs residents in, `concurrency` at a time; returns sessions in the order of `pids`. */
export async function loginResidents(
  portal: string,
  pids: readonly string[],
  concurrency: number,
  progress: (done: number) => void,
): Promise<ResidentSession[]> {
  const sessions: ResidentSession[] = new Array(pids.length);
  let next = 0;
  let done = 0;
  let retried = 0;
  const worker = async () => {
    while (next < pids.length) {
      const i = next++;
      // One retry: a login is set-up, not a measurement, and a busy machine drops a socket now and then.
      try {
        sessions[i] = await loginResident(portal, pids[i], residentIp(i));
      } catch {
        retried++;
        sessions[i] = await loginResident(portal, pids[i], residentIp(i));
      }
      if (++done % 500 === 0) progress(done);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  if (retried > 0) progress(-retried);
  return sessions;
}
