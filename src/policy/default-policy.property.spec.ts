import { buildFacts, type FactInput } from './build-facts';
import { addDays, type IsoDate } from './calendar-date';
import { DEFAULT_POLICY_LIMITS, decideByDefaultPolicy } from './default-policy.baseline';
import { INVOICE_STATUSES, INVOICE_TYPES } from './facts';
import { evaluate } from './policy-evaluator';
import { compiledDefaultPolicy } from './policy.test-factory';

/** mulberry32: a seeded generator, so a failing case can be replayed from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Values clustered on the default policy's boundaries, where a mistake would show. */
function randomInput(next: () => number): FactInput {
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(values: readonly T[]): T => values[int(0, values.length - 1)];
  const near = (limit: number) => pick([0, limit - 1, limit, limit + 1, int(0, limit * 2)]);
  const today: IsoDate = addDays('2026-01-01', int(0, 364));
  const dueDate = addDays(today, pick([-15, -1, 0, 1, int(-20, 70)]));
  const dates = (count: number, back: number) =>
    Array.from({ length: count }, () => addDays(today, -int(0, back)));
  return {
    today,
    requestedDueDate: addDays(dueDate, pick([-1, 0, 1, 29, 30, 31, int(-5, 60)])),
    invoice: {
      amountOre: near(1_000_000),
      type: pick(INVOICE_TYPES),
      status: next() < 0.7 ? 'IKKE_BETALT' : pick(INVOICE_STATUSES),
      dueDate,
      inCollection: next() < 0.05,
      alreadyDeferred: next() < 0.1,
    },
    otherUnpaidInvoiceAmountsOre: Array.from({ length: pick([0, 0, 1, 1, 2, 3]) }, () =>
      near(1_000_000),
    ),
    deferralDates: dates(pick([0, 2, 3, 3, 4, 5]), 270),
    latePaymentDates: dates(int(0, 3), 500),
    reminderDates: dates(int(0, 3), 500),
    collectionCaseDates: dates(int(0, 2), 900),
  };
}

describe('decideByDefaultPolicy', () => {
  it('uses the limits written in rules/default.policy.json', () => {
    const values = compiledDefaultPolicy().parameterValues;
    for (const [name, value] of Object.entries(DEFAULT_POLICY_LIMITS))
      expect([name, values[name]]).toEqual([name, value]);
  });

  it('agrees with the rules engine on outcome, reasons and new due date for many random requests', async () => {
    const compiled = compiledDefaultPolicy();
    const seen = new Set<string>();
    for (let seed = 1; seed <= 400; seed++) {
      const facts = buildFacts(randomInput(random(seed)));
      const expected = decideByDefaultPolicy(facts);
      const decision = await evaluate(compiled, facts);
      const actual = { outcome: decision.outcome, reasons: decision.reasons.map((r) => r.code) };
      if (JSON.stringify(actual) !== JSON.stringify(expected)) {
        throw new Error(
          `seed ${seed}: engine ${JSON.stringify(actual)} vs baseline ${JSON.stringify(expected)} for ${JSON.stringify(facts)}`,
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
        'too-few-days',
        'too-many-days',
        'too-many-deferrals',
        'too-many-unpaid-invoices',
        'total-outstanding-over-limit',
        'within-limits',
      ].sort(),
    );
  });
});
