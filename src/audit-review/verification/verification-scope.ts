import type { MikroORM } from '@mikro-orm/core';
import { dateParam, queryRows, rowDate } from '../../database';
import { addDays, type IsoDate } from '../../shared/calendar-date';
import { osloMidnight } from '../../shared/oslo-weeks';
import type { VerificationScope } from './verification-outcome';

export interface VerificationPeriod {
  /** Oslo calendar dates, both included; either may be left out. */
  readonly from?: IsoDate;
  readonly to?: IsoDate;
}

/**
 * The entries a run checks for a period, read from the entries' times (Oslo dates). A period's
 * entries cannot be judged on their own: each hash stands on the one before it. So the run starts
 * at the chain's first entry, or, for a period with a start, right after the last signed
 * checkpoint before the period (its signature vouches for the chain up to there), and goes on to
 * the period's last entry; the entry after that must link to it. Without an end it goes to the
 * newest entry.
 */
export async function scopeFor(
  orm: MikroORM,
  municipalityId: string,
  period: VerificationPeriod,
): Promise<VerificationScope> {
  const one = async <T extends object>(sql: string, params: unknown[]) =>
    (await queryRows<T>(orm, sql, params))[0];
  const head = await one<{ seq: number | string }>(
    'select seq from audit_chain_heads where municipality_id = ?',
    [municipalityId],
  );
  const headSeq = Number(head?.seq ?? 0);
  const end = period.to ? osloMidnight(addDays(period.to, 1)) : undefined;
  const lastSeq = end
    ? Number(
        (
          await one<{ seq: number | string | null }>(
            'select max(seq) as seq from audit_entries where municipality_id = ? and created_at < ?',
            [municipalityId, dateParam(orm, end)],
          )
        )?.seq ?? 0,
      )
    : headSeq;
  let periodFirst: number | null = period.from || period.to ? 1 : null;
  if (period.from) {
    const found = await one<{ seq: number | string | null }>(
      'select min(seq) as seq from audit_entries where municipality_id = ? and created_at >= ?',
      [municipalityId, dateParam(orm, osloMidnight(period.from))],
    );
    periodFirst = found?.seq == null ? null : Number(found.seq);
  }
  const inPeriod = periodFirst !== null && periodFirst <= lastSeq;
  const anchor = period.from
    ? await one<{ seq: number | string; created_at: unknown }>(
        `select seq, created_at from audit_checkpoints
         where municipality_id = ? and seq <= ? order by seq desc limit 1`,
        [municipalityId, inPeriod ? periodFirst! - 1 : lastSeq],
      )
    : undefined;
  const anchorSeq = anchor ? Number(anchor.seq) : 0;
  return {
    firstSeq: anchorSeq + 1,
    lastSeq,
    anchor: anchor ? { seq: anchorSeq, at: rowDate(anchor.created_at).toISOString() } : null,
    period: inPeriod ? { firstSeq: periodFirst!, lastSeq } : null,
    toHead: lastSeq >= headSeq,
  };
}
