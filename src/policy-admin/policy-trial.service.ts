import { Injectable } from '@nestjs/common';
import {
  CHANGED_KEPT,
  type Decision,
  type LocalizedText,
  parseCount,
  parseKroner,
  type PolicyError,
  PolicyDraftsService,
  SimulationService,
  traceRules,
  type TryPolicyResult,
} from '../policy';
import { addDays, daysBetween, isIsoDate, todayInNorway } from '../shared/calendar-date';
import type { Language } from '../shared/request-context';
import { MalformedFormError } from './form-fields';

/** Facts an officer types for a case of their own; the day counts follow from the three dates. */
const HAND_FIELDS = [
  { name: 'amount', kind: 'kroner' },
  {
    name: 'invoiceType',
    kind: 'choice',
    options: ['VANN_AVLOP', 'RENOVASJON', 'BARNEHAGE', 'SFO', 'EIENDOMSSKATT', 'OTHER'],
  },
  {
    name: 'invoiceStatus',
    kind: 'choice',
    options: ['IKKE_BETALT', 'BETALT', 'INKASSOVARSEL', 'SENDT_INKASSO', 'INKASSO'],
  },
  { name: 'inCollection', kind: 'yesno' },
  { name: 'alreadyDeferred', kind: 'yesno' },
  { name: 'today', kind: 'date' },
  { name: 'dueDate', kind: 'date' },
  { name: 'requestedDueDate', kind: 'date' },
  { name: 'deferralsLast6Months', kind: 'count' },
  { name: 'deferralsLast12Months', kind: 'count' },
  { name: 'unpaidInvoiceCount', kind: 'count' },
  { name: 'unpaidTotal', kind: 'kroner' },
  { name: 'latePaymentsLast12Months', kind: 'count' },
  { name: 'remindersLast12Months', kind: 'count' },
  { name: 'collectionCasesLast24Months', kind: 'count' },
] as const;
type HandField = (typeof HAND_FIELDS)[number];

const START_WAIT_MS = 15_000;
const PAGE_WAIT_MS = 5_000;

function defaults(): Record<string, string> {
  const today = todayInNorway();
  const due = addDays(today, 10);
  return {
    amount: '1 850,00',
    invoiceType: 'VANN_AVLOP',
    invoiceStatus: 'IKKE_BETALT',
    inCollection: 'no',
    alreadyDeferred: 'no',
    today,
    dueDate: due,
    requestedDueDate: addDays(due, 14),
    deferralsLast6Months: '0',
    deferralsLast12Months: '0',
    unpaidInvoiceCount: '1',
    unpaidTotal: '1 850,00',
    latePaymentsLast12Months: '0',
    remindersLast12Months: '0',
    collectionCasesLast24Months: '0',
  };
}

function text(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new MalformedFormError(name);
  return value.trim();
}

/** A field's problem: the parsers' own text (amounts, counts), or a key of the page's texts. */
export type FieldProblem = { text: LocalizedText } | { key: string };

