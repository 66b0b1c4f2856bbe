/**
 * A tiny HTTP client with a cookie jar for one site, following no redirects by itself, so a test
 * can walk an OpenID flow step by step and look at every hop.
 */
export class CookieAgent {
  readonly cookies = new Map<string, string>();

  constructor(readonly origin: string) {}

  async get(pathOrUrl: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.send('GET', pathOrUrl, undefined, headers);
  }

  /** As `get`, without a body in the answer: what a server sends for HEAD. */
  async head(pathOrUrl: string): Promise<Response> {
    return this.send('HEAD', pathOrUrl, undefined, {});
  }

  async postForm(path: string, form: Record<string, string>): Promise<Response> {
    return this.send('POST', path, new URLSearchParams(form).toString(), {
      'content-type': 'application/x-www-form-urlencoded',
    });
  }

  /** A form whose fields may repeat (a group of checkboxes), in the order given. */
  async postFields(
    path: string,
    fields: readonly (readonly [string, string])[],
  ): Promise<Response> {
    return this.send('POST', path, new URLSearchParams(fields.map(([k, v]) => [k, v])).toString(), {
      'content-type': 'application/x-www-form-urlencoded',
    });
  }

  /** A multipart form (a file input), as a browser sends one. */
  async postMultipart(path: string, form: FormData): Promise<Response> {
    return this.send('POST', path, form, {});
  }

  /** The value of the CSRF token in the first form of a page. */
  static csrfToken(html: string): string {
    const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
    if (!token) throw new Error('no CSRF token on the page');
    return token;
  }

  private async send(
    method: string,
    pathOrUrl: string,
    body: string | FormData | undefined,
    headers: Record<string, string>,
  ): Promise<Response> {
    const url = new URL(pathOrUrl, this.origin);
    const sameSite = url.origin === new URL(this.origin).origin;
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const res = await fetch(url, {
      method,
      body,
      redirect: 'manual',
      headers: { accept: 'text/html', ...(sameSite && cookie ? { cookie } : {}), ...headers },
    });
    if (sameSite) {
      for (const line of res.headers.getSetCookie()) {
        const [pair, ...attributes] = line.split(';');
        const [name, ...rest] = pair.split('=');
        const expired = attributes.some((a) => /expires=Thu, 01 Jan 1970/i.test(a));
        if (expired) this.cookies.delete(name.trim());
        else this.cookies.set(name.trim(), rest.join('='));
      }
    }
    return res;
  }
}

/** Walks /auth/login → provider → /auth/callback with a provider that needs no interaction. */
export async function loginThroughProvider(
  agent: CookieAgent,
  returnTo?: string,
  editCallback?: (url: URL) => URL,
): Promise<Response> {
  const start = await agent.get(
    `/auth/login${returnTo ? `?returnTo=${encodeURIComponent(returnTo)}` : ''}`,
  );
  if (start.status !== 302) throw new Error(`login did not redirect: ${start.status}`);
  const atProvider = await fetch(start.headers.get('location') ?? '', { redirect: 'manual' });
  let callback = new URL(atProvider.headers.get('location') ?? '');
  if (editCallback) callback = editCallback(callback);
  return agent.get(callback.href);
}
