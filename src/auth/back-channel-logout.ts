import { errors, jwtVerify, type JWTVerifyGetKey } from 'jose';

/** The `events` member that makes a JWT a logout token (OpenID Connect Back-Channel Logout 1.0). */
export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

/** How old a logout token may be (its `iat`), and how far clocks may differ. */
const MAX_AGE_SECONDS = 300;
const CLOCK_TOLERANCE_SECONDS = 30;

/** A logout token that is not one from our provider for us: answered 400, and nothing ends. */
export class LogoutTokenRefused extends Error {
  override readonly name = 'LogoutTokenRefused';
}

export interface LogoutTokenExpectations {
  issuer: string;
  /** Our client id: the token's audience. */
  clientId: string;
  /** The provider's published keys. */
  keys: JWTVerifyGetKey;
  /** What the provider signs ID tokens with (its discovery document); never `none` or an HMAC. */
  algorithms: readonly string[];
  now?: Date;
}

/**
 * Validates a logout token as the specification's section 2.6 asks: signed by the provider's key
 * with an algorithm it uses, our issuer and audience, a recent `iat`, a `jti`, the back-channel
 * logout event, no `nonce`, and a `sid` (we register with `backchannel_logout_session_required`,
 * and end sessions by it). A `typ` header, if any, must be `logout+jwt` or `JWT`.
 */
export async function verifyLogoutToken(
  token: unknown,
  expected: LogoutTokenExpectations,
): Promise<{ sid: string; sub?: string }> {
  if (typeof token !== 'string' || token === '') throw new LogoutTokenRefused('no logout_token');
  const algorithms = expected.algorithms.filter((alg) => alg !== 'none' && !alg.startsWith('HS'));
  let payload: Record<string, unknown>;
  let typ: string | undefined;
  try {
    const verified = await jwtVerify(token, expected.keys, {
      issuer: expected.issuer,
      audience: expected.clientId,
      algorithms,
      requiredClaims: ['iat', 'jti', 'events'],
      maxTokenAge: MAX_AGE_SECONDS,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      currentDate: expected.now,
    });
    payload = verified.payload;
    typ = verified.protectedHeader.typ;
  } catch (error) {
    if (error instanceof errors.JOSEError) throw new LogoutTokenRefused(error.code);
    throw error;
  }
  if (
    typ !== undefined &&
    !['logout+jwt', 'jwt'].includes(typ.toLowerCase().replace(/^application\//, ''))
  )
    throw new LogoutTokenRefused('typ');
  const now = Math.floor((expected.now ?? new Date()).getTime() / 1000);
  if (typeof payload.iat !== 'number' || payload.iat > now + CLOCK_TOLERANCE_SECONDS)
    throw new LogoutTokenRefused('iat');
  if (typeof payload.jti !== 'string' || payload.jti === '') throw new LogoutTokenRefused('jti');
  const events = payload.events as Record<string, unknown> | null;
  const event =
    typeof events === 'object' && events !== null ? events[BACKCHANNEL_LOGOUT_EVENT] : undefined;
  if (typeof event !== 'object' || event === null || Array.isArray(event))
    throw new LogoutTokenRefused('events');
  if ('nonce' in payload) throw new LogoutTokenRefused('nonce');
  if (typeof payload.sid !== 'string' || payload.sid === '') throw new LogoutTokenRefused('sid');
  return {
    sid: payload.sid,
    ...(typeof payload.sub === 'string' ? { sub: payload.sub } : {}),
  };
}
