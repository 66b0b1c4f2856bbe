import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import * as client from 'openid-client';
import { Strategy, type AuthenticateOptions } from 'openid-client/passport';
import { publicOrigin } from '../../tenancy';
import { requestLanguage } from '../../shared/request-context';
import { ID_TOKEN_CLOCK_SKEW_S } from '../idporten.strategy';
import { keepableSid } from '../provider-session-id';
import { STAFF_PREFIX } from './staff-paths';
import type { StaffOidcConfig } from './staff-oidc.config';

export const STAFF_OIDC = 'staff-oidc';
export const STAFF_CALLBACK_PATH = `${STAFF_PREFIX}/logg-inn/callback`;
export const STAFF_OIDC_CLIENT = Symbol('STAFF_OIDC_CLIENT');

/** What the provider vouched for; roles are worked out for the request's municipality later. */
export interface StaffLogin {
  subject: string;
  issuer: string;
  name?: string;
  /** The value of the configured roles claim, as the token carried it. */
  roleClaim: unknown;
  idToken: string;
  /** The provider's session id, if it sends one: its front-channel logout names it. */
  sid?: string;
}

/** What the staff strategy hands the callback (passport puts it in `req.user`). */
export function isStaffLogin(value: unknown): value is StaffLogin {
  const candidate = value as (Partial<StaffLogin> & { kind?: unknown }) | undefined;
  return (
    candidate?.kind === undefined &&
    typeof candidate?.subject === 'string' &&
    typeof candidate.issuer === 'string' &&
    typeof candidate.idToken === 'string'
  );
}

export function staffCallbackUrl(req: Request, settings: StaffOidcConfig): string {
  return settings.redirectUri ?? `${publicOrigin(req)}${STAFF_CALLBACK_PATH}`;
}

/** A `sub` we can store and audit: printable, without control characters, as OpenID allows. */
const SUBJECT = /^[^\u0000-\u001f\u007f]{1,255}$/;

/**
 * openid-client's Passport strategy for the staff provider, with the same checks as the residents'
 * ID-porten login: PKCE (the strategy's own), state and nonce (added here, kept in the staff
 * session and checked on the way back), the ID token's signature against the provider's keys
 * (`enableNonRepudiationChecks` at discovery), issuer, audience, expiry, and no `iat` ahead of us.
 */
export class StaffOidcStrategy extends PassportStrategy(Strategy, STAFF_OIDC) {
  constructor(
    oidc: client.Configuration,
    private readonly settings: StaffOidcConfig,
  ) {
    super({
      config: oidc,
      scope: settings.scope,
      sessionKey: 'staffOidc',
      callbackURL: settings.redirectUri,
    });
  }

  override authorizationRequestParams(req: Request, options: AuthenticateOptions): URLSearchParams {
    const params = super.authorizationRequestParams(req, options) as URLSearchParams;
    params.set('state', client.randomState());
    params.set('nonce', client.randomNonce());
    params.set('ui_locales', requestLanguage(req));
    params.set('redirect_uri', staffCallbackUrl(req, this.settings));
    return params;
  }

  override currentUrl(req: Request): URL {
    // The token request must repeat the exact redirect_uri of the authorization request.
    const url = new URL(staffCallbackUrl(req, this.settings));
    for (const [key, value] of new URL(req.originalUrl, 'http://x').searchParams)
      url.searchParams.append(key, value);
    return url;
  }

  /** Called with the verified tokens: signature, issuer, audience, expiry, nonce and state passed. */
  validate(tokens: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers): StaffLogin {
    const claims = tokens.claims();
    if (!claims || !tokens.id_token) throw new Error('no ID token');
    // oauth4webapi refuses only an iat too far in the past; one in the future is forged or
    // mis-clocked, and would make the token valid for longer than it says.
    if (claims.iat > Date.now() / 1000 + ID_TOKEN_CLOCK_SKEW_S)
      throw new Error('ID token issued in the future');
    if (!SUBJECT.test(claims.sub)) throw new Error('unusable sub');
    const name = typeof claims.name === 'string' ? claims.name.slice(0, 200) : undefined;
    return {
      subject: claims.sub,
      issuer: claims.iss,
      name,
      roleClaim: claims[this.settings.rolesClaim],
      idToken: tokens.id_token,
      sid: keepableSid(claims.sid),
    };
  }
}
