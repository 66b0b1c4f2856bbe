import { buildFacts } from './build-facts';
import { DEFAULT_POLICY_LIMITS, decideByDefaultPolicy } from './default-policy.baseline';
import { evaluate, evaluateWithEngine } from './policy-evaluator';
import {
  compiledDefaultPolicy,
  randomFactInput as randomInput,
  seededRandom as random,
} from '../policy.test-factory';

describe('decideByDefaultPolicy', () => {
  it('uses the limits written in rules/default.policy.json', () => {
    const values = compiledDefaultPolicy().parameterValues;
    for (const [name, value] of Object.entries(DEFAULT_POLICY_LIMITS))
      expect([name, values[name]]).toEqual([name, value]);
  });

  it.each([
    ['the compiled rules', evaluate],
    ['json-rules-engine', evaluateWithEngine],
  ] as const)(
    'agrees with %s on outcome, reasons and new due date for many random requests',
    async (_name, decide) => {
      const compiled = compiledDefaultPolicy();
      const seen = new Set<string>();
      for (let seed = 1; seed <= 400; seed++) {
        const facts = buildFacts(randomInput(random(seed)));
        const expected = decideByDefaultPolicy(facts);
        const decision = await decide(compiled, facts);
        const actual = { outcome: decision.outcome, reasons: decision.reasons.map((r) => r.code) };
        if (JSON.stringify(actual) !== JSON.stringify(expected)) {
          throw new Error(
            `seed ${seed}: policy ${JSON.stringify(actual)} vs baseline ${JSON.stringify(expected)} for ${JSON.stringify(facts)}`,
          );
        }
        expect(decision.newDueDate).toBe(
          decision.outcome === 'approved' ? facts.requestedDueDate : null,
        );
        expected.reasons.forEach((code) => seen.add(code));
      }
      // The generator reaches every branch, or this test would prove little.
      expect([...seen].sort()).toEqual(
        [
          'already-deferred',
          'amount-over-limit',
          'asked-after-due-date',
          'in-collection',
          'invoice-not-open',
          'recent-debt-collection',
          'too-few-days',
          'too-many-days',
          'too-many-deferrals',
          'too-many-unpaid-invoices',
          'total-outstanding-over-limit',
          'within-limits',
        ].sort(),
      );
    },
  );
});
