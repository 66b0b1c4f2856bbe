import fc from 'fast-check';
import { addDays, daysBetween, type IsoDate } from '../../shared/calendar-date';
import {
  type DeferralFacts,
  FACT_NAMES,
  FACT_UNITS,
  type FactName,
  INVOICE_STATUSES,
  INVOICE_TYPES,
} from '../engine/facts';
import type { Policy } from '../policy.types';

const MAX = Number.MAX_SAFE_INTEGER;
const DUE: IsoDate = '2026-06-15';

type NumberUnit = 'ore' | 'days' | 'count';
const NUMBER_FACTS = FACT_NAMES.filter((fact) =>
  ['ore', 'days', 'count'].includes(FACT_UNITS[fact]),
) as (FactName & keyof NumberFacts)[];
type NumberFacts = Pick<
  DeferralFacts,
  {
    [K in keyof DeferralFacts]: DeferralFacts[K] extends number ? K : never;
  }[keyof DeferralFacts]
>;

/** Facts whose day counts agree with their dates, as buildFacts would give them. */
function consistent(facts: DeferralFacts): DeferralFacts {
  const daysUntilDue = daysBetween(facts.today, facts.dueDate);
  return {
    ...facts,
    daysUntilDue,
    daysPastDue: Math.max(0, -daysUntilDue),
    requestedDays: daysBetween(facts.dueDate, facts.requestedDueDate),
  };
}

/** An ordinary request well inside usual limits, for the fixed cases to vary one thing at a time. */
function baseFacts(): DeferralFacts {
  return consistent({
    amountOre: 250_000,
    invoiceType: 'VANN_AVLOP',
    invoiceStatus: 'IKKE_BETALT',
    inCollection: false,
    alreadyDeferred: false,
    today: addDays(DUE, -10),
    dueDate: DUE,
    requestedDueDate: addDays(DUE, 14),
    daysUntilDue: 0,
    daysPastDue: 0,
    requestedDays: 0,
    deferralsLast6Months: 0,
    deferralsLast12Months: 0,
    unpaidInvoiceCount: 1,
    unpaidTotalOre: 250_000,
    latePaymentsLast12Months: 0,
    remindersLast12Months: 0,
    collectionCasesLast24Months: 0,
  });
}

/** The policy's numeric limits per unit: where a rule's outcome flips. */
function limitsOf(policy: Policy): Record<NumberUnit, number[]> {
  const limits: Record<NumberUnit, number[]> = { ore: [], days: [], count: [] };
  for (const { unit, value } of Object.values(policy.parameters))
    if ((unit === 'ore' || unit === 'days' || unit === 'count') && typeof value === 'number')
      limits[unit].push(value);
  return limits;
}

/** 0, 1, each limit and its neighbours, and the largest value a fact may take (negatives for day differences). */
function boundaries(policy: Policy, unit: NumberUnit, signed: boolean): number[] {
  const values = new Set<number>([0, 1, MAX]);
  for (const limit of limitsOf(policy)[unit])
    for (const v of [limit - 1, limit, limit + 1]) if (v >= 0 && v <= MAX) values.add(v);
  if (signed) for (const v of [...values]) if (v > 0) values.add(-v);
  return [...values];
}

const signed = (fact: FactName) => fact === 'daysUntilDue' || fact === 'requestedDays';

/**
 * Hand-picked edge cases, derived from the policy's own limits: every number fact at 0, 1, each
 * limit ±1 and the largest allowed value; request dates at the edges of the asking window and new
 * due dates at the edges of the deferral; every status × type × collection × deferred combination.
 */
export function fixedCases(policy: Policy): DeferralFacts[] {
  const base = baseFacts();
  const cases: DeferralFacts[] = [base];
  for (const fact of NUMBER_FACTS) {
    const unit = FACT_UNITS[fact] as NumberUnit;
    for (const value of boundaries(policy, unit, signed(fact)))
      cases.push({ ...base, [fact]: value });
  }
  const p = policy.parameters;
  const days = (value: unknown) => (typeof value === 'number' && value <= 36_500 ? value : 0);
  const earliest = days(p.earliestDaysBeforeDue?.value);
  const latest = days(p.latestDaysAfterDue?.value);
  const min = days(p.minDeferralDays?.value);
  const max = days(p.maxDeferralDays?.value);
  for (const offset of [-earliest - 1, -earliest, -1, 0, 1, latest, latest + 1])
    for (const requested of [min - 1, min, max, max + 1, -1, 0])
      cases.push(
        consistent({
          ...base,
          today: addDays(DUE, offset),
          requestedDueDate: addDays(DUE, requested),
        }),
      );
  for (const invoiceStatus of INVOICE_STATUSES)
    for (const invoiceType of INVOICE_TYPES)
      for (const inCollection of [false, true])
        for (const alreadyDeferred of [false, true])
          cases.push({ ...base, invoiceStatus, invoiceType, inCollection, alreadyDeferred });
  const all = (value: number) =>
    Object.fromEntries(NUMBER_FACTS.map((fact) => [fact, value])) as Partial<DeferralFacts>;
  cases.push({ ...base, ...all(0) }, { ...base, ...all(MAX) });
  return cases;
}

/**
 * Facts drawn by fast-check with a fixed seed, so the same policy always meets the same cases:
 * each fact on its own (combinations buildFacts would never give, as recorded facts may hold),
 * numbers clustered on the policy's limits, and half the time day counts agreeing with the dates.
 */
export function generatedCases(policy: Policy, seed: number, runs: number): DeferralFacts[] {
  const number = (fact: FactName) => {
    const unit = FACT_UNITS[fact] as NumberUnit;
    const near = fc.constantFrom(...boundaries(policy, unit, signed(fact)));
    const any = signed(fact) ? fc.integer({ min: -1000, max: 1000 }) : fc.nat({ max: 5_000_000 });
    return fc.oneof(near, any);
  };
  const date = fc.integer({ min: -400, max: 400 }).map((d) => addDays(DUE, d));
  const numbers = Object.fromEntries(NUMBER_FACTS.map((fact) => [fact, number(fact)])) as {
    [K in keyof NumberFacts]: fc.Arbitrary<number>;
  };
  const facts = fc.record({
    ...numbers,
    invoiceType: fc.constantFrom(...INVOICE_TYPES),
    invoiceStatus: fc.constantFrom(...INVOICE_STATUSES),
    inCollection: fc.boolean(),
    alreadyDeferred: fc.boolean(),
    today: date,
    dueDate: date,
    requestedDueDate: date,
  });
  const arbitrary = fc
    .tuple(facts, fc.boolean())
    .map(([drawn, agree]) => (agree ? consistent(drawn) : drawn));
  return fc.sample(arbitrary, { seed, numRuns: runs });
}
