import { z } from 'zod';
import { FinanceUnavailableError } from '../finance.errors';
import { asFinanceError, readText, retryAfterSeconds } from '../http-finance-transport';
import type { VismaSettings } from './visma-settings';

/** Read access and due date updates; nothing else is asked for. */
export const VISMA_SCOPES = 'vismanet_erp_service_api:read vismanet_erp_service_api:update';

const tokenSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().positive(),
});

interface Cached {
  token: Promise<{ token: string; renewAt: number }>;
  /** The token once it came. */
  value?: string;
  /** Epoch ms after which the token is not used any more. */
  renewAt: number;
}

type Credentials = Pick<VismaSettings, 'tokenUrl' | 'tenantId' | 'clientId' | 'clientSecret'>;

/**
 * Visma Connect client credentials tokens, one per (token URL, tenant, client), cached until a
 * minute before they expire (at half their life if they live under two minutes). Concurrent calls share one request;
 * a failed request is not cached, so the next call tries again.
 */
export class VismaTokens {
  private readonly cache = new Map<string, Cached>();

  constructor(
    private readonly timeoutMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(credentials: Credentials): Promise<string> {
    const key = keyOf(credentials);
    const cached = this.cache.get(key);
    if (cached && this.now() < cached.renewAt) return cached.token.then(({ token }) => token);
    const entry: Cached = { token: this.request(credentials), renewAt: Infinity };
    entry.token.then(
      ({ token, renewAt }) => Object.assign(entry, { value: token, renewAt }),
      () => {
        if (this.cache.get(key) === entry) this.cache.delete(key);
      },
    );
    this.cache.set(key, entry);
    return entry.token.then(({ token }) => token);
  }

  /** Forgets a token the API refused (revoked, or expired early), unless a newer one replaced it. */
  invalidate(credentials: Credentials, token: string): void {
    const key = keyOf(credentials);
    if (this.cache.get(key)?.value === token) this.cache.delete(key);
  }

  private async request(c: Credentials): Promise<{ token: string; renewAt: number }> {
    const started = this.now();
    let response: Response;
    let text: string;
    try {
      response = await fetch(c.tokenUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: c.clientId,
          client_secret: c.clientSecret,
          tenant_id: c.tenantId,
          scope: VISMA_SCOPES,
        }),
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'error',
      });
      text = await readText(response, 64 * 1024);
    } catch (error) {
      const mapped = asFinanceError(error, this.timeoutMs);
      throw new FinanceUnavailableError(
        mapped instanceof FinanceUnavailableError ? mapped.reason : 'network',
        `Visma Connect token endpoint: ${mapped.message}`,
        undefined,
        { cause: error },
      );
    }
    if (response.status === 400 || response.status === 401) {
      // OAuth error codes only (invalid_client, invalid_scope…): the body may echo the request.
      const code = /"error"\s*:\s*"([a-z_]{1,40})"/.exec(text)?.[1] ?? String(response.status);
      throw new FinanceUnavailableError(
        'unauthorized',
        `Visma Connect refused the client credentials (${code})`,
      );
    }
    if (response.status === 429) {
      throw new FinanceUnavailableError(
        'rate-limited',
        'Visma Connect token endpoint asked us to slow down',
        Math.min(retryAfterSeconds(response.headers.get('retry-after')) ?? 1, 3600),
      );
    }
    if (response.status !== 200) {
      throw new FinanceUnavailableError(
        response.status >= 500 ? 'server-error' : 'bad-response',
        `Visma Connect token endpoint answered ${response.status}`,
      );
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const parsed = tokenSchema.safeParse(body);
    if (!parsed.success) {
      throw new FinanceUnavailableError('bad-response', 'Visma Connect sent no usable token');
    }
    const lifeMs = parsed.data.expires_in * 1000;
    return {
      token: parsed.data.access_token,
      renewAt: started + Math.max(lifeMs - 60_000, lifeMs / 2),
    };
  }
}

function keyOf(c: Credentials): string {
  return `${c.tokenUrl}\u0000${c.tenantId}\u0000${c.clientId}`;
}
