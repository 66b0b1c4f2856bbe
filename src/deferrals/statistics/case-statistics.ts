import { MikroORM } from '@mikro-orm/core';
import { BasePostgreSqlPlatform } from '@mikro-orm/sql';
import { Injectable } from '@nestjs/common';
import { dateParam, queryRows } from '../../database';
import { lastOsloWeeks, type OsloWeek } from '../../shared/oslo-weeks';
import { osloWeekIndexSql, placeholders } from '../../shared/oslo-weeks-sql';
import { OPEN_CASE_STATUSES } from '../deferral-request.entity';
import { percentile } from './percentile';
import {
  addOutcomes,
  AGE_BANDS,
  type CaseFigures,
  type CaseStatisticsReport,
  type MunicipalityCaseFigures,
  noOpenCases,
  type OutcomeKind,
  noOutcomes,
} from './case-statistics.types';

const DAY_MS = 86_400_000;
const OPEN = OPEN_CASE_STATUSES.map((s) => `'${s}'`).join(', ');

interface WeekRow {
  municipality_id: string;
  idx: number | string;
  status: string;
  outcome: string;
  by_officer: number | string;
  n: number | string;
}

/** Decided by the policy (no `decidedBy`), by an officer, or not decided for good yet. */
function kindOf(row: WeekRow): OutcomeKind {
  if (row.status !== 'decided') return 'open';
  const byOfficer = Number(row.by_officer) === 1;
  if (row.outcome === 'approved') return byOfficer ? 'approvedByOfficer' : 'approvedAutomatically';
  if (row.outcome === 'rejected') return byOfficer ? 'rejectedByOfficer' : 'rejectedAutomatically';
  // Decided, yet manual review and no officer: none since the case-work migration; it waits.
  return 'open';
}

/**
 * The dashboard's figures about requests, counted by the database (GROUP BY), never by loading
 * rows: per Oslo week by outcome, the time officers take, and the open cases by age. A case counts
 * as decided automatically when the policy's decision stands (`status = 'decided'`, no
 * `decidedBy`), by an officer when one decided it; everything else is still open.
 */
@Injectable()
export class CaseStatistics {
  constructor(private readonly orm: MikroORM) {}

  /** For the `weeks` Oslo weeks up to and including this one. */
  async forPeriod(
    municipalityIds: readonly string[],
    weeks: number,
    now: Date = new Date(),
  ): Promise<CaseStatisticsReport> {
    if (municipalityIds.length === 0) throw new RangeError('no municipality asked for');
    const period = lastOsloWeeks(weeks, now);
    const [weekRows, durations, openRows] = await Promise.all([
      this.perWeek(municipalityIds, period),
      this.decisionDurations(municipalityIds, period),
      this.openByAge(municipalityIds, now),
    ]);
    const municipalities = municipalityIds.map((municipalityId): MunicipalityCaseFigures => ({
      municipalityId,
      ...emptyFigures(period.length),
    }));
    const byId = new Map(municipalities.map((m) => [m.municipalityId, m]));
    for (const row of weekRows)
      byId.get(row.municipality_id)!.weeks[Number(row.idx)][kindOf(row)] += Number(row.n);
    for (const row of openRows) {
      const band = AGE_BANDS[Number(row.band)].key;
      byId.get(row.municipality_id)!.openByAge[band] = Number(row.n);
    }
    for (const figures of municipalities) settle(figures);
    return {
      weeks: period,
      municipalities,
      combined: combine(municipalities, period.length),
      timeToDecision: {
        decisions: durations.length,
        medianMs: wholeMs(percentile(durations, 0.5)),
        p90Ms: wholeMs(percentile(durations, 0.9)),
      },
    };
  }

  private get dialect(): 'postgresql' | 'sqlite' {
    return this.orm.em.getPlatform() instanceof BasePostgreSqlPlatform ? 'postgresql' : 'sqlite';
  }

  private param = (instant: Date) => dateParam(this.orm, instant);

