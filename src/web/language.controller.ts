import { Controller, Get, Inject, NotFoundException, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Public } from '../auth';
import { type AppConfig, appConfig } from '../config/app.config';
import { isLanguage, LANGUAGE_COOKIE, safeReturnPath } from '../shared/request-context';

const ONE_YEAR_MS = 365 * 24 * 60 * 60 * 1000;

@Controller('language')
export class LanguageController {
  constructor(@Inject(appConfig.KEY) private readonly config: AppConfig) {}

  /** Remembers the chosen language for a year and goes back to the page the resident was on. */
  @Public()
  @Get(':code')
  choose(
    @Param('code') code: string,
    @Query('return') returnTo: string | undefined,
    @Res() res: Response,
  ): void {
    if (!isLanguage(code)) throw new NotFoundException();
    res.cookie(LANGUAGE_COOKIE, code, {
      maxAge: ONE_YEAR_MS,
      sameSite: 'lax',
      httpOnly: true,
      secure: this.config.production,
      path: '/',
    });
    res.redirect(303, safeReturnPath(returnTo));
  }
}
