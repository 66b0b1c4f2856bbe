import { loadPolicy } from '../loading/policy-loader';
import { defaultPolicyJson, getAt, removeAt, setAt } from '../policy.test-factory';
import type { Policy } from '../policy.types';
import { diffPolicies } from './policy-diff';

function policyFrom(json: unknown): Policy {
  const result = loadPolicy(JSON.stringify(json));
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.policy;
}

/** The default policy, changed by `change` (on its JSON). */
function changed(change: (json: Record<string, unknown>) => void = () => undefined): Policy {
  const json = defaultPolicyJson();
  change(json);
  return policyFrom(json);
}

const plain = (text: string | undefined) => text?.replace(/\u00a0/g, ' ');
const ruleIndex = (json: unknown, name: string) =>
  (getAt(json, '/rules') as { name: string }[]).findIndex((r) => r.name === name);

describe('diffPolicies', () => {
  const original = changed();

  it('says there is no predecessor for the first version', () => {
    expect(diffPolicies(undefined, original, 'nb')).toEqual({
      first: true,
      same: false,
      parameters: [],
      rules: [],
      other: [],
    });
  });

  it('finds no differences between equal versions, whatever their layout and key order', () => {
    const reordered = JSON.parse(JSON.stringify(defaultPolicyJson()), (_key, value: unknown) =>
      value && typeof value === 'object' && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value).reverse())
        : value,
    ) as unknown;
    expect(diffPolicies(original, policyFrom(reordered), 'nb')).toEqual({
      first: false,
      same: true,
      parameters: [],
      rules: [],
      other: [],
    });
  });

  it('names a changed parameter with its old and new value, formatted as the policy pages do', () => {
    const after = changed((json) => setAt(json, '/parameters/maxAmountOre/value', 150_000));
    const diff = diffPolicies(original, after, 'nb');
    expect(diff.same).toBe(false);
    expect(
      diff.parameters.map((p) => ({ ...p, before: plain(p.before), after: plain(p.after) })),
    ).toEqual([
      {
        name: 'maxAmountOre',
        label: 'Beløpsgrense',
        change: 'changed',
        before: '10 000 kr',
        after: '1 500 kr',
      },
    ]);
    // The rules that use it read differently, but they are not changed: the parameter is.
    expect(diff.rules).toEqual([]);
    expect(plain(diffPolicies(original, after, 'en').parameters[0].after)).toBe('NOK 1,500');
  });

  it('names a parameter added or removed, and a description that changed', () => {
    const after = changed((json) => {
      setAt(json, '/parameters/extraDays', {
        value: 3,
        unit: 'days',
        description: 'Noen ekstra dager.',
      });
      setAt(json, '/parameters/minDeferralDays/description', 'Ny forklaring.');
    });
    const diff = diffPolicies(original, after, 'nb');
    expect(diff.parameters.map((p) => [p.name, p.change, plain(p.before), plain(p.after)])).toEqual(
      [
        ['minDeferralDays', 'changed', '1 dag', '1 dag'],
        ['extraDays', 'added', undefined, '3 dager'],
      ],
    );
    expect(diff.parameters[0].description).toEqual({
      before: original.parameters.minDeferralDays.description,
      after: 'Ny forklaring.',
    });
    expect(diffPolicies(after, original, 'nb').parameters[1]).toMatchObject({
      name: 'extraDays',
      change: 'removed',
      before: '3\u00a0dager',
    });
  });

  it('names a rule added, with its sentence and JSON', () => {
    const rule = {
      name: 'review-big-water-bills',
      priority: 20,
      conditions: {
        all: [
          {
            fact: 'amountOre',
            operator: 'greaterThan',
            value: { fact: 'parameters', path: '$.maxAmountOre' },
          },
        ],
      },
      event: {
        type: 'manual-review',
        params: { reason: 'amount-over-limit', text: { nb: 'Stor.', nn: 'Stor.', en: 'Big.' } },
      },
    };
    const after = changed((json) => (json.rules as unknown[]).push(rule));
    const diff = diffPolicies(original, after, 'nb');
    expect(diff.rules).toHaveLength(1);
    expect(diff.rules[0]).toMatchObject({ name: rule.name, change: 'added', parts: [] });
    expect(plain(diff.rules[0].after?.text)).toBe(
      'Går til manuell behandling når beløpet er over 10 000 kr.',
    );
    expect(diff.rules[0].before).toBeUndefined();
    expect(JSON.parse(diff.rules[0].json!)).toEqual(rule);
  });

  it('names a rule removed, with the sentence it had', () => {
    const after = changed((json) =>
      removeAt(json, `/rules/${ruleIndex(json, 'reject-already-deferred')}`),
    );
    const diff = diffPolicies(original, after, 'nb');
    expect(diff.rules.map((r) => [r.name, r.change, r.before?.text, r.after])).toEqual([
      ['reject-already-deferred', 'removed', 'Avslås når fakturaen er utsatt fra før.', undefined],
    ]);
    expect(JSON.parse(diff.rules[0].json!)).toMatchObject({ name: 'reject-already-deferred' });
  });

  it('shows a rule changed in its conditions: the sentence on both sides and the JSON of the conditions', () => {
    const after = changed((json) =>
      setAt(json, `/rules/${ruleIndex(json, 'reject-already-deferred')}/conditions`, {
        all: [
          { fact: 'alreadyDeferred', operator: 'equal', value: true },
          { fact: 'inCollection', operator: 'equal', value: false },
        ],
      }),
    );
    const [rule, ...others] = diffPolicies(original, after, 'nb').rules;
    expect(others).toEqual([]);
    expect(rule).toMatchObject({
      name: 'reject-already-deferred',
      change: 'changed',
      before: { text: 'Avslås når fakturaen er utsatt fra før.' },
      after: {
        text: 'Avslås når fakturaen er utsatt fra før og fakturaen ikke er i inkassoløpet.',
      },
    });
    expect(rule.parts.map((p) => p.path)).toEqual(['conditions']);
    expect(JSON.parse(rule.parts[0].before!)).toEqual({
      all: [{ fact: 'alreadyDeferred', operator: 'equal', value: true }],
    });
    expect(JSON.parse(rule.parts[0].after!).all).toHaveLength(2);
  });

  it('shows a rule changed in its event’s parameters and its priority, part by part', () => {
    const after = changed((json) => {
      const at = `/rules/${ruleIndex(json, 'reject-already-deferred')}`;
      setAt(json, `${at}/event/params/text/nb`, 'Bare én utsettelse per faktura.');
      setAt(json, `${at}/priority`, 90);
    });
    const [rule] = diffPolicies(original, after, 'nb').rules;
    expect(rule.change).toBe('changed');
    expect(rule.parts.map((p) => p.path)).toEqual(['priority', 'event.params.text']);
    expect(rule.parts[0]).toEqual({ path: 'priority', before: '100', after: '90' });
    expect(JSON.parse(rule.parts[1].after!)).toMatchObject({
      nb: 'Bare én utsettelse per faktura.',
    });
    expect(rule.after?.reason).toBe('Bare én utsettelse per faktura.');
  });

  it('shows an event type changed (the outcome) and a parameter named for the reason', () => {
    const after = changed((json) => {
      const at = `/rules/${ruleIndex(json, 'reject-already-deferred')}`;
      setAt(json, `${at}/event/type`, 'manual-review');
      setAt(json, `${at}/event/params/parameter`, 'maxDeferralDays');
    });
    const [rule] = diffPolicies(original, after, 'nb').rules;
    expect(rule.parts).toEqual([
      { path: 'event.type', before: '"reject"', after: '"manual-review"' },
      { path: 'event.params.parameter', after: '"maxDeferralDays"' },
    ]);
    expect([rule.before?.outcome, rule.after?.outcome]).toEqual(['rejected', 'manual_review']);
  });

  it('names the rest of the file that changed: version label, title, description and notices', () => {
    const after = changed((json) => {
      setAt(json, '/version', '2026.2');
      setAt(json, '/title/en', 'Deferral, second edition');
      setAt(json, '/description', 'Kortere.');
      removeAt(json, '/notices/0');
    });
    const diff = diffPolicies(original, after, 'nb');
    expect(diff.other.map((o) => [o.what, o.key, o.change])).toEqual([
      ['version', undefined, 'changed'],
      ['title', undefined, 'changed'],
      ['description', undefined, 'changed'],
      ['notice', original.notices[0].code, 'removed'],
    ]);
    expect(diff.other[0]).toMatchObject({ before: '2026.1', after: '2026.2' });
    // The title changed in English only: a Norwegian reader sees every language.
    expect(JSON.parse(diff.other[1].after!)).toMatchObject({ en: 'Deferral, second edition' });
    expect(diffPolicies(original, after, 'en').other[1]).toMatchObject({
      after: 'Deferral, second edition',
    });
  });
});
