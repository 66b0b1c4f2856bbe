import {
  CompiledPolicy,
  type Decision,
  type DecisionReason,
  type DeferralFacts,
  InvalidFactsError,
  loadPolicy,
  type Outcome,
  type PolicyEngineService,
  type PolicyVersion,
  type RuleTrace,
} from '../policy';
import { compareVerdicts, type Difference, type PolicyVerdict } from './replay-comparison';

/** A decision as stored with its request: what the policy saw and said, and who decided after. */
export interface RecordedDecision {
  id: string;
  reference: string;
  municipalityId: string;
  policyVersionId: string;
  facts: unknown;
  reasons: readonly DecisionReason[];
  trace: readonly RuleTrace[];
  /** The outcome in force (an officer's, once one decided). */
  outcome: Outcome;
  /** The policy's own; null only on rows from before the case-work migration (then `outcome`). */
  policyOutcome: Outcome | null;
  newDueDate: string | null;
  requestedDueDate: string;
  decidedBy: string | null;
}

/** Why a decision could not be replayed at all (which is itself a finding). */
export type ReplayProblem =
  /** No stored version under the id the decision names. */
  | 'versionMissing'
  /** The stored text no longer loads as a policy. */
  | 'versionInvalid'
  /** The stored text no longer hashes to the version's stored hash: it was rewritten. */
  | 'versionHash'
  /** The recorded facts no longer pass the fact check. */
  | 'facts';

export type ReplayResult =
  | {
      ok: true;
      recorded: PolicyVerdict;
      now: PolicyVerdict;
      /** The replay's whole decision (reasons' texts, trace). */
      decision: Decision;
      differences: Difference[];
    }
  | { ok: false; problem: ReplayProblem; details: readonly string[] };

/** What the policy itself decided, as recorded: an officer's later decision is not the policy's. */
export function recordedVerdict(recorded: RecordedDecision): PolicyVerdict {
  const outcome = recorded.policyOutcome ?? recorded.outcome;
  // The stored due date is the officer's once one decided; the policy's follows from its outcome.
  const newDueDate =
    recorded.decidedBy === null
      ? recorded.newDueDate
      : outcome === 'approved'
        ? recorded.requestedDueDate
        : null;
  return {
    outcome,
    newDueDate,
    reasonCodes: recorded.reasons.map((r) => r.code),
    firedRules: recorded.trace.filter((r) => r.fired).map((r) => r.name),
  };
}

function verdictOf(decision: Decision): PolicyVerdict {
  return {
    outcome: decision.outcome,
    newDueDate: decision.newDueDate,
    reasonCodes: decision.reasons.map((r) => r.code),
    firedRules: decision.trace.filter((r) => r.fired).map((r) => r.name),
  };
}

type Compiled = { ok: true; policy: CompiledPolicy } | { ok: false; problem: ReplayProblem };

/**
 * Re-runs recorded decisions with the version each recorded, through json-rules-engine itself
 * (the engine of record; residents' decisions use the compiled rules that are held to it), and
 * compares with what was recorded. One per page or per batch: it keeps each version it compiled.
 */
export class DecisionReplayer {
  private readonly compiled = new Map<string, Compiled>();

  constructor(
    private readonly engine: PolicyEngineService,
    /** The municipality's stored version of that id. */
    private readonly versionOf: (municipalityId: string, id: string) => PolicyVersion | undefined,
  ) {}

  async replay(recorded: RecordedDecision): Promise<ReplayResult> {
    const compiled = this.compile(recorded.municipalityId, recorded.policyVersionId);
    if (!compiled.ok) return { ok: false, problem: compiled.problem, details: [] };
    let decision: Decision;
    try {
      decision = await this.engine.evaluate(recorded.facts as DeferralFacts, compiled.policy);
    } catch (error) {
      if (error instanceof InvalidFactsError)
        return { ok: false, problem: 'facts', details: error.problems };
      throw error;
    }
    const before = recordedVerdict(recorded);
    const now = verdictOf(decision);
    return { ok: true, recorded: before, now, decision, differences: compareVerdicts(before, now) };
  }

  private compile(municipalityId: string, versionId: string): Compiled {
    const key = `${municipalityId}/${versionId}`;
    const known = this.compiled.get(key);
    if (known) return known;
    const compiled = compileVersion(this.versionOf(municipalityId, versionId));
    this.compiled.set(key, compiled);
    return compiled;
  }
}

function compileVersion(version: PolicyVersion | undefined): Compiled {
  if (!version) return { ok: false, problem: 'versionMissing' };
  const loaded = loadPolicy(version.text);
  if (!loaded.ok) return { ok: false, problem: 'versionInvalid' };
  if (loaded.hash !== version.hash) return { ok: false, problem: 'versionHash' };
  return {
    ok: true,
    policy: new CompiledPolicy(loaded.policy, loaded.hash, { evaluator: 'json-rules-engine' }),
  };
}
