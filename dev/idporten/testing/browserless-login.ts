/**
 * A browser without a browser: a cookie jar over fetch that follows redirects by hand, enough to
 * drive the test ID-porten's login page from unit and e2e tests.
 */

interface StoredCookie {
  name: string;
  value: string;
  path: string;
}

/** Cookies per host name, as browsers keep them (ports share cookies); paths respected. */
export class CookieJar {
  private readonly hosts = new Map<string, StoredCookie[]>();

  /** `fetch` with this jar's cookies, never following redirects itself. */
  async fetch(url: string | URL, init: RequestInit = {}): Promise<Response> {
    const target = new URL(url);
    const headers = new Headers(init.headers);
    const cookie = this.cookieHeader(target);
    if (cookie) headers.set('cookie', cookie);
    const response = await fetch(target, { ...init, headers, redirect: 'manual' });
    this.store(target, response.headers.getSetCookie());
    return response;
  }

  /** The value of a cookie the jar would send to `url`. */
  get(url: string | URL, name: string): string | undefined {
    const target = new URL(url);
    return this.matching(target).find((c) => c.name === name)?.value;
  }

  cookieHeader(url: URL): string {
    return this.matching(url)
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }

  private matching(url: URL): StoredCookie[] {
    const cookies = this.hosts.get(url.hostname) ?? [];
    return cookies
      .filter(
        (c) =>
          url.pathname === c.path ||
          url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`),
      )
      .sort((a, b) => b.path.length - a.path.length);
  }

  private store(url: URL, setCookies: string[]): void {
    const cookies = this.hosts.get(url.hostname) ?? [];
    for (const header of setCookies) {
      const [pair, ...attributes] = header.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const attribute = (key: string) =>
        attributes.find((a) => a.toLowerCase().startsWith(`${key}=`))?.slice(key.length + 1);
      const path =
        attribute('path') ?? url.pathname.slice(0, Math.max(1, url.pathname.lastIndexOf('/')));
      const maxAge = attribute('max-age');
      const expires = attribute('expires');
      const expired =
        (maxAge !== undefined && Number(maxAge) <= 0) ||
        (expires !== undefined && Date.parse(expires) <= Date.now());
      const kept = cookies.filter((c) => !(c.name === name && c.path === path));
      cookies.splice(0, cookies.length, ...kept);
      if (!expired) cookies.push({ name, value, path });
    }
    this.hosts.set(url.hostname, cookies);
  }
}

export interface FollowedRedirects {
  /** The last response: a page, or the redirect that left `origin`. */
  response: Response;
  /** The URL that response came from. */
  url: URL;
  /** Where that last redirect pointed, when it left `origin`. */
  leftTo?: URL;
}

/** Follows redirects with the jar until one points away from `origin` or a page is reached. */
export async function followRedirects(
  jar: CookieJar,
  start: string | URL,
  origin: string,
  first?: Response,
): Promise<FollowedRedirects> {
  let url = new URL(start);
  let response = first ?? (await jar.fetch(url));
  for (let hops = 0; hops < 20; hops++) {
    const location = response.headers.get('location');
    if (response.status < 300 || response.status > 399 || !location) return { response, url };
    const next = new URL(location, url);
    if (next.origin !== origin) return { response, url, leftTo: next };
    await response.arrayBuffer(); // release the connection
    url = next;
    response = await jar.fetch(url);
  }
  throw new Error(`more than 20 redirects from ${String(start)}`);
}

/** The login page said no (wrong number, too low a level) or never appeared. */
export class BrowserlessLoginError extends Error {
  override readonly name = 'BrowserlessLoginError';
  constructor(
    message: string,
    readonly status: number,
    readonly html: string,
  ) {
    super(message);
  }
}

export interface BrowserlessLoginOptions {
  /** The national identity number typed into the `pid` field. */
  pid: string;
  /** `idporten-loa-substantial` (default) or `idporten-loa-high`. */
  acr?: string;
  /** Reuse a jar to keep the single sign-on session (or log out later). */
  jar?: CookieJar;
}

export interface BrowserlessLoginResult {
  /** The redirect to the client's redirect_uri, with `code`, `state` and `iss` (or `error`). */
  callbackUrl: URL;
  jar: CookieJar;
}

const decodeEntities = (text: string) =>
  text.replace(
    /&(amp|lt|gt|quot|#39);/g,
    (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]!,
  );

/**
 * Opens `authorizationUrl`, logs in on the test ID-porten's page as `pid` at level `acr`, and
 * returns where the provider sends the browser back to the client. With a live single sign-on
 * session in `jar` the page is skipped, as in a browser.
 */
export async function browserlessLogin(
  authorizationUrl: string | URL,
  { pid, acr = 'idporten-loa-substantial', jar = new CookieJar() }: BrowserlessLoginOptions,
): Promise<BrowserlessLoginResult> {
  return submitLoginPage(authorizationUrl, new URLSearchParams({ pid, acr }), jar);
}

export interface BrowserlessStaffLoginOptions {
  /** The demo member of staff picked on the staff client's page (see dev/demo-staff.ts). */
  persona: string;
  jar?: CookieJar;
}

/** The same for a staff client: picks `persona` on the page that offers the demo staff. */
export async function browserlessStaffLogin(
  authorizationUrl: string | URL,
  { persona, jar = new CookieJar() }: BrowserlessStaffLoginOptions,
): Promise<BrowserlessLoginResult> {
  return submitLoginPage(authorizationUrl, new URLSearchParams({ staff: persona }), jar);
}

async function submitLoginPage(
  authorizationUrl: string | URL,
  form: URLSearchParams,
  jar: CookieJar,
): Promise<BrowserlessLoginResult> {
  const origin = new URL(authorizationUrl).origin;
  const opened = await followRedirects(jar, authorizationUrl, origin);
  if (opened.leftTo) return { callbackUrl: opened.leftTo, jar };

  const page = await opened.response.text();
  const action = /<form[^>]*\saction="([^"]+)"/i.exec(page)?.[1];
  if (opened.response.status !== 200 || !action) {
    throw new BrowserlessLoginError(
      `no login page at ${opened.url.href} (status ${opened.response.status})`,
      opened.response.status,
      page,
    );
  }
  const formUrl = new URL(decodeEntities(action), opened.url);
  const submitted = await jar.fetch(formUrl, { method: 'POST', body: form });
  if (submitted.status !== 303) {
    const html = await submitted.text();
    const messages = [
      ...html.matchAll(/class="ds-validation-message" data-color="danger">\s*([^<]*?)\s*</g),
    ].map((m) => decodeEntities(m[1]));
    throw new BrowserlessLoginError(
      `login refused: ${messages.join(' ') || submitted.status}`,
      submitted.status,
      html,
    );
  }
  const finished = await followRedirects(jar, formUrl, origin, submitted);
  if (!finished.leftTo) {
    const html = await finished.response.text();
    throw new BrowserlessLoginError(
      `login ended at ${finished.url.href}, not at the client`,
      finished.response.status,
      html,
    );
  }
  return { callbackUrl: finished.leftTo, jar };
}
