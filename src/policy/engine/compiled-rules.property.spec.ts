import { isDeepStrictEqual } from 'node:util';
import { Engine } from 'json-rules-engine';
import { buildFacts } from './build-facts';
import { addDays } from '../../shared/calendar-date';
import { CompiledPolicy } from './compiled-policy';
import { ENGINE_OPERATORS } from './compiled-rules';
import type { Decision } from './decision';
import {
  type DeferralFacts,
  FACT_NAMES,
  FACT_UNITS,
  type FactName,
  INVOICE_STATUSES,
  INVOICE_TYPES,
} from './facts';
import { evaluate, evaluateWithEngine } from './policy-evaluator';
import { loadPolicy } from '../loading/policy-loader';
import {
  approvableFacts,
  compileText,
  defaultPolicyJson,
  defaultPolicyText,
  randomFactInput,
  removeAt,
  seededRandom,
  setAt,
} from '../policy.test-factory';
import { OPERATORS, type Operator, type Policy } from '../policy.types';

/**
 * The compiled rules (`evaluate`) must give exactly the Decision json-rules-engine gives
 * (`evaluateWithEngine`): outcome, new due date, reasons, notices and the full trace, key order
 * included. Random facts, random valid policies, and the policies the other tests use.
 */

type Next = () => number;
const int = (next: Next, min: number, max: number) => min + Math.floor(next() * (max - min + 1));
const pick = <T>(next: Next, values: readonly T[]): T => values[int(next, 0, values.length - 1)];

/** Facts the schema accepts, each drawn on its own: combinations buildFacts would never give. */
function rawFacts(next: Next): DeferralFacts {
  const count = () => pick(next, [0, 1, 2, 3, 4, int(next, 0, 2_500_000), Number.MAX_SAFE_INTEGER]);
  const days = () => pick(next, [-1, 0, 1, 29, 30, 31, int(next, -400, 400)]);
  const date = () => addDays('2026-01-01', int(next, -40, 400));
  return {
    amountOre: count(),
    invoiceType: pick(next, INVOICE_TYPES),
    invoiceStatus: pick(next, INVOICE_STATUSES),
    inCollection: next() < 0.5,
    alreadyDeferred: next() < 0.5,
    today: date(),
    dueDate: date(),
    requestedDueDate: date(),
    daysUntilDue: days(),
    daysPastDue: Math.abs(days()),
    requestedDays: days(),
    deferralsLast6Months: count(),
    deferralsLast12Months: count(),
    unpaidInvoiceCount: count(),
    unpaidTotalOre: count(),
    latePaymentsLast12Months: count(),
    remindersLast12Months: count(),
    collectionCasesLast24Months: count(),
  };
}

function randomFacts(seed: number): DeferralFacts {
  const next = seededRandom(seed);
  return next() < 0.7 ? buildFacts(randomFactInput(next)) : rawFacts(next);
}

/** Both ways, compared deeply and by JSON (which also catches key order). */
async function expectSameDecision(
  compiled: CompiledPolicy,
  facts: DeferralFacts,
  label: string,
): Promise<Decision> {
  const reference = await evaluateWithEngine(compiled, facts);
  const fast = await evaluate(compiled, facts);
  if (JSON.stringify(fast) !== JSON.stringify(reference)) {
    throw new Error(
      `${label}: compiled rules and json-rules-engine differ for ${JSON.stringify(facts)}\n` +
        `compiled: ${JSON.stringify(fast.trace)}\nengine:   ${JSON.stringify(reference.trace)}`,
    );
  }
  // Also undefined-valued keys, prototypes and array holes, which JSON does not show.
  if (!isDeepStrictEqual(fast, reference)) expect(fast).toStrictEqual(reference);
  return fast;
}

const NUMBER_UNITS = ['ore', 'days', 'count'] as const;
const ORDERING: readonly Operator[] = [
  'lessThan',
  'lessThanInclusive',
  'greaterThan',
  'greaterThanInclusive',
];
const factsIn = (unit: string) => FACT_NAMES.filter((name) => FACT_UNITS[name] === unit);

