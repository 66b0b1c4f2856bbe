import { Controller, Get, Inject, Post, Query, Render, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import * as client from 'openid-client';
import { ForMunicipality, publicOrigin, type CurrentMunicipality } from '../../tenancy';
import { isStaff } from '../identity';
import { SkipThrottle } from '@nestjs/throttler';
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
