import {
  Body,
  Controller,
  Get,
  Inject,
  Logger,
  Post,
  Query,
  Render,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import type { Request, Response } from 'express';
import * as client from 'openid-client';
import { ForMunicipality, publicOrigin, type CurrentMunicipality } from '../../tenancy';
import { isStaff } from '../identity';
import { SkipThrottle } from '@nestjs/throttler';
import { LogoutTokenRefused, verifyLogoutToken } from '../back-channel-logout';
import { answerFrontChannelLogout } from '../front-channel-logout';
import { Public } from '../public.decorator';
import { STAFF_PREFIX } from './staff-paths';
import { StaffLoginGuard } from './staff-login.guard';
import { StaffLoginService } from './staff-login.service';
import { isStaffLogin, STAFF_OIDC_CLIENT } from './staff-oidc.strategy';
import { type StaffOidcConfig, staffOidcConfig } from './staff-oidc.config';
import { StaffLoginError, StaffLoginRequiredError } from './staff.errors';

const LOGOUT_STATE_COOKIE = 'mf.staff-logout';
const LOGGED_OUT_PATH = `${STAFF_PREFIX}/logget-ut`;

/** The staff login at the municipality's own provider, and logout, under /saksbehandler. */
@Controller(STAFF_PREFIX)
export class StaffAuthController {
  private readonly logger = new Logger('StaffLogin');
  /** The provider's published keys, fetched when first needed and cached by jose. */
  private keys?: JWTVerifyGetKey;

  constructor(
    @Inject(STAFF_OIDC_CLIENT) private readonly oidc: client.Configuration | null,
    @Inject(staffOidcConfig.KEY) private readonly settings: StaffOidcConfig,
    private readonly logins: StaffLoginService,
  ) {}

  /** Starts a staff login; the guard redirects to the provider. */
  @Public()
  @Get('logg-inn')
  @UseGuards(StaffLoginGuard)
  login(): void {}

  /** The provider sends the member of staff back here; the guard has verified the tokens. */
  @Public()
  @Get('logg-inn/callback')
  @UseGuards(StaffLoginGuard)
  async callback(
    @Req() req: Request,
    @Res() res: Response,
    @ForMunicipality() municipality: CurrentMunicipality,
  ): Promise<void> {
    const returnTo = req.session.staffReturnTo ?? STAFF_PREFIX;
    const login: unknown = req.user;
    if (!isStaffLogin(login)) throw new StaffLoginError('staffLoginFailed');
    await this.logins.logIn(req, login, municipality);
    res.redirect(303, returnTo);
  }

  /** Ends the staff session here and, where the provider offers it, there (RP-initiated logout). */
  @Public()
  @Post('logg-ut')
  async logout(
    @Req() req: Request,
    @Res() res: Response,
    @ForMunicipality() municipality: CurrentMunicipality,
  ): Promise<void> {
    const user: unknown = req.user;
    if (!isStaff(user)) throw new StaffLoginRequiredError();
    await this.logins.logOut(req, user, municipality.id);
    const endSession = this.oidc?.serverMetadata().end_session_endpoint;
    if (!this.oidc || !endSession || !user.idToken) {
      res.redirect(303, LOGGED_OUT_PATH);
      return;
    }
    const state = client.randomState();
    res.cookie(LOGOUT_STATE_COOKIE, state, {
      httpOnly: true,
      sameSite: 'lax',
      secure: req.secure,
      maxAge: 10 * 60_000,
      path: STAFF_PREFIX,
    });
    const url = client.buildEndSessionUrl(this.oidc, {
      id_token_hint: user.idToken,
      post_logout_redirect_uri:
        this.settings.postLogoutRedirectUri ?? `${publicOrigin(req)}${LOGGED_OUT_PATH}`,
      state,
    });
    res.redirect(303, url.href);
  }

  /**
   * Front-channel logout from the staff provider (register `https://<host>/saksbehandler/frontchannel-logout`
   * there, e.g. as Entra ID's "Front-channel logout URL"): logging out of the provider elsewhere
   * ends the staff sessions of that provider session here, each recorded as a logout.
   */
  @Public()
  @SkipThrottle()
  @Get('frontchannel-logout')
  async frontchannelLogout(
    @Query('iss') iss: unknown,
    @Query('sid') sid: unknown,
    @Res() res: Response,
  ): Promise<void> {
    await answerFrontChannelLogout(res, this.oidc?.serverMetadata().issuer, { iss, sid }, (i, s) =>
      this.logins.endProviderSession(i, s),
    );
  }

  /**
   * Back-channel logout from the staff provider (OpenID Connect Back-Channel Logout 1.0: register
   * `https://<host>/saksbehandler/backchannel-logout` there, with the session required, where the
   * provider offers it): when the person logs out at the provider, it POSTs a signed logout token
   * naming its session, and the staff sessions of that session end here on every host, each
   * recorded as a logout. No cookie and no CSRF token: the token's signature is the proof.
   * 400 for a token that is not one for us; a replayed one ends nothing more.
   */
  @Public()
  @SkipThrottle()
  @Post('backchannel-logout')
  async backchannelLogout(
    @Body('logout_token') token: unknown,
    @Res() res: Response,
  ): Promise<void> {
    res.setHeader('Cache-Control', 'no-store');
    const metadata = this.oidc?.serverMetadata();
    let sid: string;
    try {
      if (!metadata?.jwks_uri) throw new LogoutTokenRefused('no staff provider');
      this.keys ??= createRemoteJWKSet(new URL(metadata.jwks_uri));
      ({ sid } = await verifyLogoutToken(token, {
        issuer: metadata.issuer,
        clientId: this.settings.clientId,
        keys: this.keys,
        algorithms: metadata.id_token_signing_alg_values_supported ?? ['RS256'],
      }));
    } catch (error) {
      if (!(error instanceof LogoutTokenRefused)) throw error;
      this.logger.warn(`Back-channel logout refused: ${error.message}`);
      res.status(400).json({ error: 'invalid_request', error_description: 'Invalid logout token' });
      return;
    }
    const ended = await this.logins.endProviderSession(metadata.issuer, sid);
    res
      .status(200)
      .type('text/plain')
      .send(ended > 0 ? 'Logged out' : 'No session');
  }

  @Public()
  @Get('logget-ut')
  @Render('pages/staff/logged-out')
  loggedOut(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @Query('state') state?: string,
  ) {
    const expected: unknown = req.cookies?.[LOGOUT_STATE_COOKIE];
    res.clearCookie(LOGOUT_STATE_COOKIE, { path: STAFF_PREFIX });
    return {
      titleKey: 'staff.loggedOut.title',
      confirmedByProvider: typeof state === 'string' && state === expected,
    };
  }
}
