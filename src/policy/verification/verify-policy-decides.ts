import { performance } from 'node:perf_hooks';
import { setImmediate } from 'node:timers/promises';
import { CompiledPolicy } from '../engine/compiled-policy';
import type { Decision } from '../engine/decision';
import type { DeferralFacts } from '../engine/facts';
import { evaluate } from '../engine/policy-evaluator';
import { loadPolicy } from '../loading/policy-loader';
import { formatPolicyError, type PolicyError } from '../policy.types';
import { fixedCases, generatedCases } from './verification-cases';

export interface VerifyOptions {
  /** Generated cases (fast-check); default 2,000. */
  readonly runs?: number;
  /** fast-check's seed; fixed by default, so the same policy always meets the same cases. */
  readonly seed?: number;
  /** One evaluation slower than this (twice in a row) fails the case; default 250 ms. */
  readonly caseBudgetMs?: number;
  /** The whole check longer than this fails; default 10 s. */
  readonly totalBudgetMs?: number;
  /**
   * Also refuse cases no rule applies to. The evaluator decides those too (manual review with the
   * general "no rule matched" reason), so by default they are counted, not refused.
   */
  readonly requireMatchingRule?: boolean;
  /** Stop after this many failures; default 10. */
  readonly maxFailures?: number;
}

export interface VerificationFailure {
  /** The case that failed; null when the policy failed before any case (does not load or compile) or ran out of time. */
  readonly facts: DeferralFacts | null;
  readonly error: string;
}

export type VerificationResult =
  | {
      readonly ok: true;
      readonly cases: number;
      /** Cases no rule applied to, decided as manual review by the evaluator's fallback. */
      readonly noRuleMatched: number;
    }
  | { readonly ok: false; readonly failures: readonly VerificationFailure[] };

export const DEFAULT_SEED = 20261205;
const OUTCOMES: readonly string[] = ['approved', 'rejected', 'manual_review'];

/**
 * The robustness check before publishing: a policy must decide every case of a fixed set of edge
 * cases and of a generated set (fast-check, fixed seed) without an error and in time, with the same
 * `evaluate` residents' decisions use, so "decides" means here what it means for them.
 *
 * It runs on the calling thread. A policy is data (all/any/not over comparisons; the schema allows
 * no references between conditions), so its evaluation always ends, in time proportional to its
 * size: there is no loop to interrupt, only slowness to measure. Each case is timed (a slow one
 * is retried once, so a garbage-collection pause does not refuse a good policy), the whole run has
 * a budget, and it yields to the event loop between batches so requests keep being served.
 */
export async function verifyPolicyDecides(
  text: string,
  options: VerifyOptions = {},
): Promise<VerificationResult> {
  let compiled: CompiledPolicy;
  try {
    const loaded = loadPolicy(text);
    if (!loaded.ok) {
      const errors = loaded.errors.map(formatPolicyError).join('; ');
      return refused(null, `the policy is not valid: ${errors}`);
    }
    compiled = new CompiledPolicy(loaded.policy, loaded.hash);
  } catch (error) {
    return refused(null, `the policy cannot be loaded or compiled: ${messageOf(error)}`);
  }
  return verifyCompiledPolicy(compiled, options);
}

/** As verifyPolicyDecides, for a policy already compiled. */
export async function verifyCompiledPolicy(
  compiled: CompiledPolicy,
  options: VerifyOptions = {},
): Promise<VerificationResult> {
  const caseBudget = options.caseBudgetMs ?? 250;
  const totalBudget = options.totalBudgetMs ?? 10_000;
  const maxFailures = options.maxFailures ?? 10;
  const { policy } = compiled;
  const cases = [
    ...fixedCases(policy),
    ...generatedCases(policy, options.seed ?? DEFAULT_SEED, options.runs ?? 2000),
  ];
  const failures: VerificationFailure[] = [];
  let noRuleMatched = 0;
  const started = performance.now();
  for (let i = 0; i < cases.length && failures.length < maxFailures; i++) {
    if (i % 200 === 199) await setImmediate();
    if (performance.now() - started > totalBudget) {
      failures.push({
        facts: null,
        error: `the check took longer than ${totalBudget} ms (${i} of ${cases.length} cases decided)`,
      });
      break;
    }
    const facts = cases[i];
    const first = await timed(compiled, facts);
    const outcome = first.ms > caseBudget ? await timed(compiled, facts) : first;
    if ('error' in outcome) {
      failures.push({ facts, error: outcome.error });
    } else if (outcome.ms > caseBudget) {
      failures.push({
        facts,
        error: `deciding took ${Math.round(outcome.ms)} ms, more than the ${caseBudget} ms allowed`,
      });
    } else if (!outcome.decision.trace.some((rule) => rule.fired)) {
      noRuleMatched++;
      if (options.requireMatchingRule)
        failures.push({ facts, error: 'no rule applies to this request' });
    }
  }
  return failures.length > 0
    ? { ok: false, failures }
    : { ok: true, cases: cases.length, noRuleMatched };
}

/**
 * The check in the shape of a publish check (PolicyDraftsService.addPublishCheck): no errors, or
 * one per failing case at the path of the whole file.
 */
export async function policyDecidesErrors(
  text: string,
  options: VerifyOptions = {},
): Promise<PolicyError[]> {
  const result = await verifyPolicyDecides(text, options);
  if (result.ok) return [];
  return result.failures.map(({ facts, error }) => ({
    path: '',
    message: facts
      ? `the policy fails to decide a test case: ${error}; facts ${JSON.stringify(facts)}`
      : `the policy fails the robustness check: ${error}`,
  }));
}

type Timed =
  | { readonly ms: number; readonly decision: Decision }
  | { readonly ms: number; readonly error: string };

async function timed(compiled: CompiledPolicy, facts: DeferralFacts): Promise<Timed> {
  const start = performance.now();
  try {
    const decision = await evaluate(compiled, facts);
    const ms = performance.now() - start;
    const problem = decisionProblem(compiled, decision);
    return problem ? { ms, error: problem } : { ms, decision };
  } catch (error) {
    return { ms: performance.now() - start, error: messageOf(error) };
  }
}

/** What a decision must be for a resident's receipt to be made from it. */
function decisionProblem(compiled: CompiledPolicy, decision: Decision): string | undefined {
  if (!OUTCOMES.includes(decision.outcome)) return `unknown outcome ${String(decision.outcome)}`;
  if (decision.reasons.length === 0) return 'a decision without a reason';
  if (decision.trace.length !== compiled.policy.rules.length)
    return `a trace of ${decision.trace.length} rules for a policy of ${compiled.policy.rules.length}`;
  return undefined;
}

function refused(facts: DeferralFacts | null, error: string): VerificationResult {
  return { ok: false, failures: [{ facts, error }] };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