/** The typed fields as facts, or the problem of each field that is not what it should be. */
function parseHandFacts(
  values: Record<string, string>,
):
  | { ok: true; facts: Record<string, unknown> }
  | { ok: false; errors: Record<string, FieldProblem> } {
  const errors: Record<string, FieldProblem> = {};
  const facts: Record<string, unknown> = {};
  for (const f of HAND_FIELDS as readonly HandField[]) {
    const raw = values[f.name] ?? '';
    switch (f.kind) {
      case 'kroner':
      case 'count': {
        // The same reading of "1 850,00" and "3" as the policy's parameters form.
        const parsed = f.kind === 'kroner' ? parseKroner(raw) : parseCount(raw);
        const name =
          f.name === 'amount' ? 'amountOre' : f.name === 'unpaidTotal' ? 'unpaidTotalOre' : f.name;
        if (parsed.ok) facts[name] = parsed.value;
        else errors[f.name] = { text: parsed.message };
        break;
      }
      case 'date':
        if (!isIsoDate(raw)) errors[f.name] = { key: 'staffPolicy.try.errors.date' };
        else facts[f.name] = raw;
        break;
      case 'yesno':
        if (raw !== 'yes' && raw !== 'no')
          errors[f.name] = { key: 'staffPolicy.try.errors.choice' };
        else facts[f.name] = raw === 'yes';
        break;
      case 'choice':
        if (!(f.options as readonly string[]).includes(raw))
          errors[f.name] = { key: 'staffPolicy.try.errors.choice' };
        else facts[f.name] = raw;
        break;
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const today = facts.today as string;
  const due = facts.dueDate as string;
  const requested = facts.requestedDueDate as string;
  facts.daysUntilDue = daysBetween(today, due);
  facts.daysPastDue = Math.max(0, daysBetween(due, today));
  facts.requestedDays = daysBetween(due, requested);
  return { ok: true, facts };
}

function decisionView(decision: Decision, lang: Language) {
  return {
    outcome: decision.outcome,
    newDueDate: decision.newDueDate,
    version: `${decision.policyVersion} (${decision.policyHash.slice(0, 12)})`,
    reasons: decision.reasons.map((r) => r.text[lang] ?? r.text.nb),
    fired: decision.trace.filter((r) => r.fired).map((r) => r.name),
    rules: traceRules(decision.trace),
  };
}

const show = (v: unknown) => (v === undefined ? '–' : JSON.stringify(v));

/** Trying a draft on one case, and simulating it over the municipality's past requests. */
@Injectable()
export class PolicyTrialService {
  constructor(
    private readonly drafts: PolicyDraftsService,
    private readonly simulations: SimulationService,
  ) {}

  async tryPage(
    municipalityId: string,
    draftId: string,
    query: Record<string, unknown>,
    lang: Language,
  ) {
    const draft = await this.drafts.get(municipalityId, draftId);
    const reference = text(query, 'referanse');
    const values: Record<string, string> = defaults();
    for (const f of HAND_FIELDS) {
      const v = text(query, f.name);
      if (v !== undefined) values[f.name] = v;
    }
    let result: TryPolicyResult | undefined;
    let fieldErrors: Record<string, FieldProblem> = {};
    let referenceError: string | undefined;
    if (reference !== undefined && reference !== '') {
      result = await this.simulations.tryOnRequest(municipalityId, draft.text, reference);
      if (!result) referenceError = 'unknownReference';
    } else if (text(query, 'kjor') === '1') {
      const parsed = parseHandFacts(values);
      if (parsed.ok)
        result = await this.simulations.tryOnFacts(municipalityId, draft.text, parsed.facts);
      else fieldErrors = parsed.errors;
    }
    // Shown as a text where the parser wrote one, else by its key in the page's texts.
    const shown = (problem: FieldProblem) =>
      'text' in problem ? { text: problem.text[lang] } : { key: problem.key };
    const errors = [
      ...(referenceError
        ? [{ field: 'referanse', key: `staffPolicy.try.errors.${referenceError}` }]
        : []),
      ...Object.entries(fieldErrors).map(([field, problem]) => ({ field, ...shown(problem) })),
    ];
    return {
      titleKey: 'staffPolicy.try.title',
      staffArea: true,
      draft: { id: draft.id, kind: draft.kind, status: draft.status },
      reference: reference ?? '',
      fields: HAND_FIELDS.map((f) => ({
        name: f.name,
        kind: f.kind,
        value: values[f.name],
        options:
          f.kind === 'choice'
            ? f.options.map((o) => ({ value: o, selected: o === values[f.name] }))
            : f.kind === 'yesno'
              ? ['no', 'yes'].map((o) => ({ value: o, selected: o === values[f.name] }))
              : undefined,
        error: fieldErrors[f.name] ? shown(fieldErrors[f.name]) : undefined,
      })),
      errors,
      refusal: result && !result.ok ? refusalOf(result) : undefined,
      result:
        result && result.ok
          ? {
              facts: Object.entries(result.facts).map(([name, value]) => ({
                name,
                value: show(value),
              })),
              active: decisionView(result.active, lang),
              draft: decisionView(result.draft, lang),
              outcomeChanged: result.outcomeChanged,
            }
          : undefined,
    };
  }

  async simulationForm(municipalityId: string, draftId: string) {
    const draft = await this.drafts.get(municipalityId, draftId);
    return {
      titleKey: 'staffPolicy.simulation.title',
      staffArea: true,
      draft: { id: draft.id, kind: draft.kind, status: draft.status },
      form: true,
    };
  }

  async start(
    municipalityId: string,
    draftId: string,
    period: { from: string; to: string },
  ): Promise<{ ok: true; jobId: string } | { ok: false; errors: string[] }> {
    const draft = await this.drafts.get(municipalityId, draftId);
    const started = await this.simulations.start(municipalityId, draft.text, {
      ...(period.from.trim() ? { from: period.from.trim() } : {}),
      ...(period.to.trim() ? { to: period.to.trim() } : {}),
    });
    if (started.ok) {
      // A run takes a few seconds: wait for it (up to 15 s), so the answer usually is the result.
      await this.simulations.waitFor(municipalityId, started.job.id, START_WAIT_MS);
      return { ok: true, jobId: started.job.id };
    }
    if (started.refused === 'period') return { ok: false, errors: [started.problem] };
    return {
      ok: false,
      errors: started.errors.map((e: PolicyError) => `${e.path || '/'}: ${e.message}`),
    };
  }

  async simulationPage(municipalityId: string, draftId: string, jobId: string) {
    const draft = await this.drafts.get(municipalityId, draftId);
    const base = {
      titleKey: 'staffPolicy.simulation.title',
      staffArea: true,
      draft: { id: draft.id, kind: draft.kind, status: draft.status },
    };
    // No automatic reload (axe: meta-refresh fails WCAG 2.2.1): each visit waits up to 5 s for
    // the result, and a running simulation's page offers a link to look again.
    const status = await this.simulations.waitFor(municipalityId, jobId, PAGE_WAIT_MS);
    if (!status) return { ...base, notFound: true, form: true };
    const versions = status.versions;
    if (status.state === 'running') {
      const percent = status.total ? Math.floor((100 * status.done) / status.total) : 0;
      return {
        ...base,
        versions,
        running: { done: status.done, total: status.total ?? 0, percent },
      };
    }
    if (status.state === 'failed') return { ...base, versions, failed: status.error, form: true };
    const r = status.result;
    // The result lists the newest changed cases (CHANGED_KEPT); the count covers them all. (One
    // stored by an earlier release listed every case.)
    const cases = r.changed.cases.slice(0, CHANGED_KEPT);
    const share = (s: number | null) => (s === null ? '–' : `${Math.round(s * 1000) / 10} %`);
    return {
      ...base,
      versions,
      durationSeconds: Math.round(status.durationMs / 100) / 10,
      result: {
        total: r.total,
        evaluated: r.evaluated,
        rows: (['approved', 'rejected', 'manual_review'] as const).map((o) => ({
          outcome: o,
          active: r.active.outcomes[o],
          draft: r.draft.outcomes[o],
          diff: r.draft.outcomes[o] - r.active.outcomes[o],
        })),
        activeShare: share(r.active.automaticShare),
        draftShare: share(r.draft.automaticShare),
        activeApprovedOre: r.active.approvedAmountOre,
        draftApprovedOre: r.draft.approvedAmountOre,
        changed: {
          count: r.changed.count,
          amountOre: r.changed.amountOre,
          residents: r.changed.residents,
          transitions: r.changed.transitions,
          cases,
          more: Math.max(0, r.changed.count - cases.length),
        },
        unevaluable: r.unevaluable,
      },
    };
  }
}

function refusalOf(result: Exclude<TryPolicyResult, { ok: true }>) {
  if (result.refused === 'facts')
    return { key: 'staffPolicy.try.refusedFacts', problems: result.problems };
  return {
    key:
      result.refused === 'draft' ? 'staffPolicy.try.refusedDraft' : 'staffPolicy.try.refusedActive',
    problems: result.errors.map((e) => `${e.path || '/'}: ${e.message}`),
  };
}
