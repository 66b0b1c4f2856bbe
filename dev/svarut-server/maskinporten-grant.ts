import { createPublicKey, type KeyObject, verify } from 'node:crypto';

export interface GrantCheck {
  /** The stand-in's issuer: the grant's `aud` must be this. */
  audience: string;
  /** Registered clients: their public keys (PEM), by client id. */
  clients: ReadonlyMap<string, KeyObject>;
  seenJti: Set<string>;
  now: number;
}

export type GrantResult =
  { ok: true; clientId: string; scope: string } | { ok: false; description: string };

export const publicKeyOf = (pem: string) => createPublicKey(pem);

/**
 * Checks a JWT grant as Maskinporten documents it: RS256 signed by the client's registered key,
 * `aud` the issuer, `iss` the client id, `iat`/`exp` at most 120 s apart and not expired, a
 * `scope`, and a `jti` not seen before.
 */
export function checkGrant(assertion: string, check: GrantCheck): GrantResult {
  const [h, c, s] = assertion.split('.');
  if (!h || !c || !s) return { ok: false, description: 'malformed jwt' };
  let header: { alg?: unknown };
  let claims: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as { alg?: unknown };
    claims = JSON.parse(Buffer.from(c, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return { ok: false, description: 'malformed jwt' };
  }
  if (header.alg !== 'RS256') return { ok: false, description: 'alg must be RS256' };
  const key = typeof claims.iss === 'string' ? check.clients.get(claims.iss) : undefined;
  if (!key) return { ok: false, description: 'unknown client' };
  const signed = verify('sha256', Buffer.from(`${h}.${c}`), key, Buffer.from(s, 'base64url'));
  if (!signed) return { ok: false, description: 'invalid signature' };
  if (claims.aud !== check.audience) return { ok: false, description: 'invalid audience' };
  const { iat, exp, jti, scope } = claims;
  const now = Math.floor(check.now / 1000);
  if (typeof iat !== 'number' || typeof exp !== 'number' || exp - iat > 120)
    return { ok: false, description: 'exp must be at most 120 seconds after iat' };
  if (exp < now || iat > now + 10)
    return { ok: false, description: 'jwt expired or not yet valid' };
  if (typeof jti !== 'string' || check.seenJti.has(jti))
    return { ok: false, description: 'jti missing or reused' };
  if (typeof scope !== 'string' || scope === '') return { ok: false, description: 'missing scope' };
  check.seenJti.add(jti);
  return { ok: true, clientId: claims.iss as string, scope };
}
