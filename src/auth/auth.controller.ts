import { Controller, Get, Inject, Post, Query, Render, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import * as client from 'openid-client';
import { SkipThrottle } from '@nestjs/throttler';
import { Public } from './public.decorator';
import { LoginError } from './auth.errors';
import { CurrentResident, isResident } from './identity';
import { IdportenLoginGuard } from './idporten-login.guard';
import { publicOrigin } from '../tenancy';
import { maskNationalId } from '../shared/national-identity-number';
import { OIDC_CLIENT } from './oidc-client.provider';
import { type OidcConfig, oidcConfig } from './oidc.config';
import type { ResidentIdentity } from './resident-identity';
import { SessionService } from './session/session.service';
import { answerFrontChannelLogout } from './front-channel-logout';
import { StaffLoginService } from './staff/staff-login.service';

const LOGOUT_STATE_COOKIE = 'mf.logout';

@Controller()
export class AuthController {
  constructor(
    @Inject(OIDC_CLIENT) private readonly oidc: client.Configuration | null,
    @Inject(oidcConfig.KEY) private readonly settings: OidcConfig,
    private readonly sessions: SessionService,
    private readonly staffLogins: StaffLoginService,
  ) {}

  /** Starts a login at ID-porten; the guard redirects. */
  @Public()
  @Get('auth/login')
  @UseGuards(IdportenLoginGuard)
  login(): void {}

  /** ID-porten sends the resident back here; the guard has verified everything by now. */
  @Public()
  @Get('auth/callback')
  @UseGuards(IdportenLoginGuard)
  async callback(@Req() req: Request, @Res() res: Response): Promise<void> {
    const returnTo = req.session.returnTo ?? '/fakturaer';
    // The strategy's `validate` gives a resident; anything else is no login.
    const user: unknown = req.user;
    if (!isResident(user)) throw new LoginError('loginFailed');
    await this.sessions.startAuthenticated(req, user);
    res.redirect(303, returnTo);
  }

  /** Ends the session here and at ID-porten (RP-initiated logout). */
  @Post('auth/logout')
  async logout(@Req() req: Request, @Res() res: Response): Promise<void> {
    const user = req.session.user;
    await this.sessions.end(req);
    const endSession = this.oidc?.serverMetadata().end_session_endpoint;
    if (!user || !this.oidc || !endSession) {
      res.redirect(303, '/auth/logged-out');
      return;
    }
    const state = client.randomState();
    res.cookie(LOGOUT_STATE_COOKIE, state, {
      httpOnly: true,
      sameSite: 'lax',
      secure: req.secure,
      maxAge: 10 * 60_000,
      path: '/auth',
    });
    const url = client.buildEndSessionUrl(this.oidc, {
      id_token_hint: user.idToken,
      post_logout_redirect_uri:
        this.settings.postLogoutRedirectUri ?? `${publicOrigin(req)}/auth/logged-out`,
      state,
    });
    res.redirect(303, url.href);
  }

  @Public()
  @Get('auth/logged-out')
  @Render('pages/logged-out')
  loggedOut(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @Query('state') state?: string,
  ) {
    const expected: unknown = req.cookies?.[LOGOUT_STATE_COOKIE];
    res.clearCookie(LOGOUT_STATE_COOKIE, { path: '/auth' });
    return { confirmedByIdporten: typeof state === 'string' && state === expected };
  }

  /** Front-channel logout from ID-porten (see `answerFrontChannelLogout`). */
  @Public()
  @SkipThrottle()
  @Get('auth/frontchannel-logout')
  async frontchannelLogout(
    @Query('iss') iss: unknown,
    @Query('sid') sid: unknown,
    @Res() res: Response,
  ): Promise<void> {
    await answerFrontChannelLogout(res, this.oidc?.serverMetadata().issuer, { iss, sid }, (i, s) =>
      this.staffLogins.endProviderSession(i, s),
    );
  }

  /** The resident's own page: who is logged in, at what level. */
  @Get('min-side')
  @Render('pages/my-page')
  myPage(@CurrentResident() user: ResidentIdentity) {
    return {
      name: user.name,
      maskedPid: maskNationalId(user.pid),
      highAssurance: user.acr === 'idporten-loa-high',
    };
  }
}
