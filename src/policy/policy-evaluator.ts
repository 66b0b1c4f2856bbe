import type { RuleResult } from 'json-rules-engine';
import type { CompiledPolicy } from './compiled-policy';
import type { Decision, DecisionReason, RuleTrace } from './decision';
import { traceConditions } from './decision-trace';
import { type DeferralFacts, deferralFactsSchema } from './facts';
import { InvalidFactsError } from './policy.errors';
import type { EventType, Outcome, PolicyRule } from './policy.types';

/** When a policy has no manual-review rule that explains itself; the default policy never needs it. */
const NO_RULE_MATCHED: DecisionReason = {
  code: 'no-rule-matched',
  text: {
    nb: 'Søknaden passet ikke til noen regel for automatisk avgjørelse. En saksbehandler vurderer den.',
    nn: 'Søknaden passa ikkje til nokon regel for automatisk avgjerd. Ein saksbehandlar vurderer han.',
    en: 'Your request did not fit any rule for an automatic decision. A caseworker will consider it.',
  },
};

/**
 * Facts in, decision out. Every rule is evaluated, so the trace is complete; the outcome is: any
 * reject → rejected, else an approve → approved, else manual review. Deterministic: reasons and
 * trace follow the order of the rules in the policy file, not the order the engine finished them.
 */
export async function evaluate(compiled: CompiledPolicy, facts: DeferralFacts): Promise<Decision> {
  const checked = deferralFactsSchema.safeParse(facts);
  if (!checked.success) {
    throw new InvalidFactsError(
      checked.error.issues.map((issue) => `${issue.path.join('.') || '(facts)'}: ${issue.message}`),
    );
  }
  const { policy } = compiled;
  const run = await compiled.run(checked.data);
  const byName = new Map<string, RuleResult>();
  for (const result of [...run.results, ...run.failureResults]) byName.set(result.name, result);
  const trace: RuleTrace[] = policy.rules.map((rule) => {
    const result = byName.get(rule.name);
    // Should the engine ever skip a rule, a partial decision must not pass as a real one.
    if (!result)
      throw new Error(
        `Policy ${policy.id} ${policy.version}: rule "${rule.name}" was not evaluated`,
      );
    return traceRule(rule, result);
  });
  const firedRules = (type: EventType) =>
    policy.rules.filter((rule, i) => trace[i].fired && rule.event.type === type);
  const rejects = firedRules('reject');
  const approves = firedRules('approve');
  const outcome: Outcome =
    rejects.length > 0 ? 'rejected' : approves.length > 0 ? 'approved' : 'manual_review';
  const deciding =
    outcome === 'rejected'
      ? rejects
      : outcome === 'approved'
        ? approves
        : firedRules('manual-review');
  return {
    outcome,
    newDueDate: outcome === 'approved' ? checked.data.requestedDueDate : null,
    reasons:
      deciding.length > 0 ? deciding.map((rule) => reasonOf(compiled, rule)) : [NO_RULE_MATCHED],
    notices: policy.notices
      .filter((notice) => notice.showOn.includes(outcome))
      .map(({ code, text }) => ({ code, text })),
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
