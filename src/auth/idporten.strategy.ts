import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import * as client from 'openid-client';
import { Strategy, type AuthenticateOptions } from 'openid-client/passport';
import { publicOrigin } from '../tenancy';
import { requestLanguage } from '../shared/request-context';
import { isValidNationalIdentityNumber } from '../shared/national-identity-number';
import { acrSatisfies, type OidcConfig } from './oidc.config';
import { keepableSid } from './provider-session-id';
import { LoginRefusedError, type ResidentIdentity } from './resident-identity';

export const IDPORTEN = 'idporten';
/** How far ahead of our clock an ID token's `iat` may be before the token is refused. */
export const ID_TOKEN_CLOCK_SKEW_S = 60;
export const CALLBACK_PATH = '/auth/callback';

/** The redirect URI for this request's host, so each municipality's host keeps its own cookies. */
export function callbackUrl(req: Request, settings: OidcConfig): string {
  return settings.redirectUri ?? `${publicOrigin(req)}${CALLBACK_PATH}`;
}

/**
 * openid-client's Passport strategy, completed for ID-porten: it sends only PKCE by default, so the
 * state, nonce, acr_values and ui_locales ID-porten requires are added here (the strategy stores
 * what it sends in the session and checks state and nonce on the way back).
 */
export class IdportenStrategy extends PassportStrategy(Strategy, IDPORTEN) {
  constructor(
    oidc: client.Configuration,
    private readonly settings: OidcConfig,
  ) {
    super({
      config: oidc,
      scope: settings.scope,
      sessionKey: 'oidc',
      callbackURL: settings.redirectUri,
    });
  }

  override authorizationRequestParams(req: Request, options: AuthenticateOptions): URLSearchParams {
    const params = super.authorizationRequestParams(req, options) as URLSearchParams;
    params.set('state', client.randomState());
    params.set('nonce', client.randomNonce());
    params.set('acr_values', this.settings.acr);
    params.set('ui_locales', requestLanguage(req));
    params.set('redirect_uri', callbackUrl(req, this.settings));
    return params;
  }

  override currentUrl(req: Request): URL {
    // The token request must repeat the exact redirect_uri of the authorization request.
    const url = new URL(callbackUrl(req, this.settings));
    for (const [key, value] of new URL(req.originalUrl, 'http://x').searchParams)
      url.searchParams.append(key, value);
    return url;
  }

  /** Called with the verified tokens: signature, issuer, audience, expiry, nonce and state passed. */
  validate(
    tokens: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers,
  ): ResidentIdentity {
    const claims = tokens.claims();
    if (!claims || !tokens.id_token) throw new LoginRefusedError('missingPid');
    // oauth4webapi checks exp and nbf but refuses only an iat too far in the past: a token "issued"
    // in the future is a forged or mis-clocked one, and would be valid for longer than it says.
    if (claims.iat > Date.now() / 1000 + ID_TOKEN_CLOCK_SKEW_S)
      throw new LoginRefusedError('notYetValid');
    if (!acrSatisfies(claims.acr, this.settings.acr)) throw new LoginRefusedError('acrTooLow');
    const pid = claims.pid;
    if (typeof pid !== 'string' || pid === '') throw new LoginRefusedError('missingPid');
    if (!isValidNationalIdentityNumber(pid)) throw new LoginRefusedError('invalidPid');
    return {
      kind: 'resident',
      pid,
      acr: claims.acr as string,
      name: typeof claims.name === 'string' ? claims.name : undefined,
      sid: keepableSid(claims.sid),
      issuer: claims.iss,
      idToken: tokens.id_token,
    };
  }
}