  /**
   * One index-only range scan of the period on the dashboard's covering index (municipality_id,
   * created_at, status, outcome, decided_by, …), grouped by Oslo week and by what became of the
   * request. Measured on 100,000 requests (bench/results/NOTES.md): reading the rows themselves
   * (~1.5 kB each with their facts and trace) made the 12-week page take 0.6–0.7 s.
   */
  private perWeek(ids: readonly string[], period: OsloWeek[]): Promise<WeekRow[]> {
    const week = osloWeekIndexSql('created_at', period, this.dialect, this.param);
    return queryRows<WeekRow>(
      this.orm,
      `select municipality_id, idx, status, outcome, by_officer, count(*) as n from (
         select municipality_id, ${week.sql} as idx, status, outcome,
           case when decided_by is null then 0 else 1 end as by_officer
         from deferral_requests
         where municipality_id in (${placeholders(ids.length)})
           and created_at >= ? and created_at < ?
       ) requests group by municipality_id, idx, status, outcome, by_officer`,
      [...week.params, ...ids, this.param(period[0].start), this.param(period.at(-1)!.end)],
    );
  }

  /**
   * Milliseconds from coming to a person to the officer's decision, sorted: a short list (the
   * cases a person decided in the period), so the percentiles are taken here, alike on both
   * databases (SQLite has no percentile function).
   */
  private async decisionDurations(ids: readonly string[], period: OsloWeek[]): Promise<number[]> {
    // Off the covering index, which holds both moments and the status. The status is checked
    // here, not in SQL: with `status = 'decided'` there, SQLite (with ANALYZE statistics) took
    // the (municipality_id, status, sent_to_officer_at) index and read every decided row's
    // table entry, 118 ms instead of 15 ms for a year of 100,000 requests.
    const duration =
      this.dialect === 'postgresql'
        ? `(date_part('epoch', decided_at) - date_part('epoch', sent_to_officer_at)) * 1000`
        : 'decided_at - sent_to_officer_at';
    const rows = await queryRows<{ status: string; ms: number | string }>(
      this.orm,
      `select status, ${duration} as ms from deferral_requests
       where municipality_id in (${placeholders(ids.length)})
         and created_at >= ? and created_at < ?
         and decided_by is not null and decided_at is not null and sent_to_officer_at is not null
       order by 2`,
      [...ids, this.param(period[0].start), this.param(period.at(-1)!.end)],
    );
    return rows.filter((row) => row.status === 'decided').map((row) => Number(row.ms));
  }

  /** The open cases, whenever they were made: few, on an index that leads with the municipality. */
  private openByAge(ids: readonly string[], now: Date) {
    const since = `coalesce(sent_to_officer_at, created_at)`;
    const bands = AGE_BANDS.slice(1)
      .map((band, i) => `when ${since} > ? then ${i}`)
      .join(' ');
    return queryRows<{ municipality_id: string; band: number | string; n: number | string }>(
      this.orm,
      `select municipality_id, band, count(*) as n from (
         select municipality_id, case ${bands} else ${AGE_BANDS.length - 1} end as band
         from deferral_requests
         where municipality_id in (${placeholders(ids.length)}) and status in (${OPEN})
       ) open_cases group by municipality_id, band`,
      [
        ...AGE_BANDS.slice(1).map((band) =>
          this.param(new Date(now.getTime() - band.fromDays * DAY_MS)),
        ),
        ...ids,
      ],
    );
  }
}

const wholeMs = (ms: number | null) => (ms === null ? null : Math.round(ms));

function emptyFigures(weeks: number): CaseFigures {
  return {
    weeks: Array.from({ length: weeks }, noOutcomes),
    totals: noOutcomes(),
    requests: 0,
    decidedAutomatically: 0,
    openByAge: noOpenCases(),
  };
}

/** Totals from the weeks. */
function settle(figures: CaseFigures): void {
  figures.totals = figures.weeks.reduce((sum, week) => addOutcomes(sum, week), noOutcomes());
  const t = figures.totals;
  figures.decidedAutomatically = t.approvedAutomatically + t.rejectedAutomatically;
  figures.requests =
    figures.decidedAutomatically + t.approvedByOfficer + t.rejectedByOfficer + t.open;
}

function combine(list: readonly CaseFigures[], weeks: number): CaseFigures {
  const all = emptyFigures(weeks);
  for (const figures of list) {
    figures.weeks.forEach((week, i) => addOutcomes(all.weeks[i], week));
    for (const band of AGE_BANDS) all.openByAge[band.key] += figures.openByAge[band.key];
  }
  settle(all);
  return all;
}
