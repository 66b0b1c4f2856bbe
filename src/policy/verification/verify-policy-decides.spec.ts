import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES_DIR } from '../../config/paths';
import { CompiledPolicy } from '../engine/compiled-policy';
import type { RuleTrace } from '../engine/decision';
import type { DeferralFacts } from '../engine/facts';
import { checkFacts } from '../engine/check-facts';
import { loadPolicy } from '../loading/policy-loader';
import { defaultPolicyJson, defaultPolicyText, removeAt, setAt } from '../policy.test-factory';
import type { Policy } from '../policy.types';
import { fixedCases, generatedCases } from './verification-cases';
import {
  DEFAULT_SEED,
  policyDecidesErrors,
  verifyCompiledPolicy,
  verifyPolicyDecides,
} from './verify-policy-decides';

const seedText = (file: string) => readFileSync(join(RULES_DIR, file), 'utf8');

function loaded(text: string): { policy: Policy; hash: string } {
  const result = loadPolicy(text);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result;
}

/** A policy whose evaluation goes wrong for some facts: a stand-in for a bug the rules could hit. */
class MisbehavingPolicy extends CompiledPolicy {
  constructor(private readonly misbehave: (facts: DeferralFacts) => void) {
    const { policy, hash } = loaded(defaultPolicyText());
    super(policy, hash);
  }

  override traceRules(facts: object): RuleTrace[] | undefined {
    this.misbehave(facts as DeferralFacts);
    return super.traceRules(facts);
  }
}

const busyWait = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

