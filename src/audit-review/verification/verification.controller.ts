import {
  Body,
  Controller,
  Get,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import type { Response } from 'express';
import { CurrentStaff, municipalitiesWhere, type StaffMember, StaffOnly } from '../../auth';
import { ForMunicipality, type CurrentMunicipality, TenancyService } from '../../tenancy';
import { options, problemModel, typedValues } from '../audit-form';
import { type FieldProblem, QueryReader } from '../audit-query';
import { VerificationRunsService } from './verification-runs.service';
import { runView } from './verification-view';

const uuid = new ParseUUIDPipe({ version: '4' });
/** How often a running verification's page reloads itself (seconds). */
const REFRESH_SECONDS = 2;

/**
 * Verifying the audit chain from the auditors' pages: a form (municipality, period) and the recent
 * runs; starting one (it runs off the request, on this instance); and a run's own page, which
 * reloads itself while the run goes on (no JavaScript needed) and then shows the verdict.
 */
@Controller('revisjon/verifiser')
@StaffOnly('auditor')
export class VerificationController {
  constructor(
    private readonly runs: VerificationRunsService,
    private readonly tenancy: TenancyService,
  ) {}

  @Get()
  async page(
    @CurrentStaff() staff: StaffMember,
    @ForMunicipality() municipality: CurrentMunicipality,
    @Res() res: Response,
  ): Promise<void> {
    res.render('pages/audit/verify', await this.formModel(staff, municipality.slug, {}, []));
  }

  @Post()
  async start(
    @CurrentStaff() staff: StaffMember,
    @ForMunicipality() municipality: CurrentMunicipality,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    const served = await this.served(staff);
    const read = new QueryReader(body);
    const slug = read.choice(
      'kommune',
      served.map((m) => m.slug),
    );
    const { from, to } = read.period('fra', 'til');
    const target = served.find((m) => m.slug === (slug ?? municipality.slug));
    if (!target) read.problem('kommune', 'unknown');
    if (read.problems.length > 0 || !target) {
      res
        .status(400)
        .render(
          'pages/audit/verify',
          await this.formModel(staff, slug ?? municipality.slug, typedValues(body), read.problems),
        );
      return;
    }
    const id = await this.runs.start(staff, target.id, { from, to });
    res.redirect(303, `/revisjon/verifiser/${id}`);
  }

  @Get(':runId')
  async run(
    @CurrentStaff() staff: StaffMember,
    @Param('runId', uuid) runId: string,
    @Query('oppdater') refresh: unknown,
    @Res() res: Response,
  ): Promise<void> {
    const served = await this.served(staff);
    const found = await this.runs.find(
      runId,
      served.map((m) => m.id),
    );
    if (!found) throw new NotFoundException();
    const view = runView(found, new Date(), this.byId(served));
    const autoRefresh = view.status === 'running' && refresh !== 'nei';
    res.render('pages/audit/verify-run', {
      titleKey: 'auditVerify.run.title',
      refreshSeconds: autoRefresh ? REFRESH_SECONDS : null,
      autoRefresh,
      several: served.length > 1,
      run: view,
    });
  }

  private async formModel(
    staff: StaffMember,
    chosen: string,
    values: Record<string, string>,
    problems: readonly FieldProblem[],
  ) {
    const served = await this.served(staff);
    const now = new Date();
    const byId = this.byId(served);
    const recent = await this.runs.recent(served.map((m) => m.id));
    return {
      titleKey: 'auditVerify.title',
      several: served.length > 1,
      municipalities: options(
        served.map((m) => ({ value: m.slug, label: m.name })),
        chosen,
      ),
      values,
      ...problemModel(problems),
      runs: recent.map((run) => runView(run, now, byId)),
    };
  }

  private byId(served: readonly { id: string; slug: string; name: string }[]) {
    return new Map(served.map((m) => [m.id, m]));
  }

  private async served(staff: StaffMember) {
    const ids = municipalitiesWhere(staff, 'auditor');
    return (await this.tenancy.all()).filter((m) => ids.includes(m.id));
  }
}
