import { MikroORM } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { AuditEntry } from '../audit';
import type { DeferralRequest, OfficerCase } from '../deferrals';
import type { DecisionReason } from '../policy';
import { addDays, todayInNorway } from '../shared/calendar-date';
import { canonicalJson } from '../shared/canonical-json';
import type { Language } from '../shared/request-context';
import { TenancyService } from '../tenancy';
import { ALL, QueryReader } from './audit-query';
import { options, problemModel, typedValues } from './audit-form';
import { MAX_BATCH_REPLAY, DecisionReplayService } from './decision-replay.service';
import type { Difference, PolicyVerdict } from './replay-comparison';

const BASE = '/revisjon';
/** The period the batch replay's form suggests: the last 30 days. */
const SUGGESTED_DAYS = 30;

function verdictView(verdict: PolicyVerdict, reasons: readonly DecisionReason[], lang: Language) {
  return {
    ...verdict,
    reasons: verdict.reasonCodes.map((code) => {
      const reason = reasons.find((r) => r.code === code);
      return { code, text: reason ? (reason.text[lang] ?? reason.text.nb) : null };
    }),
  };
}

function differenceView(d: Difference) {
  return {
    ...d,
    isOutcome: d.what === 'outcome',
    isDate: d.what === 'newDueDate',
  };
}

/** The replay pages' models: one decision recorded against now, and a period's tally. */
@Injectable()
export class ReplayPages {
  constructor(
    private readonly orm: MikroORM,
    private readonly replay: DecisionReplayService,
    private readonly tenancy: TenancyService,
  ) {}

  async one(found: OfficerCase, lang: Language) {
    const { request } = found;
    const [{ result, version }, chain] = await Promise.all([
      this.replay.replayOne(request),
      this.chainedFacts(request),
    ]);
    return {
      titleKey: 'audit.replay.title',
      id: request.id,
      reference: request.reference,
      decisionHref: `${BASE}/beslutninger/${request.id}`,
      byOfficer: request.decidedBy !== null,
      officer: request.decidedBy ? (request.decidedByName ?? request.decidedBy) : null,
      finalOutcome: request.outcome,
      version: version && {
        policyId: version.policyId,
        version: version.version,
        hash: version.hash,
      },
      chain,
      result: result.ok
        ? {
            same: result.differences.length === 0,
            recorded: verdictView(result.recorded, request.reasons, lang),
            now: verdictView(result.now, result.decision.reasons, lang),
            differences: result.differences.map(differenceView),
          }
        : null,
      problem: result.ok ? null : { key: result.problem, details: result.details },
    };
  }

  async period(served: readonly string[], current: string, query: Record<string, unknown>) {
    const read = new QueryReader(query);
    const municipalities = read.municipalities('kommune', served, current);
    const { from, to } = read.period('fra', 'til');
    const asked = query.fra !== undefined || query.til !== undefined;
    if (asked && !from && !read.problems.some((p) => p.field === 'fra'))
      read.problem('fra', 'missing');
    if (asked && !to && !read.problems.some((p) => p.field === 'til'))
      read.problem('til', 'missing');
    let report;
    let tooMany: number | undefined;
    if (asked && from && to && read.problems.length === 0) {
      const batch = await this.replay.replayPeriod(municipalities.ids, from, to);
      if (batch.ok) report = batch;
      else {
        tooMany = batch.tooMany;
        read.problem('fra', 'tooMany');
      }
    }
    const today = todayInNorway();
    const all = (await this.tenancy.all()).filter((m) => served.includes(m.id));
    return {
      titleKey: 'audit.batch.title',
      several: all.length > 1,
      municipalityField: all.length > 1 || read.problems.some((p) => p.field === 'kommune'),
      municipalities: options(
        [
          ...all.map((m) => ({ value: m.id, label: m.name })),
          ...(all.length > 1 ? [{ value: ALL, label: '' }] : []),
        ],
        municipalities.choice,
      ),
      values: asked ? typedValues(query) : { fra: addDays(today, -SUGGESTED_DAYS), til: today },
      ...problemModel(read.problems),
      tooMany,
      maxBatch: MAX_BATCH_REPLAY,
      report: report && {
        ...report,
        allAgree: report.differ.length === 0 && report.failed.length === 0,
        differ: report.differ.map((d) => ({
          ...d,
          href: `${BASE}/beslutninger/${d.id}/etterprov`,
          differences: d.differences.map(differenceView),
        })),
        failed: report.failed.map((f) => ({
          ...f,
          href: `${BASE}/beslutninger/${f.id}/etterprov`,
        })),
      },
    };
  }

  /**
   * Whether the facts stored with the request are still those the decision's audit entry chained:
   * the replay uses the stored ones, so a change to them after the decision shows here as well.
   */
  private async chainedFacts(request: DeferralRequest) {
    const entry = await this.orm.em
      .fork()
      .findOne(
        AuditEntry,
        { municipalityId: request.municipalityId, subjectId: request.id, type: 'deferral.decided' },
        { orderBy: { seq: 'asc' } },
      );
    if (!entry) return null;
    const chained = (entry.payload as { facts?: unknown }).facts;
    return { seq: entry.seq, same: canonicalJson(chained) === canonicalJson(request.facts) };
  }
}
