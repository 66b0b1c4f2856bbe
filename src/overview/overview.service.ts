import { Injectable } from '@nestjs/common';
import { municipalitiesWhere, type StaffMember } from '../auth';
import { CaseStatistics, caseSettingsOf, type CaseStatisticsReport } from '../deferrals';
import { lastOsloWeeks } from '../shared/oslo-weeks';
import { TenancyService } from '../tenancy';
import { WritebackService } from '../writeback';
import { hoursSaved } from './overview-format';
import type { OverviewSelection, ServedMunicipality } from './overview-query';

export type WritebackFailures = Awaited<ReturnType<WritebackService['failureCounts']>>;

/** Everything the dashboard and its CSV show, for one selection. */
export interface OverviewFigures {
  selection: OverviewSelection;
  cases: CaseStatisticsReport;
  /** The same weeks as `cases.weeks`, the same order of municipalities. */
  failures: WritebackFailures;
  /** Per municipality (their minutes per manual case differ), in the selection's order. */
  hoursSaved: { municipality: ServedMunicipality; automatic: number; hours: number }[];
  totalHoursSaved: number;
  failedNow: number;
}

/** The dashboard's figures, for the municipalities a finance officer or policy approver serves. */
@Injectable()
export class OverviewService {
  constructor(
    private readonly tenancy: TenancyService,
    private readonly statistics: CaseStatistics,
    private readonly writeback: WritebackService,
  ) {}

  /**
   * Where the member of staff is a finance officer or a policy approver, by name: an
   * inter-municipal office's officer serves several.
   */
  async served(staff: StaffMember): Promise<ServedMunicipality[]> {
    const ids = new Set([
      ...municipalitiesWhere(staff, 'finance-officer'),
      ...municipalitiesWhere(staff, 'policy-approver'),
    ]);
    return (await this.tenancy.all())
      .filter((m) => ids.has(m.id))
      .map((m) => ({
        id: m.id,
        slug: m.slug,
        name: m.name,
        minutesPerManualCase: caseSettingsOf(m.settings).minutesPerManualCase,
      }))
      .sort((a, b) => a.name.localeCompare(b.name, 'nb'));
  }

  async figures(selection: OverviewSelection, now: Date = new Date()): Promise<OverviewFigures> {
    const ids = selection.municipalities.map((m) => m.id);
    const [first] = lastOsloWeeks(selection.weeks, now);
    const [cases, failures] = await Promise.all([
      this.statistics.forPeriod(ids, selection.weeks, now),
      this.writeback.failureCounts(ids, first.start, now),
    ]);
    const saved = selection.municipalities.map((municipality, i) => {
      const automatic = cases.municipalities[i].decidedAutomatically;
      return {
        municipality,
        automatic,
        hours: hoursSaved(automatic, municipality.minutesPerManualCase),
      };
    });
    return {
      selection,
      cases,
      failures,
      hoursSaved: saved,
      totalHoursSaved: saved.reduce((sum, s) => sum + s.hours, 0),
      failedNow: failures.municipalities.reduce((sum, m) => sum + m.failedNow, 0),
    };
  }
}