/** A policy the loader accepts, with random rules over every kind of comparison the schema allows. */
function randomPolicyJson(seed: number): Record<string, unknown> {
  const next = seededRandom(seed);
  const json = defaultPolicyJson();
  const parameters = json.parameters as Record<string, { value: unknown; unit: string }>;
  const describe = { description: 'Tilfeldig grense for test.' };
  for (const unit of NUMBER_UNITS)
    for (let i = 0; i < 2; i++)
      parameters[`random${unit}${i}`] = {
        value: pick(next, [0, 1, 2, 3, 30, 1_000_000, int(next, 0, 2_500_000)]),
        unit,
        ...describe,
      };
  parameters.someStatuses = {
    value: INVOICE_STATUSES.filter(() => next() < 0.5),
    unit: 'invoice-statuses',
    ...describe,
  };
  parameters.someTypes = {
    value: INVOICE_TYPES.filter(() => next() < 0.5),
    unit: 'invoice-types',
    ...describe,
  };
  const parametersIn = (unit: string) =>
    Object.keys(parameters).filter((name) => parameters[name].unit === unit);
  const parameter = (unit: string) => ({
    fact: 'parameters',
    path: `$.${pick(next, parametersIn(unit))}`,
  });

  const leaf = (): Record<string, unknown> => {
    const kind = pick(next, ['number', 'number', 'boolean', 'status', 'type', 'date'] as const);
    if (kind === 'number') {
      const unit = pick(next, NUMBER_UNITS);
      const fact = pick(next, factsIn(unit));
      const operator = pick(next, [...ORDERING, 'equal', 'notEqual'] as Operator[]);
      const value = next() < 0.75 ? parameter(unit) : { fact: pick(next, factsIn(unit)) };
      return { fact, operator, value };
    }
    if (kind === 'boolean') {
      const fact = pick(next, factsIn('boolean'));
      const operator = pick(next, ['equal', 'notEqual'] as Operator[]);
      const value = next() < 0.7 ? next() < 0.5 : { fact: pick(next, factsIn('boolean')) };
      return { fact, operator, value };
    }
    if (kind === 'status' || kind === 'type') {
      const fact: FactName = kind === 'status' ? 'invoiceStatus' : 'invoiceType';
      if (next() < 0.2)
        return { fact, operator: pick(next, ['equal', 'notEqual'] as Operator[]), value: { fact } };
      const unit = kind === 'status' ? 'invoice-statuses' : 'invoice-types';
      return { fact, operator: pick(next, ['in', 'notIn'] as Operator[]), value: parameter(unit) };
    }
    return {
      fact: pick(next, factsIn('date')),
      operator: pick(next, [...ORDERING, 'equal', 'notEqual'] as Operator[]),
      value: { fact: pick(next, factsIn('date')) },
    };
  };
  const condition = (depth: number): Record<string, unknown> => {
    if (depth >= 3 || next() < 0.6) return leaf();
    return booleanCondition(depth + 1);
  };
  const booleanCondition = (depth: number): Record<string, unknown> => {
    const kind = pick(next, ['all', 'all', 'any', 'any', 'not'] as const);
    if (kind === 'not') return { not: condition(depth) };
    return { [kind]: Array.from({ length: int(next, 1, 5) }, () => condition(depth)) };
  };
  const text = { nb: 'Tekst.', nn: 'Tekst.', en: 'Text.' };
  json.rules = Array.from({ length: int(next, 1, 8) }, (_, i) => {
    const withParameter = next() < 0.4;
    return {
      name: `random-rule-${i}`,
      priority: pick(next, [1, 10, 10, 50, 100, int(next, 1, 1000)]),
      conditions: booleanCondition(1),
      event: {
        type: pick(next, ['approve', 'reject', 'manual-review'] as const),
        params: {
          reason: `reason-${i}`,
          text,
          ...(withParameter ? { parameter: pick(next, Object.keys(parameters)) } : {}),
        },
      },
    };
  });
  return json;
}

