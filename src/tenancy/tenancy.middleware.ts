import { Injectable, NestMiddleware, NotFoundException } from '@nestjs/common';
import type { NextFunction, Response } from 'express';
import { RequestWithMunicipality } from './current-municipality';
import { TenancyService } from './tenancy.service';

/** Serves each request for one municipality, chosen by the host name (or the configured default). */
@Injectable()
export class TenancyMiddleware implements NestMiddleware {
  constructor(private readonly tenancy: TenancyService) {}

  async use(req: RequestWithMunicipality, res: Response, next: NextFunction): Promise<void> {
    const municipality = await this.tenancy.resolve(req.hostname ?? '');
    if (!municipality) {
      next(new NotFoundException('unknownMunicipality'));
      return;
    }
    req.municipality = municipality;
    res.locals.municipality = municipality;
    next();
  }
}
