import type { MikroORM } from '@mikro-orm/core';
import { BasePostgreSqlPlatform } from '@mikro-orm/sql';
import { dateParam, queryRows } from '../database';
import { type OsloWeek, osloWeeksSince } from '../shared/oslo-weeks';
import { placeholders, weeksCte } from '../shared/oslo-weeks-sql';

/** For the dashboard: write-backs that failed, per Oslo week, and those failed now. */
export interface WritebackFailureCounts {
  /** From the week `since` falls in to this one. */
  weeks: OsloWeek[];
  /** In the order asked for. */
  municipalities: { municipalityId: string; failedPerWeek: number[]; failedNow: number }[];
}

/**
 * Failures are counted by when the job last failed for good (`failed_at`), whatever became of it
 * since (retried, resolved by hand); "failed now" is the jobs still `failed`, on the
 * (municipality_id, status) index.
 */
export async function countFailures(
  orm: MikroORM,
  municipalityIds: readonly string[],
  since: Date,
  now: Date,
): Promise<WritebackFailureCounts> {
  if (municipalityIds.length === 0) throw new RangeError('no municipality asked for');
  const weeks = osloWeeksSince(since, now);
  const postgres = orm.em.getPlatform() instanceof BasePostgreSqlPlatform;
  const cte = weeksCte('w', weeks, (d) => dateParam(orm, d), postgres ? 'timestamptz' : undefined);
  const ids = placeholders(municipalityIds.length);
  const [perWeek, failedNow] = await Promise.all([
    queryRows<{ municipality_id: string; idx: number | string; n: number | string }>(
      orm,
      `with ${cte.sql}
       select j.municipality_id, w.idx, count(*) as n
       from w join writeback_jobs j on j.failed_at >= w.starts and j.failed_at < w.ends
       where j.municipality_id in (${ids})
       group by j.municipality_id, w.idx`,
      [...cte.params, ...municipalityIds],
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
