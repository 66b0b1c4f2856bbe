import { z } from 'zod';
import { type IsoDate, isIsoDate } from '../../shared/calendar-date';

/** Invoice kinds the finance system reports; `OTHER` for anything a municipality adds. */
export const INVOICE_TYPES = [
  'VANN_AVLOP',
  'RENOVASJON',
  'BARNEHAGE',
  'SFO',
  'EIENDOMSSKATT',
  'OTHER',
] as const;
export type InvoiceType = (typeof INVOICE_TYPES)[number];

/** FAKTURA_V1 statuses. */
export const INVOICE_STATUSES = [
  'BETALT',
  'IKKE_BETALT',
  'INKASSOVARSEL',
  'SENDT_INKASSO',
  'INKASSO',
] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/** Statuses that mean the claim has started down the debt-collection road. */
export const COLLECTION_STATUSES: readonly InvoiceStatus[] = [
  'INKASSOVARSEL',
  'SENDT_INKASSO',
  'INKASSO',
];

/**
 * What a policy may look at, one request at a time. Money is integer øre, dates are Oslo calendar
 * dates, day counts are whole calendar days. "Unpaid" counts include the invoice asked about;
 * history counts exclude the request being decided.
 */
export interface DeferralFacts {
  /** øre: what is still owed on this invoice. */
  amountOre: number;
  invoiceType: InvoiceType;
  invoiceStatus: InvoiceStatus;
  /** The invoice is in debt collection: a collection status, or the finance system says so. */
  inCollection: boolean;
  /** The invoice already has a deferral (granted here or in the finance system). */
  alreadyDeferred: boolean;
  /** The date the decision is made for. */
  today: IsoDate;
  /** The invoice's current due date. */
  dueDate: IsoDate;
  /** The new due date the resident asks for. */
  requestedDueDate: IsoDate;
  /** days: dueDate − today; negative once the due date has passed. */
  daysUntilDue: number;
  /** days: today − dueDate when past due, else 0. */
  daysPastDue: number;
  /** days: requestedDueDate − dueDate. */
  requestedDays: number;
  /** count: deferrals granted to the resident whose decision date lies in the last 6 calendar months. */
  deferralsLast6Months: number;
  /** count: as above, last 12 calendar months. */
  deferralsLast12Months: number;
  /** count: the resident's unpaid invoices, this one included. */
  unpaidInvoiceCount: number;
  /** øre: the sum still owed on those invoices, this one included. */
  unpaidTotalOre: number;
  /** count: invoices paid after their due date in the last 12 months. */
  latePaymentsLast12Months: number;
  /** count: payment reminders (purringer) sent in the last 12 months. */
  remindersLast12Months: number;
  /** count: claims sent to debt collection in the last 24 months. */
  collectionCasesLast24Months: number;
}

export type FactName = keyof DeferralFacts;

/** How a fact is measured; a condition may compare it only with a parameter of the same unit. */
export type FactUnit =
  'ore' | 'days' | 'count' | 'date' | 'boolean' | 'invoice-status' | 'invoice-type';

/** Every fact with its unit, in the order the JSON Schema's enum lists them. */
export const FACT_UNITS: Readonly<Record<FactName, FactUnit>> = {
  amountOre: 'ore',
  invoiceType: 'invoice-type',
  invoiceStatus: 'invoice-status',
  inCollection: 'boolean',
  alreadyDeferred: 'boolean',
  today: 'date',
  dueDate: 'date',
  requestedDueDate: 'date',
  daysUntilDue: 'days',
  daysPastDue: 'days',
  requestedDays: 'days',
  deferralsLast6Months: 'count',
  deferralsLast12Months: 'count',
  unpaidInvoiceCount: 'count',
  unpaidTotalOre: 'ore',
  latePaymentsLast12Months: 'count',
  remindersLast12Months: 'count',
  collectionCasesLast24Months: 'count',
};

export const FACT_NAMES = Object.keys(FACT_UNITS) as FactName[];

const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const days = z.number().int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);
const date = z.string().refine(isIsoDate, 'must be a calendar date YYYY-MM-DD');

/** Checked before every evaluation, so a missing or mistyped fact fails loudly instead of comparing false. */
export const deferralFactsSchema = z.strictObject({
  amountOre: count,
  invoiceType: z.enum(INVOICE_TYPES),
  invoiceStatus: z.enum(INVOICE_STATUSES),
  inCollection: z.boolean(),
  alreadyDeferred: z.boolean(),
  today: date,
  dueDate: date,
  requestedDueDate: date,
  daysUntilDue: days,
  daysPastDue: count,
  requestedDays: days,
  deferralsLast6Months: count,
  deferralsLast12Months: count,
  unpaidInvoiceCount: count,
  unpaidTotalOre: count,
  latePaymentsLast12Months: count,
  remindersLast12Months: count,
  collectionCasesLast24Months: count,
}) satisfies z.ZodType<DeferralFacts>;
