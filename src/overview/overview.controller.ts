import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CurrentStaff, type StaffMember, StaffOnly } from '../auth';
import { requestLanguage } from '../shared/request-context';
import { ForMunicipality, type CurrentMunicipality } from '../tenancy';
import { OverviewChoiceRefusedError } from './overview.errors';
import { OverviewPage } from './overview-page';
import { parseOverviewQuery } from './overview-query';
import { OverviewService } from './overview.service';

/**
 * "Oversikt": the dashboard of requests, decisions, open cases and write-back failures per week,
 * for the municipality the request is for or any (or all) of those the member of staff serves as
 * finance officer or policy approver; and the same numbers as CSV. Read only: GET forms, no state.
 */
@Controller('saksbehandler')
@StaffOnly('finance-officer', 'policy-approver')
export class OverviewController {
  constructor(
    private readonly overview: OverviewService,
    private readonly page: OverviewPage,
  ) {}

  @Get('oversikt')
  async show(
    @ForMunicipality() municipality: CurrentMunicipality,
    @CurrentStaff() staff: StaffMember,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const lang = requestLanguage(req);
    const served = await this.overview.served(staff);
    const parsed = parseOverviewQuery(query, served, municipality.id);
    if (!parsed.ok) {
      res
        .status(parsed.status)
        .render(
          'pages/staff/overview',
          this.page.model(lang, served, parsed.selection, undefined, parsed.errors),
        );
      return;
    }
    const figures = await this.overview.figures(parsed.selection);
    res.render('pages/staff/overview', this.page.model(lang, served, parsed.selection, figures));
  }

  @Get('oversikt.csv')
  async csv(
    @ForMunicipality() municipality: CurrentMunicipality,
    @CurrentStaff() staff: StaffMember,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const served = await this.overview.served(staff);
    const parsed = parseOverviewQuery(query, served, municipality.id);
    if (!parsed.ok) throw new OverviewChoiceRefusedError(parsed.status);
    const { filename, body } = this.page.csv(
      requestLanguage(req),
      await this.overview.figures(parsed.selection),
    );
    res
      .status(200)
      .type('text/csv; charset=utf-8')
      .setHeader('Content-Disposition', `attachment; filename="${filename}"`)
      .send(body);
  }
}
