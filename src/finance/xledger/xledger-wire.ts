import { z } from 'zod';
import { isIsoDate } from '../../shared/calendar-date';
import type { Ore } from '../money';

/* Xledger's answers, validated before anything is made of them: every field the adapter reads
   must be present (null where Xledger has no value), so a node without its `dueDate` is a clear
   bad answer naming the field, never an invoice with a missing date. */

/** "1234.50" (Xledger sends decimals as strings) or a JSON number, to whole øre; else undefined. */
export function oreOf(value: string | number): Ore | undefined {
  const text = typeof value === 'number' ? String(value) : value.trim();
  const match = /^(-?)(\d{1,13})(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) return undefined;
  const [, sign, whole, fraction = ''] = match;
  const ore = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  return sign === '-' ? -ore : ore;
}

const money = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const ore = oreOf(value);
  if (ore === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be an amount in kroner with at most 2 decimals',
    });
    return z.NEVER;
  }
  return ore;
});

/** A date, or the date part of a date-time. */
const date = z
  .string()
  .refine((v) => isIsoDate(v.slice(0, 10)) && (v.length === 10 || v[10] === 'T'), {
    error: 'must be a date as YYYY-MM-DD',
  })
  .transform((v) => v.slice(0, 10));

const dbId = z
  .union([z.string().regex(/^\d{1,19}$/), z.number().int().nonnegative()])
  .transform(String);

const connection = <T extends z.ZodType>(node: T) =>
  z.object({
    edges: z.array(z.object({ cursor: z.string().nullish(), node })),
    pageInfo: z.object({ hasNextPage: z.boolean() }).nullish(),
  });

export const companiesAnswer = z.object({ companies: connection(z.object({ dbId })) });

export const customersAnswer = z.object({
  customers: connection(z.object({ dbId, description: z.string().nullable() })),
});

const arNode = z.object({
  dbId,
  subledgerDbId: dbId,
  invoiceNumber: z.string(),
  invoiceDate: date,
  /** Null on some payments; an invoice without one is refused by the mapping. */
  dueDate: date.nullable(),
  invoiceAmount: money,
  invoiceRemaining: money,
  paymentReference: z.string().nullable(),
  matchId: z
    .union([z.number().int(), z.string().regex(/^\d+$/)])
    .transform(Number)
    .nullable(),
  text: z.string().nullable(),
  reminderDate: date.nullable(),
  interest: money.nullable(),
  lateFee: money.nullable(),
  bankAccount: z.string().nullable(),
  paymentDate: date.nullable(),
  paymentStatus: z.object({ name: z.string() }).nullable(),
  transactionHeader: z
    .object({
      postedDate: date.nullable(),
      transactionSource: z.object({ code: z.string() }).nullable(),
    })
    .nullable(),
});
export type ArRow = z.infer<typeof arNode>;

export const ledgerAnswer = z.object({ arTransactions: connection(arNode) });
export type LedgerAnswer = z.infer<typeof ledgerAnswer>;

const detail = z.object({
  lineNumber: z.number().int().nullable(),
  text: z.string().nullable(),
  quantity: z.number().refine(Number.isFinite),
  unit: z.string().nullable(),
  unitPrice: money,
  amount: money,
  taxAmount: money.nullable(),
  product: z.object({ code: z.string().nullable(), description: z.string().nullable() }).nullable(),
});
export type SalesOrderDetail = z.infer<typeof detail>;

export const salesOrdersAnswer = z.object({
  salesOrders: connection(
    z.object({ invoiceNumber: z.string(), details: z.array(detail).nullable() }),
  ),
});