/** Written by hand: each shape of condition at least once, at the top and nested. */
function shapesPolicyJson(): Record<string, unknown> {
  const json = defaultPolicyJson();
  const parameters = json.parameters as Record<string, unknown>;
  parameters.allowedTypes = {
    value: ['VANN_AVLOP', 'RENOVASJON'],
    unit: 'invoice-types',
    description: 'Typer som kan utsettes.',
  };
  parameters.noStatuses = { value: [], unit: 'invoice-statuses', description: 'Ingen.' };
  const text = { nb: 'Tekst.', nn: 'Tekst.', en: 'Text.' };
  const rule = (name: string, type: string, conditions: unknown, priority = 10) => ({
    name,
    priority,
    conditions,
    event: { type, params: { reason: name, text } },
  });
  json.rules = [
    rule('not-at-the-top', 'manual-review', {
      not: {
        fact: 'invoiceType',
        operator: 'in',
        value: { fact: 'parameters', path: '$.allowedTypes' },
      },
    }),
    rule(
      'dates-compared',
      'approve',
      {
        all: [
          { fact: 'requestedDueDate', operator: 'greaterThan', value: { fact: 'dueDate' } },
          { fact: 'today', operator: 'lessThanInclusive', value: { fact: 'dueDate' } },
          {
            fact: 'invoiceStatus',
            operator: 'notIn',
            value: { fact: 'parameters', path: '$.noStatuses' },
          },
        ],
      },
      50,
    ),
    rule(
      'nested',
      'reject',
      {
        any: [
          {
            all: [
              {
                fact: 'daysUntilDue',
                operator: 'greaterThanInclusive',
                value: { fact: 'requestedDays' },
              },
              {
                not: {
                  any: [
                    { fact: 'inCollection', operator: 'equal', value: { fact: 'alreadyDeferred' } },
                  ],
                },
              },
            ],
          },
          { fact: 'alreadyDeferred', operator: 'notEqual', value: false },
        ],
      },
      100,
    ),
    rule(
      'single-any',
      'manual-review',
      {
        any: [
          {
            fact: 'amountOre',
            operator: 'equal',
            value: { fact: 'parameters', path: '$.maxAmountOre' },
          },
        ],
      },
      1,
    ),
    rule(
      'status-equals-itself',
      'manual-review',
      {
        all: [{ fact: 'invoiceStatus', operator: 'equal', value: { fact: 'invoiceStatus' } }],
      },
      1,
    ),
  ];
  return json;
}

/** The policies policy-evaluator.spec.ts decides with. */
function policiesOfTheOtherTests(): [string, Record<string, unknown>][] {
  const relaxed = defaultPolicyJson();
  setAt(relaxed, '/parameters/maxAmountOre/value', 2_000_000);
  setAt(relaxed, '/parameters/maxDeferralDays/value', 45);
  const bothFire = defaultPolicyJson();
  setAt(bothFire, '/rules/3/conditions', {
    all: [{ fact: 'alreadyDeferred', operator: 'equal', value: false }],
  });
  const noneFire = defaultPolicyJson();
  for (let i = 10; i >= 2; i--) removeAt(noneFire, `/rules/${i}`);
  return [
    ['relaxed limits', relaxed],
    ['approve and review both fire', bothFire],
    ['no rule fires', noneFire],
    ['every condition shape', shapesPolicyJson()],
  ];
}

