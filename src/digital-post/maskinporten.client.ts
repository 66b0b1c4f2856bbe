import { createPrivateKey, randomUUID, sign } from 'node:crypto';
import { DigitalPostError, httpFailure, transportFailure } from './digital-post.errors';
import type { MaskinportenSettings } from './letter-settings';

/** Maskinporten allows a grant to live at most 120 s; less leaves room for clock skew. */
const GRANT_LIFETIME_S = 60;
/** A token is renewed this long before it expires, so a call never starts with a dying one. */
const RENEW_BEFORE_MS = 30_000;

interface Cached {
  token: string;
  expiresAt: number;
}

/**
 * Access tokens from Maskinporten by the JWT grant (RFC 7523): a grant signed RS256 with the
 * municipality's key, naming its client id (`iss`), Maskinporten (`aud`) and the scope, traded
 * at the token endpoint for a bearer token. Tokens are cached per client and scope until shortly
 * before they expire; `forget` drops one the API refused.
 */
export class MaskinportenClient {
  private readonly cache = new Map<string, Cached>();
  private readonly pending = new Map<string, Promise<Cached>>();

  constructor(
    private readonly timeoutMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async token(settings: MaskinportenSettings): Promise<string> {
    const key = cacheKey(settings);
    const cached = this.cache.get(key);
    if (cached && cached.expiresAt - RENEW_BEFORE_MS > this.now()) return cached.token;
    // One request for a token at a time per client: a batch of letters shares it.
    let pending = this.pending.get(key);
    if (!pending) {
      pending = this.fetchToken(settings).finally(() => this.pending.delete(key));
      this.pending.set(key, pending);
    }
    const fresh = await pending;
    this.cache.set(key, fresh);
    return fresh.token;
  }

  /** Drops the cached token (the API answered 401 with it). */
  forget(settings: MaskinportenSettings): void {
    this.cache.delete(cacheKey(settings));
  }

  private async fetchToken(settings: MaskinportenSettings): Promise<Cached> {
    const assertion = this.grant(settings);
    let res: Response;
    try {
      res = await fetch(settings.tokenUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: new URLSearchParams({
          grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
          assertion,
        }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw transportFailure('maskinporten', error);
    }
    if (!res.ok) {
      // Maskinporten's error body is OAuth's: `error` is a registered code, safe to keep.
      const body = (await res.json().catch(() => null)) as { error?: unknown } | null;
      const oauthError =
        typeof body?.error === 'string' && /^[a-z_]{1,40}$/.test(body.error) ? body.error : null;
      if (oauthError && res.status < 500)
        throw new DigitalPostError(`maskinporten-${oauthError}`, false);
      throw httpFailure('maskinporten', res.status);
    }
    const body = (await res.json().catch(() => null)) as {
      access_token?: unknown;
      expires_in?: unknown;
    } | null;
    if (typeof body?.access_token !== 'string' || body.access_token === '')
      throw new DigitalPostError('maskinporten-bad-answer', true);
    const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : 60;
    return { token: body.access_token, expiresAt: this.now() + expiresIn * 1000 };
  }

  /** The signed JWT grant; `kid` names the key registered for the client, when given. */
  private grant(settings: MaskinportenSettings): string {
    let key;
    try {
      key = createPrivateKey(settings.privateKey);
    } catch {
      throw new DigitalPostError('maskinporten-bad-key', false);
    }
    const iat = Math.floor(this.now() / 1000);
    const header = { alg: 'RS256', typ: 'JWT', ...(settings.keyId ? { kid: settings.keyId } : {}) };
    const claims = {
      aud: settings.audience,
      iss: settings.clientId,
      scope: settings.scope,
      iat,
      exp: iat + GRANT_LIFETIME_S,
      jti: randomUUID(),
    };
    const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
    const signature = sign('sha256', Buffer.from(input), key);
    return `${input}.${signature.toString('base64url')}`;
  }
}

const base64url = (text: string) => Buffer.from(text).toString('base64url');
const cacheKey = (s: MaskinportenSettings) => `${s.tokenUrl} ${s.clientId} ${s.scope}`;
