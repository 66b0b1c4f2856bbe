import {
  Body,
  Controller,
  Get,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Render,
  Req,
  Res,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { StaffOnly } from '../auth';
import { requestLanguage } from '../shared/request-context';
import { ForMunicipality, type CurrentMunicipality } from '../tenancy';
import { field } from './form-fields';
import { PolicyTrialService } from './policy-trial.service';

const BASE = '/saksbehandler/regelverk/utkast';
const uuid = new ParseUUIDPipe({ version: '4' });

/**
 * Trying a draft on one case and simulating it over past requests. Trying changes nothing, so it
 * is a GET form (bookmarkable, no CSRF needed); a simulation is started with a POST and followed on
 * a page that reloads itself every two seconds while it runs (no JavaScript needed).
 */
@Controller('saksbehandler/regelverk/utkast/:id')
@StaffOnly('finance-officer', 'policy-approver')
export class PolicyTrialController {
  constructor(private readonly trial: PolicyTrialService) {}

  @Get('prov')
  @Render('pages/staff/policy-try')
  try(
    @ForMunicipality() municipality: CurrentMunicipality,
    @Param('id', uuid) id: string,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
  ) {
    return this.trial.tryPage(municipality.id, id, query, requestLanguage(req));
  }

  @Post('simulering')
  async simulate(
    @ForMunicipality() municipality: CurrentMunicipality,
    @Param('id', uuid) id: string,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    const started = await this.trial.start(municipality.id, id, {
      from: field(body, 'from'),
      to: field(body, 'to'),
    });
    if (started.ok) return res.redirect(303, `${BASE}/${id}/simulering/${started.jobId}`);
    res.status(400);
    res.render('pages/staff/policy-simulation', {
      ...(await this.trial.simulationForm(municipality.id, id)),
      startErrors: started.errors,
    });
  }

  @Get('simulering')
  @Render('pages/staff/policy-simulation')
  simulationForm(
    @ForMunicipality() municipality: CurrentMunicipality,
    @Param('id', uuid) id: string,
  ) {
    return this.trial.simulationForm(municipality.id, id);
  }

  @Get('simulering/:jobId')
  async simulation(
    @ForMunicipality() municipality: CurrentMunicipality,
    @Param('id', uuid) id: string,
    @Param('jobId', uuid) jobId: string,
    @Res() res: Response,
  ): Promise<void> {
    const model = await this.trial.simulationPage(municipality.id, id, jobId);
    if ('notFound' in model) res.status(404);
    res.render('pages/staff/policy-simulation', model);
  }
}
