import type { RuleResult } from 'json-rules-engine';
import { checkFacts } from './check-facts';
import type { CompiledPolicy } from './compiled-policy';
import type { Decision, DecisionReason, RuleTrace } from './decision';
import { traceConditions } from './decision-trace';
import type { DeferralFacts } from './facts';
import type { EventType, LocalizedText, Outcome, PolicyRule } from '../policy.types';

/**
 * When a policy has no manual-review rule that explains itself; the default policy never needs it.
 * Frozen, as it is the one object that several decisions share.
 */
const NO_RULE_MATCHED: DecisionReason = Object.freeze({
  code: 'no-rule-matched',
  text: Object.freeze({
    nb: 'Søknaden passet ikke til noen regel for automatisk avgjørelse. En saksbehandler vurderer den.',
    nn: 'Søknaden passa ikkje til nokon regel for automatisk avgjerd. Ein saksbehandlar vurderer han.',
    en: 'Your request did not fit any rule for an automatic decision. A caseworker will consider it.',
  }),
});

/**
 * Facts in, decision out. Every rule is evaluated, so the trace is complete; the outcome is: any
 * reject → rejected, else an approve → approved, else manual review. Deterministic: reasons and
 * trace follow the order of the rules in the policy file, not the order the engine finished them.
 *
 * Evaluates with the policy's compiled rules (compiled-rules.ts), which give the same decision as
 * json-rules-engine at a small fraction of the cost; a policy they cannot model goes to the engine.
 */
export async function evaluate(compiled: CompiledPolicy, facts: DeferralFacts): Promise<Decision> {
  const checked = checkFacts(facts);
  const trace = compiled.traceRules(checked) ?? (await traceWithEngine(compiled, checked));
  return decide(compiled, checked, trace);
}

/** As `evaluate`, always with json-rules-engine: the reference the compiled rules are held to. */
export async function evaluateWithEngine(
  compiled: CompiledPolicy,
  facts: DeferralFacts,
): Promise<Decision> {
  const checked = checkFacts(facts);
  return decide(compiled, checked, await traceWithEngine(compiled, checked));
}

async function traceWithEngine(
  compiled: CompiledPolicy,
  facts: DeferralFacts,
): Promise<RuleTrace[]> {
  const { policy } = compiled;
  const run = await compiled.run(facts as unknown as Record<string, unknown>);
  const byName = new Map<string, RuleResult>();
  for (const result of run.results) byName.set(result.name, result);
  for (const result of run.failureResults) byName.set(result.name, result);
  return policy.rules.map((rule) => {
    const result = byName.get(rule.name);
    // Should the engine ever skip a rule, a partial decision must not pass as a real one.
    if (!result)
      throw new Error(
        `Policy ${policy.id} ${policy.version}: rule "${rule.name}" was not evaluated`,
      );
    return traceRule(rule, result);
  });
}

/** The decision from a complete trace (one entry per rule, in policy-file order). */
function decide(compiled: CompiledPolicy, facts: DeferralFacts, trace: RuleTrace[]): Decision {
  const { policy } = compiled;
  const fired: Record<EventType, PolicyRule[]> = { reject: [], approve: [], 'manual-review': [] };
  for (let i = 0; i < policy.rules.length; i++) {
    const rule = policy.rules[i];
    if (trace[i].fired) fired[rule.event.type].push(rule);
  }
  const outcome: Outcome =
    fired.reject.length > 0 ? 'rejected' : fired.approve.length > 0 ? 'approved' : 'manual_review';
  const deciding =
    outcome === 'rejected'
      ? fired.reject
      : outcome === 'approved'
        ? fired.approve
        : fired['manual-review'];
  const notices: { code: string; text: LocalizedText }[] = [];
  for (const { code, text, showOn } of policy.notices)
    if (showOn.includes(outcome)) notices.push({ code, text });
  return {
    outcome,
    newDueDate: outcome === 'approved' ? facts.requestedDueDate : null,
    reasons:
      deciding.length > 0 ? deciding.map((rule) => reasonOf(compiled, rule)) : [NO_RULE_MATCHED],
    notices,
    policyId: policy.id,
    policyVersion: policy.version,
    policyHash: compiled.hash,
    trace,
  };
}

function traceRule(rule: PolicyRule, result: RuleResult): RuleTrace {
  return {
    name: rule.name,
    priority: rule.priority,
    eventType: rule.event.type,
    reason: rule.event.params.reason,
    fired: result.result === true,
    conditions: traceConditions(result),
  };
}

function reasonOf(compiled: CompiledPolicy, rule: PolicyRule): DecisionReason {
  const { reason, text, parameter } = rule.event.params;
  if (parameter === undefined) return { code: reason, text };
  // The loader has checked that the named parameter exists.
  const { value, unit } = compiled.policy.parameters[parameter];
  return { code: reason, text, limit: { parameter, value, unit } };
}
