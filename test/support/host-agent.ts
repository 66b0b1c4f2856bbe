import { request, type IncomingHttpHeaders } from 'node:http';
import type { CookieAgent } from './cookie-agent';

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  location: string | undefined;
  contentType: string;
  body: string;
}

export interface SendOptions {
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/**
 * A cookie jar over node:http, which (unlike fetch) sends the Host header it is given and any
 * percent-encoded path as written: a request can claim another municipality's host name while
 * reaching the same server, and hostile paths arrive byte for byte. Follows no redirects.
 */
export class HostAgent {
  constructor(
    readonly baseUrl: string,
    readonly host: string,
    readonly cookies = new Map<string, string>(),
  ) {}

  /** The same cookies (a signed-in session) presented under another host name. */
  static from(agent: CookieAgent, host: string): HostAgent {
    return new HostAgent(agent.origin, host, new Map(agent.cookies));
  }

  get(path: string, accept = 'text/html'): Promise<Answer> {
    return this.send('GET', path, { headers: { accept } });
  }

  postForm(path: string, form: Record<string, string>, accept = 'text/html'): Promise<Answer> {
    return this.send('POST', path, {
      body: new URLSearchParams(form).toString(),
      headers: { accept, 'content-type': 'application/x-www-form-urlencoded' },
    });
  }

  send(method: string, path: string, options: SendOptions = {}): Promise<Answer> {
    const base = new URL(this.baseUrl);
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const headers: Record<string, string | number> = {
      accept: 'text/html',
      ...options.headers,
      host: this.host,
      ...(cookie ? { cookie } : {}),
    };
    if (options.body !== undefined) headers['content-length'] = Buffer.byteLength(options.body);
    return new Promise((resolve, reject) => {
      const req = request(
        { hostname: base.hostname, port: base.port, method, path, headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            this.remember(res.headers['set-cookie'] ?? []);
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              location: res.headers.location,
              contentType: res.headers['content-type'] ?? '',
              body: Buffer.concat(chunks).toString('utf8'),
            });
          });
        },
      );
      req.on('error', reject);
      req.end(options.body);
    });
  }

  private remember(setCookies: string[]): void {
    for (const line of setCookies) {
      const [pair, ...attributes] = line.split(';');
      const [name, ...rest] = pair.split('=');
      const expired = attributes.some((a) => /expires=Thu, 01 Jan 1970/i.test(a));
      if (expired) this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), rest.join('='));
    }
  }
}
