import { buildFacts, type FactInput } from './build-facts';
import { FACT_NAMES } from './facts';

function input(
  overrides: Partial<FactInput> = {},
  invoice: Partial<FactInput['invoice']> = {},
): FactInput {
  return {
    today: '2026-03-10',
    requestedDueDate: '2026-04-19',
    invoice: {
      amountOre: 123_400,
      type: 'RENOVASJON',
      status: 'IKKE_BETALT',
      dueDate: '2026-03-20',
      alreadyDeferred: false,
      ...invoice,
    },
    otherUnpaidInvoiceAmountsOre: [],
    deferralDates: [],
    latePaymentDates: [],
    reminderDates: [],
    collectionCaseDates: [],
    ...overrides,
  };
}

describe(buildFacts.name, () => {
  it('produces every fact the schema knows, and no others', () => {
    expect(Object.keys(buildFacts(input())).sort()).toEqual([...FACT_NAMES].sort());
  });

  it('counts days until due and requested days in calendar days across the spring DST change', () => {
    const facts = buildFacts(input());
    expect(facts.daysUntilDue).toBe(10);
    expect(facts.daysPastDue).toBe(0);
    expect(facts.requestedDays).toBe(30);
  });

  it('makes daysUntilDue negative and daysPastDue positive when asked after the due date', () => {
    const facts = buildFacts(input({ today: '2026-03-21' }));
    expect(facts.daysUntilDue).toBe(-1);
    expect(facts.daysPastDue).toBe(1);
  });

  it('counts requested days over a month end', () => {
    expect(
      buildFacts(input({ requestedDueDate: '2026-03-02' }, { dueDate: '2026-01-31' }))
        .requestedDays,
    ).toBe(30);
  });

  it('counts this invoice with the other unpaid ones when it is unpaid', () => {
    const facts = buildFacts(input({ otherUnpaidInvoiceAmountsOre: [50_000, 1] }));
    expect(facts.unpaidInvoiceCount).toBe(3);
    expect(facts.unpaidTotalOre).toBe(173_401);
  });

  it('leaves a paid invoice out of the unpaid count and total', () => {
    const facts = buildFacts(
      input({ otherUnpaidInvoiceAmountsOre: [50_000] }, { status: 'BETALT' }),
    );
    expect(facts.unpaidInvoiceCount).toBe(1);
    expect(facts.unpaidTotalOre).toBe(50_000);
  });

  it.each(['INKASSOVARSEL', 'SENDT_INKASSO', 'INKASSO'] as const)(
    'marks the invoice in collection when its status is %s',
    (status) => {
      expect(buildFacts(input({}, { status })).inCollection).toBe(true);
    },
  );

  it('marks the invoice in collection when the finance system flags it, whatever its status', () => {
    expect(buildFacts(input({}, { inCollection: true })).inCollection).toBe(true);
    expect(buildFacts(input()).inCollection).toBe(false);
  });

  it('counts deferrals from the same calendar day six and twelve months back', () => {
    const facts = buildFacts(
      input({
        today: '2026-08-31',
        deferralDates: ['2026-02-27', '2026-02-28', '2026-06-01', '2025-08-31', '2025-08-30'],
      }),
    );
    // 2026-08-31 minus 6 months is 2026-02-28 (February has no 31st).
    expect(facts.deferralsLast6Months).toBe(2);
    expect(facts.deferralsLast12Months).toBe(4);
  });

  it('counts late payments, reminders and collection cases in their own windows', () => {
    const facts = buildFacts(
      input({
        latePaymentDates: ['2025-03-10', '2025-03-09'],
        reminderDates: ['2026-01-01'],
        collectionCaseDates: ['2024-03-10', '2024-03-09', '2025-12-24'],
      }),
    );
    expect(facts.latePaymentsLast12Months).toBe(1);
    expect(facts.remindersLast12Months).toBe(1);
    expect(facts.collectionCasesLast24Months).toBe(2);
  });

  it('refuses an amount in kroner with decimals', () => {
    expect(() => buildFacts(input({}, { amountOre: 1234.5 }))).toThrow(
      /whole, non-negative number of øre/,
    );
  });

  it('refuses an unpaid total that is not a safe integer', () => {
    expect(() =>
      buildFacts(input({ otherUnpaidInvoiceAmountsOre: [Number.MAX_SAFE_INTEGER] })),
    ).toThrow(/unpaid total/);
  });

  it('refuses a date that does not exist', () => {
    expect(() => buildFacts(input({ requestedDueDate: '2026-02-30' }))).toThrow(RangeError);
  });

  it('gives the same facts for the same input', () => {
    expect(buildFacts(input())).toEqual(buildFacts(input()));
  });
});
