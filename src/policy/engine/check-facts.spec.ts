import { checkFacts, quickCheck } from './check-facts';
import { deferralFactsSchema, FACT_NAMES } from './facts';
import { InvalidFactsError } from '../policy.errors';
import { approvableFacts } from '../policy.test-factory';

/** Values that a hand-written check could get wrong in either direction. */
const ODD_VALUES: unknown[] = [
  undefined,
  null,
  0,
  -0,
  1,
  -1,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 1,
  -Number.MAX_SAFE_INTEGER,
  -Number.MAX_SAFE_INTEGER - 2,
  '1',
  '',
  true,
  false,
  'IKKE_BETALT',
  'BETALT',
  'SFO',
  'OTHER',
  'ikke_betalt',
  '2026-03-10',
  '2024-02-29',
  '2026-02-29',
  '2026-3-10',
  ' 2026-03-10',
  [],
  {},
  new Number(1),
  new String('2026-03-10'),
  BigInt(1),
];

/** The schema's verdict and data, or its messages; what checkFacts must reproduce. */
function byZod(facts: unknown): { data: unknown } | { problems: string[] } {
  const result = deferralFactsSchema.safeParse(facts);
  return result.success
    ? { data: result.data }
    : {
        problems: result.error.issues.map(
          (issue) => `${issue.path.join('.') || '(facts)'}: ${issue.message}`,
        ),
      };
}

function byCheckFacts(facts: unknown): { data: unknown } | { problems: readonly string[] } {
  try {
    return { data: checkFacts(facts) };
  } catch (error) {
    if (!(error instanceof InvalidFactsError)) throw error;
    return { problems: error.problems };
  }
}

function variants(): { label: string; facts: unknown }[] {
  const out: { label: string; facts: unknown }[] = [];
  for (const name of FACT_NAMES) {
    for (const value of ODD_VALUES)
      out.push({
        label: `${name}=${String(value)}`,
        facts: { ...approvableFacts(), [name]: value },
      });
    const missing: Record<string, unknown> = { ...approvableFacts() };
    delete missing[name];
    out.push({ label: `without ${name}`, facts: missing });
    // The fact only inherited, not an own property.
    const inherited = Object.create({ [name]: missing[name] ?? approvableFacts()[name] });
    Object.assign(inherited, missing);
    out.push({ label: `${name} inherited`, facts: inherited });
  }
  out.push({ label: 'an unknown fact', facts: { ...approvableFacts(), amountKr: 1 } });
  out.push({
    label: 'an unknown fact set to undefined',
    facts: { ...approvableFacts(), x: undefined },
  });
  out.push({
    label: 'an inherited unknown fact',
    facts: Object.assign(Object.create({ amountKr: 1 }), approvableFacts()),
  });
  const notObjects: [string, unknown][] = [
    ['null', null],
    ['undefined', undefined],
    ['a string', 'facts'],
    ['a number', 1],
    ['an empty list', []],
    ['a list of facts', [approvableFacts()]],
  ];
  for (const [label, value] of notObjects) out.push({ label: `facts as ${label}`, facts: value });
  return out;
}

describe(checkFacts.name, () => {
  it('gives the schema verdict, data and messages for valid facts and each kind of mistake', () => {
    for (const { label, facts } of variants())
      expect([label, byCheckFacts(facts)]).toEqual([label, byZod(facts)]);
  });

  it('takes the quick path only for facts the schema accepts unchanged', () => {
    let quick = 0;
    for (const { label, facts } of variants()) {
      const copy = quickCheck(facts);
      if (copy === undefined) continue;
      quick++;
      const zod = byZod(facts);
      expect([label, 'data' in zod]).toEqual([label, true]);
      expect(copy).toStrictEqual((zod as { data: unknown }).data);
    }
    // The valid variants (a fact set to another valid value) do take it.
    expect(quick).toBeGreaterThan(50);
  });

  it('returns a copy, so later changes to the caller’s object do not reach the evaluation', () => {
    const facts = approvableFacts();
    const checked = checkFacts(facts);
    expect(checked).not.toBe(facts);
    facts.amountOre = 5;
    expect(checked.amountOre).toBe(250_000);
  });
});