describe('verifyPolicyDecides', () => {
  it.each([['default.policy.json'], ['asdal.policy.json']])(
    'passes %s, every case decided by a rule',
    async (file) => {
      const result = await verifyPolicyDecides(seedText(file), { requireMatchingRule: true });
      expect(result).toEqual({ ok: true, cases: expect.any(Number), noRuleMatched: 0 });
      expect(result.ok && result.cases).toBeGreaterThan(2000);
    },
  );

  it('counts cases no rule applies to, which the evaluator sends to manual review', async () => {
    const json = defaultPolicyJson() as { rules: { event: { type: string } }[] };
    json.rules = json.rules.filter((rule) => rule.event.type !== 'manual-review');
    const result = await verifyPolicyDecides(JSON.stringify(json));
    expect(result.ok).toBe(true);
    expect(result.ok && result.noRuleMatched).toBeGreaterThan(0);
  });

  it('refuses those cases, with their facts, when every case must match a rule', async () => {
    const json = defaultPolicyJson() as { rules: { event: { type: string } }[] };
    json.rules = json.rules.filter((rule) => rule.event.type !== 'manual-review');
    const result = await verifyPolicyDecides(JSON.stringify(json), {
      requireMatchingRule: true,
      maxFailures: 3,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.failures).toHaveLength(3);
    for (const failure of result.failures) {
      expect(failure.error).toBe('no rule applies to this request');
      expect(failure.facts).not.toBeNull();
    }
  });

  it('refuses a condition on a fact path before evaluating anything, naming where it is', async () => {
    const json = defaultPolicyJson();
    setAt(json, '/rules/2/conditions/all/6/value', { fact: 'amountOre', path: '$.limit' });
    const result = await verifyPolicyDecides(JSON.stringify(json));
    expect(result).toEqual({
      ok: false,
      failures: [
        { facts: null, error: expect.stringContaining('/rules/2/conditions/all/6/value') },
      ],
    });
  });

  it('refuses text that is not a policy at all', async () => {
    const json = defaultPolicyJson();
    removeAt(json, '/rules');
    const result = await verifyPolicyDecides(JSON.stringify(json));
    expect(result).toEqual({
      ok: false,
      failures: [{ facts: null, error: 'the policy is not valid: /rules: is required' }],
    });
  });

  it('refuses conditions nested deeper than the loader allows, before anything recurses', async () => {
    const depth = 50_000;
    const leaf = '{"fact":"alreadyDeferred","operator":"equal","value":true}';
    const nested = `${'{"not":'.repeat(depth)}${leaf}${'}'.repeat(depth)}`;
    const json = defaultPolicyJson();
    setAt(json, '/rules/1/conditions', { all: ['NESTED'] });
    const text = JSON.stringify(json).replace('"NESTED"', nested);
    const result = await verifyPolicyDecides(text);
    expect(result).toEqual({
      ok: false,
      failures: [
        {
          facts: null,
          error: expect.stringMatching(
            /^the policy is not valid: \/rules\/1\/conditions\/all\/0(\/not){31}: conditions are nested more than 32 levels deep/,
          ),
        },
      ],
    });
  });
});

describe('verifyCompiledPolicy', () => {
  it('refuses a policy whose evaluation throws, with the facts it threw on', async () => {
    const crashing = new MisbehavingPolicy((facts) => {
      if (facts.amountOre === 0) throw new TypeError('cannot read the limit');
    });
    const result = await verifyCompiledPolicy(crashing, { runs: 200 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.failures.length).toBeGreaterThan(0);
    for (const failure of result.failures) {
      expect(failure.facts?.amountOre).toBe(0);
      expect(failure.error).toBe('TypeError: cannot read the limit');
    }
  });

  it('refuses a case that takes longer than its budget, twice', async () => {
    const slow = new MisbehavingPolicy((facts) => {
      if (facts.invoiceType === 'SFO' && facts.alreadyDeferred && facts.inCollection) busyWait(30);
    });
    const result = await verifyCompiledPolicy(slow, { runs: 0, caseBudgetMs: 10, maxFailures: 1 });
    expect(result).toEqual({
      ok: false,
      failures: [
        {
          facts: expect.objectContaining({ invoiceType: 'SFO', alreadyDeferred: true }),
          error: expect.stringMatching(/^deciding took \d+ ms, more than the 10 ms allowed$/),
        },
      ],
    });
  });

  it('stops when the whole check runs past its budget', async () => {
    const slow = new MisbehavingPolicy(() => busyWait(2));
    const result = await verifyCompiledPolicy(slow, { runs: 2000, totalBudgetMs: 100 });
    expect(result).toEqual({
      ok: false,
      failures: [
        {
          facts: null,
          error: expect.stringMatching(
            /^the check took longer than 100 ms \(\d+ of \d+ cases decided\)$/,
          ),
        },
      ],
    });
  });
});

describe('the cases', () => {
  const { policy } = loaded(defaultPolicyText());

  it('are all facts a decision accepts', () => {
    for (const facts of [...fixedCases(policy), ...generatedCases(policy, DEFAULT_SEED, 500)])
      expect(() => checkFacts(facts)).not.toThrow();
  });

  it('are the same every time for the same seed, and differ for another', () => {
    expect(generatedCases(policy, 7, 50)).toEqual(generatedCases(policy, 7, 50));
    expect(generatedCases(policy, 7, 50)).not.toEqual(generatedCases(policy, 8, 50));
  });

  it("sit on the policy's limits", () => {
    const amounts = new Set(fixedCases(policy).map((facts) => facts.amountOre));
    for (const amount of [0, 999_999, 1_000_000, 1_000_001, Number.MAX_SAFE_INTEGER])
      expect(amounts).toContain(amount);
    const requested = new Set(fixedCases(policy).map((facts) => facts.requestedDays));
    for (const days of [0, 1, 30, 31]) expect(requested).toContain(days);
  });
});

describe('policyDecidesErrors', () => {
  it('is empty for a policy that decides, and one error per failure otherwise', async () => {
    expect(await policyDecidesErrors(defaultPolicyText())).toEqual([]);
    expect(await policyDecidesErrors('{')).toEqual([
      {
        path: '',
        message: expect.stringMatching(
          /^the policy fails the robustness check: the policy is not valid: /,
        ),
      },
    ]);
  });
});
