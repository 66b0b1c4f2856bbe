import type { MikroORM } from '@mikro-orm/core';
import { dateParam, queryRows } from '../../database';
import { addDays, type IsoDate, osloDateAt } from '../../shared/calendar-date';
import type { SimulationPeriod } from './simulation.types';

/**
 * A municipality's past deferral requests, read for a simulation in keyset pages of `batchSize`
 * (ordered by reference, on the unique (municipality_id, reference) index), so memory stays flat
 * however many there are. The deferrals feature owns the table; this reads the recorded facts and
 * the few columns a simulation reports, by SQL, so the policy feature need not import deferrals
 * (which imports it).
 */
export class PastRequestsReader {
  private readonly where: string;
  private readonly params: unknown[];

  constructor(
    private readonly orm: MikroORM,
    municipalityId: string,
    period: SimulationPeriod,
    private readonly batchSize: number,
    private readonly dialect: 'sqlite' | 'postgresql',
  ) {
    const conditions = ['municipality_id = ?'];
    this.params = [municipalityId];
    if (period.from) {
      conditions.push('created_at >= ?');
      this.params.push(dateParam(orm, osloMidnight(period.from)));
    }
    if (period.to) {
      conditions.push('created_at < ?');
      this.params.push(dateParam(orm, osloMidnight(addDays(period.to, 1))));
    }
    this.where = conditions.join(' and ');
  }

  async count(): Promise<number> {
    const [row] = await queryRows<{ n: number | string }>(
      this.orm,
      `select count(*) as n from deferral_requests where ${this.where}`,
      this.params,
    );
    return Number(row.n);
  }

  /**
   * Each batch as one JSON text the database builds (see PastRequestTuple): the request thread
   * then only receives a string and hands it on, instead of decoding and copying rows.
   */
  async *batches(): AsyncGenerator<string> {
    // A request whose personal data the retention job removed has no identity number: it counts
    // as a resident of its own (by its reference) rather than all of them as one.
    const tuples =
      this.dialect === 'postgresql'
        ? 'json_agg(json_build_array(reference, pid, amount_ore, outcome, cast(facts as json)))::text'
        : 'json_group_array(json_array(reference, pid, amount_ore, outcome, json(facts)))';
    let after = '';
    for (;;) {
      const [batch] = await queryRows<{ n: number | string; last: string | null; rows: string }>(
        this.orm,
        `select count(*) as n, max(reference) as last, ${tuples} as rows
         from (select reference, coalesce(pid, reference) as pid, amount_ore, outcome, facts from deferral_requests
               where ${this.where} and reference > ? order by reference limit ?) batch`,
        [...this.params, after, this.batchSize],
      );
      const count = Number(batch.n);
      if (count === 0 || batch.last === null) return;
      after = batch.last;
      yield batch.rows;
      if (count < this.batchSize) return;
    }
  }
}

/** The instant an Oslo calendar day begins (Oslo changes its clocks at 02:00/03:00, never at midnight). */
export function osloMidnight(date: IsoDate): Date {
  const utcMidnight = Date.parse(`${date}T00:00:00Z`);
  for (const offsetHours of [2, 1]) {
    const candidate = new Date(utcMidnight - offsetHours * 3_600_000);
    if (osloDateAt(candidate) === date) return candidate;
  }
  throw new RangeError(`no Oslo midnight for ${date}`);
}
