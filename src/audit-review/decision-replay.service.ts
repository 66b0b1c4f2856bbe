import { MikroORM } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { dateParam, fromJsonColumn, queryRows } from '../database';
import type { DeferralRequest } from '../deferrals';
import { PolicyEngineService, PolicyVersion } from '../policy';
import { addDays, type IsoDate } from '../shared/calendar-date';
import { osloMidnight } from '../shared/oslo-weeks';
import { placeholders } from '../shared/oslo-weeks-sql';
import {
  DecisionReplayer,
  type RecordedDecision,
  type ReplayProblem,
  type ReplayResult,
} from './decision-replay';
import type { Difference } from './replay-comparison';

/**
 * The most decisions one batch replay takes on. It runs on the request thread (about half a
 * millisecond per decision through json-rules-engine, yielding between small slices), so a longer
 * period is refused with the count, and the page asks for a shorter one.
 */
export const MAX_BATCH_REPLAY = 5000;
const PAGE = 250;
const SLICE = 25;
const FIRST_UUID = '00000000-0000-0000-0000-000000000000';

export type BatchReplay =
  | { ok: false; tooMany: number }
  | {
      ok: true;
      total: number;
      agree: number;
      /** Each decision the replay does not give back, with what differs. */
      differ: { id: string; reference: string; differences: Difference[] }[];
      /** Each decision that could not be replayed at all, and why. */
      failed: {
        id: string;
        reference: string;
        problem: ReplayProblem;
        details: readonly string[];
      }[];
      durationMs: number;
    };

interface Row {
  id: string;
  reference: string;
  municipality_id: string;
  policy_version_id: string;
  facts: unknown;
  reasons: unknown;
  trace: unknown;
  outcome: RecordedDecision['outcome'];
  policy_outcome: RecordedDecision['policyOutcome'];
  new_due_date: string | null;
  requested_due_date: string;
  decided_by: string | null;
}

/** Replays recorded decisions with their recorded versions: one, or every one of a period. */
@Injectable()
export class DecisionReplayService {
  constructor(
    private readonly orm: MikroORM,
    private readonly engine: PolicyEngineService,
  ) {}

  /** One decision, and the stored version it names (null when there is none). */
  async replayOne(
    request: DeferralRequest,
  ): Promise<{ result: ReplayResult; version: PolicyVersion | null }> {
    const version = await this.orm.em.fork().findOne(PolicyVersion, {
      id: request.policyVersionId,
      municipalityId: request.municipalityId,
    });
    const replayer = new DecisionReplayer(this.engine, () => version ?? undefined);
    return { result: await replayer.replay(request), version };
  }

  /** Every decision asked for in [from, to] (Oslo days) in these municipalities. */
  async replayPeriod(
    municipalityIds: readonly string[],
    from: IsoDate,
    to: IsoDate,
  ): Promise<BatchReplay> {
    const started = performance.now();
    const where = `municipality_id in (${placeholders(municipalityIds.length)})
      and created_at >= ? and created_at < ?`;
    const params = [
      ...municipalityIds,
      dateParam(this.orm, osloMidnight(from)),
      dateParam(this.orm, osloMidnight(addDays(to, 1))),
    ];
    const [{ n }] = await queryRows<{ n: number | string }>(
      this.orm,
      `select count(*) as n from deferral_requests where ${where}`,
      params,
    );
    if (Number(n) > MAX_BATCH_REPLAY) return { ok: false, tooMany: Number(n) };
    const versions = await this.orm.em
      .fork()
      .find(PolicyVersion, { municipalityId: { $in: [...municipalityIds] } });
    const byKey = new Map(versions.map((v) => [`${v.municipalityId}/${v.id}`, v]));
    const replayer = new DecisionReplayer(this.engine, (municipalityId, id) =>
      byKey.get(`${municipalityId}/${id}`),
    );
    const report = { total: 0, agree: 0, differ: [], failed: [] } as Omit<
      Extract<BatchReplay, { ok: true }>,
      'ok' | 'durationMs'
    >;
    let after = FIRST_UUID;
    for (;;) {
      const rows = await queryRows<Row>(
        this.orm,
        `select id, reference, municipality_id, policy_version_id, facts, reasons, trace, outcome,
           policy_outcome, new_due_date, requested_due_date, decided_by
         from deferral_requests where ${where} and id > ? order by id limit ?`,
        [...params, after, PAGE],
      );
      for (let i = 0; i < rows.length; i++) {
        // Lets other requests in between: an evaluation's promises never leave the microtask queue.
        if (i % SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
        const recorded = recordedOf(rows[i]);
        const result = await replayer.replay(recorded);
        report.total += 1;
        const { id, reference } = recorded;
        if (!result.ok)
          report.failed.push({ id, reference, problem: result.problem, details: result.details });
        else if (result.differences.length > 0)
          report.differ.push({ id, reference, differences: result.differences });
        else report.agree += 1;
      }
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1].id;
    }
    return { ok: true, ...report, durationMs: Math.round(performance.now() - started) };
  }
}

function recordedOf(row: Row): RecordedDecision {
  return {
    id: row.id,
    reference: row.reference,
    municipalityId: row.municipality_id,
    policyVersionId: row.policy_version_id,
    facts: fromJsonColumn(row.facts),
    reasons: fromJsonColumn(row.reasons),
    trace: fromJsonColumn(row.trace),
    outcome: row.outcome,
    policyOutcome: row.policy_outcome,
    newDueDate: row.new_due_date,
    requestedDueDate: row.requested_due_date,
    decidedBy: row.decided_by,
  };
}
