import { isIsoDate } from '../../shared/calendar-date';
import {
  type DeferralFacts,
  deferralFactsSchema,
  FACT_NAMES,
  FACT_UNITS,
  INVOICE_STATUSES,
  INVOICE_TYPES,
} from './facts';
import { InvalidFactsError } from '../policy.errors';

/**
 * The facts an evaluation runs on: a fresh copy (so a caller changing its object mid-evaluation
 * changes nothing), or InvalidFactsError listing every problem.
 *
 * `deferralFactsSchema` (zod) is the definition. Parsing with it costs more than the rules
 * themselves, so well-formed facts take a hand-written check that accepts only what the schema
 * accepts; anything it does not accept, it hands to zod, which gives the verdict and the messages.
 * check-facts.spec.ts holds the two to agreement.
 */
export function checkFacts(facts: unknown): DeferralFacts {
  const quick = quickCheck(facts);
  if (quick) return quick;
  const checked = deferralFactsSchema.safeParse(facts);
  if (!checked.success) {
    throw new InvalidFactsError(
      checked.error.issues.map((issue) => `${issue.path.join('.') || '(facts)'}: ${issue.message}`),
    );
  }
  return checked.data;
}

const STATUSES: readonly unknown[] = INVOICE_STATUSES;
const TYPES: readonly unknown[] = INVOICE_TYPES;

/** A copy of the facts when they plainly satisfy the schema; undefined when zod must judge. */
export function quickCheck(facts: unknown): DeferralFacts | undefined {
  if (typeof facts !== 'object' || facts === null || Array.isArray(facts)) return undefined;
  const f = facts as Record<string, unknown>;
  // Exactly the known facts, each an own property: nothing unknown, inherited or missing.
  let keys = 0;
  for (const key in f) {
    if (!Object.hasOwn(FACT_UNITS, key) || !Object.hasOwn(f, key)) return undefined;
    keys++;
  }
  if (keys !== FACT_NAMES.length) return undefined;
  // Read each value once, then judge the copy: what is checked is what gets evaluated.
  const copy: DeferralFacts = {
    amountOre: f.amountOre as number,
    invoiceType: f.invoiceType as DeferralFacts['invoiceType'],
    invoiceStatus: f.invoiceStatus as DeferralFacts['invoiceStatus'],
    inCollection: f.inCollection as boolean,
    alreadyDeferred: f.alreadyDeferred as boolean,
    today: f.today as string,
    dueDate: f.dueDate as string,
    requestedDueDate: f.requestedDueDate as string,
    daysUntilDue: f.daysUntilDue as number,
    daysPastDue: f.daysPastDue as number,
    requestedDays: f.requestedDays as number,
    deferralsLast6Months: f.deferralsLast6Months as number,
    deferralsLast12Months: f.deferralsLast12Months as number,
    unpaidInvoiceCount: f.unpaidInvoiceCount as number,
    unpaidTotalOre: f.unpaidTotalOre as number,
    latePaymentsLast12Months: f.latePaymentsLast12Months as number,
    remindersLast12Months: f.remindersLast12Months as number,
    collectionCasesLast24Months: f.collectionCasesLast24Months as number,
  };
  const ok =
    isCount(copy.amountOre) &&
    TYPES.includes(copy.invoiceType) &&
    STATUSES.includes(copy.invoiceStatus) &&
    typeof copy.inCollection === 'boolean' &&
    typeof copy.alreadyDeferred === 'boolean' &&
    isIsoDate(copy.today) &&
    isIsoDate(copy.dueDate) &&
    isIsoDate(copy.requestedDueDate) &&
    Number.isSafeInteger(copy.daysUntilDue) &&
    isCount(copy.daysPastDue) &&
    Number.isSafeInteger(copy.requestedDays) &&
    isCount(copy.deferralsLast6Months) &&
    isCount(copy.deferralsLast12Months) &&
    isCount(copy.unpaidInvoiceCount) &&
    isCount(copy.unpaidTotalOre) &&
    isCount(copy.latePaymentsLast12Months) &&
    isCount(copy.remindersLast12Months) &&
    isCount(copy.collectionCasesLast24Months);
  return ok ? copy : undefined;
}

/** z.number().int().min(0).max(MAX_SAFE_INTEGER) */
function isCount(value: unknown): boolean {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}
