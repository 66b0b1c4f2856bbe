import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { SkipThrottle } from '@nestjs/throttler';
import { Public } from '../auth';
import { ThemeService } from './theme.service';

const STYLESHEET_FILE = /^([0-9a-f]{16})\.css$/;

/**
 * The municipalities' theme stylesheets, named by their content, so they are cached for good like
 * static files. The web layer sets `Cache-Control: no-store` on every route (pages are per person);
 * these headers replace it, which keeps that default whole for everything else. Not throttled, as
 * the static files are not: every page links one.
 */
@Public()
@SkipThrottle()
@Controller('tema')
export class ThemeController {
  constructor(private readonly themes: ThemeService) {}

  @Get(':file')
  async stylesheet(
    @Param('file') file: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const hash = STYLESHEET_FILE.exec(file)?.[1];
    const css = hash === undefined ? undefined : await this.themes.stylesheet(hash);
    if (css === undefined) throw new NotFoundException();
    // Set here, not with @Header(), which would also mark the 404 cacheable for a year.
    res.setHeader('Content-Type', 'text/css; charset=utf-8');
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    return css;
  }
}
