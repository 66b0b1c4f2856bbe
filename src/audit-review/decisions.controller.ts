import {
  Controller,
  Get,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { CurrentStaff, municipalitiesWhere, type StaffMember, StaffOnly } from '../auth';
import { requestLanguage } from '../shared/request-context';
import { ForMunicipality, type CurrentMunicipality } from '../tenancy';
import { DecisionPageService } from './decision-page.service';
import { DecisionSearchPage } from './decision-search.page';
import { parseDecisionSearch } from './decision-search.query';
import { ReplayPages } from './replay.pages';

const uuid = new ParseUUIDPipe({ version: '4' });

/**
 * The auditors' pages of decisions (read only, GET forms): search, one decision, and replaying a
 * decision or a period's with the versions they recorded. An auditor sees the decisions of every
 * municipality where they hold the role; opening a decision is itself audited.
 */
@Controller('revisjon')
@StaffOnly('auditor')
export class DecisionsController {
  constructor(
    private readonly search: DecisionSearchPage,
    private readonly decisions: DecisionPageService,
    private readonly replays: ReplayPages,
  ) {}

  @Get()
  async searchPage(
    @CurrentStaff() staff: StaffMember,
    @ForMunicipality() municipality: CurrentMunicipality,
    @Query() query: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    const served = municipalitiesWhere(staff, 'auditor');
    const { search, problems } = parseDecisionSearch(query, served, municipality.id);
    const model = await this.search.model(served, search, query, problems);
    res.status(model.problemList.length > 0 ? 400 : 200).render('pages/audit/search', model);
  }

  /**
   * One decision. The identity number is masked unless `vis=fnr` asks for it; either way the
   * opening is recorded (who, which case, whether the full number was shown) before the answer.
   */
  @Get('beslutninger/:id')
  async decision(
    @CurrentStaff() staff: StaffMember,
    @Param('id', uuid) id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const found = await this.decisions.find(municipalitiesWhere(staff, 'auditor'), id);
    if (!found) throw new NotFoundException();
    const fullNumber = req.query.vis === 'fnr';
    await this.decisions.recordOpened(found, { actor: staff.actor, name: staff.name }, fullNumber);
    const model = await this.decisions.page(found, { lang: requestLanguage(req), fullNumber });
    res.render('pages/audit/decision', model);
  }

  @Get('beslutninger/:id/etterprov')
  async replay(
    @CurrentStaff() staff: StaffMember,
    @Param('id', uuid) id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const found = await this.decisions.find(municipalitiesWhere(staff, 'auditor'), id);
    if (!found) throw new NotFoundException();
    res.render('pages/audit/replay', await this.replays.one(found, requestLanguage(req)));
  }

  @Get('etterprov')
  async replayPeriod(
    @CurrentStaff() staff: StaffMember,
    @ForMunicipality() municipality: CurrentMunicipality,
    @Query() query: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    const served = municipalitiesWhere(staff, 'auditor');
    const model = await this.replays.period(served, municipality.id, query);
    res.status(model.problemList.length > 0 ? 400 : 200).render('pages/audit/batch-replay', model);
  }
}