describe('compiled rules against json-rules-engine', () => {
  it('give the same decisions for the default policy over thousands of random requests', async () => {
    const compiled = compileText(defaultPolicyText());
    expect(compiled.evaluator).toBe('compiled-rules');
    const outcomes = new Set<string>();
    for (let seed = 1; seed <= 2500; seed++) {
      const decision = await expectSameDecision(compiled, randomFacts(seed), `seed ${seed}`);
      outcomes.add(decision.outcome);
    }
    expect([...outcomes].sort()).toEqual(['approved', 'manual_review', 'rejected']);
  });

  it.each(policiesOfTheOtherTests())(
    'give the same decisions for the policy with %s',
    async (_name, json) => {
      const compiled = compileText(JSON.stringify(json));
      expect(compiled.evaluator).toBe('compiled-rules');
      for (let seed = 1; seed <= 300; seed++)
        await expectSameDecision(compiled, randomFacts(seed), `seed ${seed}`);
    },
  );

  it('give the same decisions for random valid policies', async () => {
    const fired = new Set<boolean>();
    for (let policySeed = 1; policySeed <= 40; policySeed++) {
      const loaded = loadPolicy(JSON.stringify(randomPolicyJson(policySeed)));
      if (!loaded.ok) throw new Error(`policy ${policySeed}: ${JSON.stringify(loaded.errors)}`);
      const compiled = new CompiledPolicy(loaded.policy, loaded.hash);
      expect(compiled.evaluator).toBe('compiled-rules');
      for (let seed = 1; seed <= 80; seed++) {
        const decision = await expectSameDecision(
          compiled,
          randomFacts(policySeed * 1000 + seed),
          `policy ${policySeed}, facts ${seed}`,
        );
        decision.trace.forEach((rule) => fired.add(rule.fired));
      }
    }
    expect([...fired].sort()).toEqual([false, true]);
  });

  it('give the same decisions with 50 evaluations in flight', async () => {
    const compiled = compileText(defaultPolicyText());
    const facts = Array.from({ length: 200 }, (_, i) => randomFacts(i + 1));
    const fast = await Promise.all(facts.map((f) => evaluate(compiled, f)));
    const reference: Decision[] = [];
    for (let i = 0; i < facts.length; i += 50)
      reference.push(
        ...(await Promise.all(facts.slice(i, i + 50).map((f) => evaluateWithEngine(compiled, f)))),
      );
    expect(fast).toStrictEqual(reference);
  });

  describe('operators', () => {
    const values: unknown[] = [
      0,
      1,
      -1,
      2.5,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      '10',
      '9',
      '12abc',
      'abc',
      '',
      true,
      false,
      null,
      'IKKE_BETALT',
      ['IKKE_BETALT'],
      [1, 'abc'],
      [],
    ];

    async function byEngine(operator: Operator, a: unknown, b: unknown): Promise<unknown> {
      const engine = new Engine([
        {
          conditions: { all: [{ fact: 'a', operator, value: { fact: 'b' } }] },
          event: { type: 'x' },
        },
      ]);
      try {
        const run = await engine.run({ a, b });
        return run.results.length === 1;
      } catch (error) {
        return `throws ${(error as Error).name}`;
      }
    }

    function byTable(operator: Operator, a: unknown, b: unknown): unknown {
      try {
        return ENGINE_OPERATORS[operator](a, b);
      } catch (error) {
        return `throws ${(error as Error).name}`;
      }
    }

    it.each([...OPERATORS])('%s compares as json-rules-engine does', async (operator) => {
      for (const a of values)
        for (const b of values) {
          const label = `${JSON.stringify(a)} ${operator} ${JSON.stringify(b)}`;
          expect([label, byTable(operator, a, b)]).toEqual([label, await byEngine(operator, a, b)]);
        }
    });
  });

  describe('what the compiled rules do not model', () => {
    /** A policy the loader would refuse, built directly, as only a programming mistake could. */
    function unvalidatedPolicy(change: (json: Record<string, unknown>) => void): CompiledPolicy {
      const json = defaultPolicyJson();
      change(json);
      return new CompiledPolicy(json as unknown as Policy, 'unvalidated');
    }

    it('is left to the engine, priorities on conditions included', async () => {
      const compiled = unvalidatedPolicy((json) => {
        // The engine evaluates the priority-2 condition first and skips the rest when it is false.
        setAt(json, '/rules/2/conditions/all/0/priority', 2);
      });
      expect(compiled.evaluator).toBe('json-rules-engine');
      const facts = approvableFacts({ inCollection: true });
      const decision = await expectSameDecision(compiled, facts, 'condition priority');
      const approve = decision.trace[2].conditions;
      expect(approve.kind === 'all' && approve.conditions.map((c) => c.result)).toContain(null);
    });

    it('is left to the engine: decorated operators', async () => {
      const compiled = unvalidatedPolicy((json) =>
        setAt(json, '/rules/1/conditions/all/0/operator', 'not:equal'),
      );
      expect(compiled.evaluator).toBe('json-rules-engine');
      const decision = await expectSameDecision(compiled, approvableFacts(), 'decorator');
      expect(decision.outcome).toBe('rejected');
    });

    it('models empty condition lists as the engine does: as true', async () => {
      const compiled = unvalidatedPolicy((json) => {
        setAt(json, '/rules/0/conditions', { any: [] });
        setAt(json, '/rules/1/conditions', { all: [{ not: { all: [] } }] });
      });
      expect(compiled.evaluator).toBe('compiled-rules');
      const decision = await expectSameDecision(compiled, approvableFacts(), 'empty lists');
      expect(decision.trace.slice(0, 2).map((rule) => rule.fired)).toEqual([true, false]);
    });

    it('can be chosen for any policy', async () => {
      const compiled = compileText(defaultPolicyText(), { evaluator: 'json-rules-engine' });
      expect(compiled.evaluator).toBe('json-rules-engine');
      expect(compiled.traceRules(approvableFacts())).toBeUndefined();
      await expectSameDecision(compiled, approvableFacts(), 'engine chosen');
    });
  });

  it('refuse an undefined fact, as the engine does', () => {
    const compiled = compileText(defaultPolicyText());
    const facts: Partial<DeferralFacts> = approvableFacts();
    delete facts.unpaidTotalOre;
    expect(() => compiled.traceRules(facts)).toThrow('Undefined fact: unpaidTotalOre');
  });

  it('share nothing mutable between decisions', async () => {
    const compiled = compileText(defaultPolicyText());
    const facts = approvableFacts({ invoiceStatus: 'BETALT' });
    const pristine = JSON.stringify(await evaluate(compiled, facts));
    const first = (await evaluate(compiled, facts)) as unknown as Record<string, unknown>;
    // Scribble over every array and plain object in the first decision that is not frozen.
    const scribble = (value: unknown): void => {
      if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
      for (const child of Object.values(value)) scribble(child);
      if (Array.isArray(value)) value.push('scribbled');
      else (value as Record<string, unknown>).scribbled = true;
    };
    scribble(first);
    expect(JSON.stringify(await evaluate(compiled, facts))).toBe(pristine);
    expect(JSON.stringify(await evaluateWithEngine(compiled, facts))).toBe(pristine);
  });

  it('build every trace of objects of its own, not the policy’s (frozen) ones', async () => {
    const compiled = compileText(defaultPolicyText());
    const objectsIn = (value: unknown, into = new Set<object>()): Set<object> => {
      if (value !== null && typeof value === 'object' && !into.has(value)) {
        into.add(value);
        for (const child of Object.values(value)) objectsIn(child, into);
      }
      return into;
    };
    const facts = approvableFacts({ invoiceStatus: 'INKASSO' });
    const policyObjects = objectsIn(compiled.policy);
    objectsIn(compiled.parameterValues, policyObjects);
    for (const decide of [evaluate, evaluateWithEngine]) {
      const [one, other] = [await decide(compiled, facts), await decide(compiled, facts)];
      const otherObjects = objectsIn(other.trace);
      for (const object of objectsIn(one.trace)) {
        expect(policyObjects.has(object)).toBe(false);
        expect(otherObjects.has(object)).toBe(false);
      }
    }
  });
});
