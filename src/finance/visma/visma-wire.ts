import { z } from 'zod';
import { FinanceUnavailableError } from '../finance.errors';
import { parseWire } from '../http-finance-wire';
import { isIsoDate, type IsoDate } from '../../shared/calendar-date';
import type { Ore } from '../money';

/* The parts of Visma.net ERP's DTOs the portal reads (CustomerDto, CustomerInvoiceDto, PaymentDto
   of the v1 API), validated before use. Unknown fields pass: Visma adds fields often. */

/** Visma sends date-times such as "2026-03-10T00:00:00"; the calendar day is what counts. */
const vismaDate = z
  .string()
  .refine((v) => isIsoDate(v.slice(0, 10)), { error: 'must be a date' })
  .transform((v): IsoDate => v.slice(0, 10));
const kroner = z.number().refine(Number.isFinite, { error: 'must be a number' });
const metadata = z.object({ totalCount: z.number().int().min(0).optional() }).nullish();

export const customerSchema = z.object({
  number: z.string().min(1),
  name: z.string().nullish(),
  corporateId: z.string().nullish(),
  attributes: z.array(z.object({ id: z.string(), value: z.string().nullish() })).nullish(),
  metadata,
});
export type VismaCustomer = z.infer<typeof customerSchema>;

const lineSchema = z.object({
  lineNumber: z.number().int().optional(),
  inventoryNumber: z.string().nullish(),
  description: z.string().nullish(),
  quantity: kroner,
  unitPrice: kroner,
  /** After discount, without VAT. */
  amount: kroner,
  uom: z.string().nullish(),
  vatCode: z.object({ id: z.string() }).nullish(),
});

const taxDetailSchema = z.object({
  vatId: z.object({ number: z.string() }).nullish(),
  vatRate: kroner,
  vatAmount: kroner,
});

export const invoiceSchema = z.object({
  referenceNumber: z.string().regex(/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$/),
  documentType: z.string().nullish(),
  status: z.string(),
  customer: z.object({ number: z.string(), name: z.string().nullish() }),
  documentDate: vismaDate,
  documentDueDate: vismaDate,
  invoiceText: z.string().nullish(),
  amount: kroner,
  balance: kroner,
  paymentReference: z.string().nullish(),
  dunningLetterLevel: z.number().int().min(0).nullish(),
  dunningLetterDate: vismaDate.nullish(),
  debtCollection: z.object({ caseNumber: z.string().nullish() }).nullish(),
  note: z.string().nullish(),
  timeStamp: z.string().nullish(),
  invoiceLines: z.array(lineSchema).nullish(),
  taxDetails: z.array(taxDetailSchema).nullish(),
  metadata,
});
export type VismaInvoice = z.infer<typeof invoiceSchema>;
export type VismaInvoiceLine = z.infer<typeof lineSchema>;
export type VismaTaxDetail = z.infer<typeof taxDetailSchema>;

export const paymentSchema = z.object({
  type: z.string(),
  refNbr: z.string().optional(),
  status: z.string(),
  applicationDate: vismaDate,
  paymentLines: z
    .array(z.object({ documentType: z.string(), refNbr: z.string(), amountPaid: kroner }))
    .nullish(),
  metadata,
});
export type VismaPayment = z.infer<typeof paymentSchema>;

export function parseList<S extends z.ZodType>(
  schema: S,
  body: unknown,
  what: string,
): z.infer<S>[] {
  return parseWire(z.array(schema), body, what);
}

export { parseWire };

/**
 * Kroner with at most two decimals, as øre. A double such as 1234.5 is 123450 øre exactly after
 * rounding; a value that is not a whole number of øre is a broken answer, not something to round.
 */
export function toOre(kr: number, what: string): Ore {
  const ore = Math.round(kr * 100);
  if (!Number.isSafeInteger(ore) || Math.abs(ore - kr * 100) > 1e-6) {
    throw new FinanceUnavailableError(
      'bad-response',
      `Malformed invoice from the finance system: ${what} is not a whole number of øre`,
    );
  }
  return ore;
}
