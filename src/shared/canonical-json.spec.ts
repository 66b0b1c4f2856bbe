import fc from 'fast-check';
import { canonicalJson } from './canonical-json';

/** The first implementation, as the chains stored so far were hashed with it. */
function reference(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value))
      throw new TypeError('Not JSON: non-finite number');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
  const entries = Object.keys(value)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${reference((value as Record<string, unknown>)[key])}`);
  return `{${entries.join(',')}}`;
}

describe(canonicalJson.name, () => {
  it('writes the same text as the first implementation for any JSON-like value, undefined members included', () => {
    const leaf = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
    );
    const tree = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.array(tie('node')),
        fc.dictionary(fc.string({ unit: 'binary' }), tie('node')),
      ),
    })).node;
    fc.assert(
      fc.property(tree, (value) => {
        expect(canonicalJson(value)).toBe(reference(value));
      }),
      { numRuns: 2_000 },
    );
  });

  it('writes a decision trace as the first implementation did', () => {
    const trace = [
      {
        name: 'approve-within-limits',
        priority: 50,
        fired: true,
        conditions: {
          kind: 'all',
          result: true,
          conditions: [{ fact: 'amountOre', factValue: 1, compareTo: [2, 'x'] }],
        },
        skipped: undefined,
      },
    ];
    expect(canonicalJson(trace)).toBe(reference(trace));
  });

  it('refuses a number JSON cannot hold, wherever it is', () => {
    expect(() => canonicalJson({ a: [1, Number.POSITIVE_INFINITY] })).toThrow(TypeError);
    expect(() => canonicalJson(Number.NaN)).toThrow('Not JSON');
  });
});
