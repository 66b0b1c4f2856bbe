import { evaluate } from '../engine/policy-evaluator';
import {
  approvableFacts,
  compiledDefaultPolicy,
  compileText,
  defaultPolicyJson,
  defaultPolicyText,
  setAt,
} from '../policy.test-factory';
import { tryPolicy } from './try-policy';

function textWithAmountLimit(maxAmountOre: number): string {
  const json = defaultPolicyJson();
  setAt(json, '/parameters/maxAmountOre/value', maxAmountOre);
  return JSON.stringify(json);
}

describe(tryPolicy.name, () => {
  it('gives both decisions side by side, each as a resident’s decision would be made', async () => {
    const facts = approvableFacts({ amountOre: 500_000, unpaidTotalOre: 500_000 });
    const draft = textWithAmountLimit(300_000);
    const result = await tryPolicy(draft, defaultPolicyText(), facts);
    if (!result.ok) throw new Error('refused');
    expect(result.active).toEqual(await evaluate(compiledDefaultPolicy(), facts));
    expect(result.draft).toEqual(await evaluate(compileText(draft), facts));
    expect(result.active.outcome).toBe('approved');
    expect(result.draft.outcome).toBe('manual_review');
    expect(result.draft.reasons.map((r) => r.code)).toContain('amount-over-limit');
    expect(result.draft.trace.length).toBe(result.active.trace.length);
    expect(result.outcomeChanged).toBe(true);
    expect(result.facts).toEqual(facts);
  });

  it('takes an already compiled active version', async () => {
    const result = await tryPolicy(defaultPolicyText(), compiledDefaultPolicy(), approvableFacts());
    expect(result).toMatchObject({ ok: true, outcomeChanged: false });
  });

  it('refuses a draft that does not load, with its errors, when the draft is invalid', async () => {
    const result = await tryPolicy(textWithAmountLimit(-5), defaultPolicyText(), approvableFacts());
    expect(result).toMatchObject({ ok: false, refused: 'draft' });
    if (result.ok || result.refused === 'facts') throw new Error('not refused for the draft');
    expect(result.errors[0].path).toContain('maxAmountOre');
  });

  it('refuses facts entered by hand with every problem, when they are incomplete or mistyped', async () => {
    const { amountOre: _missing, ...facts } = approvableFacts();
    const result = await tryPolicy(defaultPolicyText(), defaultPolicyText(), {
      ...facts,
      requestedDays: '30',
    });
    if (result.ok || result.refused !== 'facts') throw new Error('not refused for the facts');
    expect(result.problems).toEqual([
      expect.stringContaining('amountOre'),
      expect.stringContaining('requestedDays'),
    ]);
  });
});
