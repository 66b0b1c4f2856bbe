import { Controller, Get, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentStaff, municipalitiesWhere, type StaffMember, StaffOnly } from '../auth';
import { ForMunicipality, type CurrentMunicipality, TenancyService } from '../tenancy';
import { options, problemModel, typedValues } from './audit-form';
import { activityQueryString, ACTIVITY_TYPES, parseActivityFilter } from './staff-activity.query';
import { StaffActivityService } from './staff-activity.service';

/**
 * Staff activity for auditors: who logged in, who looked at which resident's case or decision, and
 * who changed what (case work, write-backs by hand, the policy), from the audit chain. Read only.
 */
@Controller('revisjon/aktivitet')
@StaffOnly('auditor')
export class ActivityController {
  constructor(
    private readonly activity: StaffActivityService,
    private readonly tenancy: TenancyService,
  ) {}

  @Get()
  async page(
    @CurrentStaff() staff: StaffMember,
    @ForMunicipality() municipality: CurrentMunicipality,
    @Query() query: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    const served = municipalitiesWhere(staff, 'auditor');
    const { filter, problems } = parseActivityFilter(query, served, municipality.id);
    const all = (await this.tenancy.all()).filter((m) => served.includes(m.id));
    const page = problems.length === 0 ? await this.activity.page(filter) : undefined;
    const typed = typedValues(query);
    res.status(problems.length > 0 ? 400 : 200).render('pages/audit/activity', {
      titleKey: 'audit.activity.title',
      several: all.length > 1,
      municipalityField: all.length > 1 || problems.some((p) => p.field === 'kommune'),
      municipalities: options(
        all.map((m) => ({ value: m.id, label: m.name })),
        filter.municipalityId,
      ),
      types: options(
        ACTIVITY_TYPES.map((t) => ({ value: t, label: t.replace(/\./g, '_') })),
        filter.type ?? typed.hva,
      ),
      values: typed,
      ...problemModel(problems),
      filtered: Boolean(filter.person || filter.type || filter.from || filter.to),
      ran: page !== undefined,
      rows: page?.rows.map((row) => ({
        ...row,
        personHref: row.actor?.startsWith('staff:')
          ? `/revisjon/aktivitet?${activityQueryString({ ...filter, person: row.actor })}`
          : null,
        requestHref: row.request ? `/revisjon/beslutninger/${row.request.id}` : null,
      })),
      older:
        page?.older != null
          ? `/revisjon/aktivitet?${activityQueryString(filter, page.older)}`
          : null,
      newest: filter.before ? `/revisjon/aktivitet?${activityQueryString(filter)}` : null,
    });
  }
}
