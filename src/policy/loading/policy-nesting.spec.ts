import fc from 'fast-check';
import { loadPolicy } from './policy-loader';
import { MAX_CONDITION_DEPTH, MAX_JSON_DEPTH, nestingErrors } from './policy-nesting';
import { defaultPolicyJson, defaultPolicyText, setAt } from '../policy.test-factory';

const FACT = '{"fact":"alreadyDeferred","operator":"equal","value":true}';
type Wrap = readonly [open: string, close: string];
const not: Wrap = ['{"not":', '}'];
const all: Wrap = ['{"all":[', ']}'];

/**
 * The default policy with rule 0's conditions `levels` levels deep (an `all`, then the wraps in
 * turn), as text built by hand: JSON.stringify itself overflows on such values.
 */
function nestedPolicy(levels: number, wraps: readonly Wrap[]): string {
  const json = defaultPolicyJson();
  setAt(json, '/rules/0/conditions', 'CONDITIONS');
  const inner = Array.from({ length: levels - 1 }, (_, i) => wraps[i % wraps.length]);
  const condition = `${inner.map(([open]) => open).join('')}${FACT}${inner
    .map(([, close]) => close)
    .reverse()
    .join('')}`;
  return JSON.stringify(json).replace('"CONDITIONS"', `{"all":[${condition}]}`);
}

describe(nestingErrors.name, () => {
  it('finds nothing in the seed policy, whose conditions are one level deep', () => {
    expect(nestingErrors(defaultPolicyJson())).toEqual([]);
  });

  it('points at the condition one level past the limit', () => {
    const json = JSON.parse(nestedPolicy(MAX_CONDITION_DEPTH + 5, [not])) as unknown;
    expect(nestingErrors(json)).toEqual([
      {
        path: `/rules/0/conditions/all/0${'/not'.repeat(MAX_CONDITION_DEPTH - 1)}`,
        message: `conditions are nested more than ${MAX_CONDITION_DEPTH} levels deep (all, any, not)`,
      },
    ]);
  });

  it('refuses JSON nested past the limit outside the conditions too', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 10_000; i++) deep = [deep];
    const json = defaultPolicyJson();
    setAt(json, '/description', deep);
    const [error] = nestingErrors(json);
    expect(error.message).toBe(`nested more than ${MAX_JSON_DEPTH} levels deep`);
    expect(error.path).toBe(`/description${'/0'.repeat(MAX_JSON_DEPTH - 1)}`);
  });
});

describe('loadPolicy and deep nesting', () => {
  it(`loads conditions ${MAX_CONDITION_DEPTH} levels deep`, () => {
    expect(loadPolicy(nestedPolicy(MAX_CONDITION_DEPTH, [not])).ok).toBe(true);
    expect(loadPolicy(nestedPolicy(MAX_CONDITION_DEPTH, [all])).ok).toBe(true);
  });

  it.each([
    ['not', not],
    ['all', all],
  ])('refuses conditions 3,000 levels deep (%s) instead of overflowing the stack', (_n, wrap) => {
    const result = loadPolicy(nestedPolicy(3_000, [wrap]));
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.errors).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/^conditions are nested more/) }),
    ]);
  });

  it('refuses text that is not JSON and nested 100,000 deep with a message', () => {
    const result = loadPolicy('['.repeat(100_000));
    expect(result.ok ? '' : result.errors[0].message).toMatch(
      new RegExp(`^not valid JSON at line 1, column ${MAX_JSON_DEPTH + 1}: nested more than`),
    );
  });

  describe('never throws', () => {
    const nested = fc
      .tuple(
        fc.array(fc.constantFrom('[', '{"all":[', '{"not":', '{"a":', '"', ',', ']', '}'), {
          maxLength: 20,
        }),
        fc.integer({ min: 1, max: 20_000 }),
        fc.boolean(),
      )
      .map(([unit, times, close]) => {
        const open = unit.join('').repeat(times);
        return close ? open + '1' + [...open].reverse().join('') : open;
      });
    const mutatedSeed = fc
      .tuple(fc.nat(), fc.nat({ max: 50 }), fc.string())
      .map(([at, cut, insert]) => {
        const text = defaultPolicyText();
        const i = at % text.length;
        return text.slice(0, i) + insert + text.slice(i + cut);
      });
    const deepPolicy = fc
      .tuple(fc.array(fc.constantFrom(not, all), { minLength: 1, maxLength: 3 }), fc.nat(5_000))
      .map(([wraps, levels]) => nestedPolicy(levels + 1, wraps));

    it('on random, hostile and deeply nested text', () => {
      fc.assert(
        fc.property(
          fc.oneof(
            fc.string(),
            fc.json(),
            fc.string({ unit: 'binary' }),
            nested,
            mutatedSeed,
            deepPolicy,
          ),
          (text) => {
            const result = loadPolicy(text);
            expect(typeof result.ok).toBe('boolean');
            if (!result.ok) expect(result.errors.length).toBeGreaterThan(0);
          },
        ),
        { numRuns: 300 },
      );
    });
  });
});
