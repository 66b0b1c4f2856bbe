import type { MikroORM } from '@mikro-orm/core';
import { BasePostgreSqlPlatform } from '@mikro-orm/sql';
import { dateParam, queryRows } from '../database';
import { type OsloWeek, osloWeeksSince } from '../shared/oslo-weeks';
import { osloWeekIndexSql, placeholders } from '../shared/oslo-weeks-sql';

/** For the dashboard: write-backs that failed, per Oslo week, and those failed now. */
export interface WritebackFailureCounts {
  /** From the week `since` falls in to this one. */
  weeks: OsloWeek[];
  /** In the order asked for. */
  municipalities: { municipalityId: string; failedPerWeek: number[]; failedNow: number }[];
}

/**
 * Failures are counted by when the job last failed for good (`failed_at`), whatever became of it
 * since (retried, resolved by hand), off the (municipality_id, failed_at) index: without it each
 * count read every job of the municipality (bench/results/NOTES.md). "Failed now" is the jobs
 * still `failed`, on the (municipality_id, status) index.
 */
export async function countFailures(
  orm: MikroORM,
  municipalityIds: readonly string[],
  since: Date,
  now: Date,
): Promise<WritebackFailureCounts> {
  if (municipalityIds.length === 0) throw new RangeError('no municipality asked for');
  const weeks = osloWeeksSince(since, now);
  const param = (instant: Date) => dateParam(orm, instant);
  const dialect = orm.em.getPlatform() instanceof BasePostgreSqlPlatform ? 'postgresql' : 'sqlite';
  const week = osloWeekIndexSql('failed_at', weeks, dialect, param);
  const ids = placeholders(municipalityIds.length);
  const [perWeek, failedNow] = await Promise.all([
    queryRows<{ municipality_id: string; idx: number | string; n: number | string }>(
      orm,
      `select municipality_id, idx, count(*) as n from (
         select municipality_id, ${week.sql} as idx from writeback_jobs
         where municipality_id in (${ids}) and failed_at >= ? and failed_at < ?
       ) failures group by municipality_id, idx`,
      [...week.params, ...municipalityIds, param(weeks[0].start), param(weeks.at(-1)!.end)],
    ),
    queryRows<{ municipality_id: string; n: number | string }>(
      orm,
      `select municipality_id, count(*) as n from writeback_jobs
       where municipality_id in (${ids}) and status = 'failed' group by municipality_id`,
      [...municipalityIds],
    ),
  ]);
  const municipalities = municipalityIds.map((municipalityId) => ({
    municipalityId,
    failedPerWeek: weeks.map(() => 0),
    failedNow: 0,
  }));
  const byId = new Map(municipalities.map((m) => [m.municipalityId, m]));
  for (const row of perWeek)
    byId.get(row.municipality_id)!.failedPerWeek[Number(row.idx)] = Number(row.n);
  for (const row of failedNow) byId.get(row.municipality_id)!.failedNow = Number(row.n);
  return { weeks, municipalities };
}
