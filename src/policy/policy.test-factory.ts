import { readFileSync } from 'node:fs';
import type { FactInput } from './engine/build-facts';
import { addDays, type IsoDate } from '../shared/calendar-date';
import { DEFAULT_POLICY_FILE } from './loading/policy-paths';
import { CompiledPolicy, type PolicyEvaluator } from './engine/compiled-policy';
import { type DeferralFacts, INVOICE_STATUSES, INVOICE_TYPES } from './engine/facts';
import { loadPolicy } from './loading/policy-loader';

/** Test data for the policy folder. Built here, never taken from the demo seed. */

export function defaultPolicyText(): string {
  return readFileSync(DEFAULT_POLICY_FILE, 'utf8');
}

/** The default policy as plain JSON, to change or break on purpose with `setAt` / `removeAt`. */
export function defaultPolicyJson(): Record<string, unknown> {
  return JSON.parse(defaultPolicyText()) as Record<string, unknown>;
}

/** Sets the value at a JSON Pointer (the same paths the loader reports), creating nothing on the way. */
export function setAt(json: unknown, pointer: string, value: unknown): void {
  const { parent, key } = locate(json, pointer);
  parent[key] = value;
}

export function removeAt(json: unknown, pointer: string): void {
  const { parent, key } = locate(json, pointer);
  if (Array.isArray(parent)) parent.splice(Number(key), 1);
  else delete parent[key];
}

export function getAt(json: unknown, pointer: string): unknown {
  const { parent, key } = locate(json, pointer);
  return parent[key];
}

function locate(json: unknown, pointer: string): { parent: Record<string, unknown>; key: string } {
  const tokens = pointer
    .split('/')
    .slice(1)
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  const key = tokens.pop()!;
  let parent = json as Record<string, unknown>;
  for (const token of tokens) {
    if (parent[token] === null || typeof parent[token] !== 'object')
      throw new Error(`No ${token} in ${pointer}`);
    parent = parent[token] as Record<string, unknown>;
  }
  return { parent, key };
}

export function compileText(
  text: string,
  options: { evaluator?: PolicyEvaluator } = {},
): CompiledPolicy {
  const result = loadPolicy(text);
  if (!result.ok) throw new Error(`test policy does not load: ${JSON.stringify(result.errors)}`);
  return new CompiledPolicy(result.policy, result.hash, options);
}

export function compiledDefaultPolicy(): CompiledPolicy {
  return compileText(defaultPolicyText());
}

/** A request the default policy approves, with every fact one step inside its limit where that is easy. */
export function approvableFacts(overrides: Partial<DeferralFacts> = {}): DeferralFacts {
  return {
    amountOre: 250_000,
    invoiceType: 'VANN_AVLOP',
    invoiceStatus: 'IKKE_BETALT',
    inCollection: false,
    alreadyDeferred: false,
    today: '2026-03-10',
    dueDate: '2026-03-20',
    requestedDueDate: '2026-04-10',
    daysUntilDue: 10,
    daysPastDue: 0,
    requestedDays: 21,
    deferralsLast6Months: 0,
    deferralsLast12Months: 0,
    unpaidInvoiceCount: 1,
    unpaidTotalOre: 250_000,
    latePaymentsLast12Months: 0,
    remindersLast12Months: 0,
    collectionCasesLast24Months: 0,
    ...overrides,
  };
}

/** mulberry32: a seeded generator, so a failing case can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A realistic request, with values clustered on the default policy's boundaries, where a mistake would show. */
export function randomFactInput(next: () => number): FactInput {
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
