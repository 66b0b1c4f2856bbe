import { z } from 'zod';
import { FinanceUnavailableError } from './finance.errors';
import type { DueDateChange } from './finance-system.port';
import {
  DELIVERY_CHANNEL_FROM_FAKTURA_V1,
  INVOICE_CATEGORIES,
  INVOICE_STATUS_FROM_FAKTURA_V1,
  type Invoice,
  type InvoiceSummary,
} from './invoice.model';
import { isIsoDate } from '../shared/calendar-date';
import { isValidAccountNumber, isValidKid } from './kid';
import { summarizePaymentEvents, type PaymentHistory } from './payment-history.model';
import { checkInvoice } from './invoice-consistency';

/* The finance system's JSON, as contracts/finance-system.openapi.yaml describes it. Everything is
   validated before it becomes a domain object, so a broken answer is an error, never a wrong sum. */

const ore = z.number().refine(Number.isSafeInteger, { error: 'must be a whole number of øre' });
const date = z.string().refine(isIsoDate, { error: 'must be a date as YYYY-MM-DD' });
const text = z.string().min(1);

/* Shape only; what the resident is shown of it (https link, phone digits) is `checkInvoice`'s. */
const collectionAgencySchema = z.object({
  navn: text,
  telefon: z.string().nullable().optional(),
  nettside: z.string().nullable().optional(),
});

const summarySchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$/),
  fakturanummer: text,
  tittel: text,
  kategori: z.enum(INVOICE_CATEGORIES),
  fakturaDato: date,
  forfallDato: date,
  opprinneligForfallDato: date,
  status: z.enum(
    Object.keys(INVOICE_STATUS_FROM_FAKTURA_V1) as [keyof typeof INVOICE_STATUS_FROM_FAKTURA_V1],
  ),
  kanBetales: z.boolean(),
  sendtTilEkstern: z.boolean(),
  /** Added in contract 1.1: a finance system that does not send it says nothing of the agency. */
  inkassoselskap: collectionAgencySchema.nullable().optional(),
  beskrivelse: z.string().nullable(),
  fakturaMottaker: text,
  betalesTil: text,
  belopOre: ore,
  innbetaltBelopOre: ore,
  gebyrOre: ore,
  renterOre: ore,
  andreOmkostningerOre: ore,
  totalbelopOre: ore,
  utestaendeBelopOre: ore,
  kontonummer: z.string().refine(isValidAccountNumber, { error: 'must be a valid account number' }),
  kid: z.string().refine((kid) => isValidKid(kid), { error: 'must be a MOD10 or MOD11 KID' }),
  forsendelseskanal: z
    .enum(
      Object.keys(DELIVERY_CHANNEL_FROM_FAKTURA_V1) as [
        keyof typeof DELIVERY_CHANNEL_FROM_FAKTURA_V1,
      ],
    )
    .nullable(),
});

const lineSchema = z.object({
  beskrivelse: text,
  antall: z.number().refine(Number.isFinite),
  enhet: text,
  enhetsprisOre: ore,
  nettoOre: ore,
  mvaSats: z.number().int().min(0).max(100),
  mvaOre: ore,
  belopOre: ore,
});

const INVOICE_EVENT = {
  UTSTEDT: 'ISSUED',
  INNBETALING: 'PAYMENT_RECEIVED',
  PURRING: 'REMINDER_SENT',
  INKASSOVARSEL: 'DEBT_COLLECTION_WARNING',
  SENDT_INKASSO: 'SENT_TO_DEBT_COLLECTION',
  FORFALL_ENDRET: 'DUE_DATE_CHANGED',
} as const;

const invoiceEventSchema = z.object({
  type: z.enum(Object.keys(INVOICE_EVENT) as [keyof typeof INVOICE_EVENT]),
  dato: date,
  belopOre: ore.nullable(),
  forfallDato: date.nullable(),
});

const invoiceSchema = summarySchema.extend({
  fakturalinjer: z.array(lineSchema),
  hendelser: z.array(invoiceEventSchema),
});

const PAYMENT_EVENT = {
  BETALT_I_TIDE: 'PAID_ON_TIME',
  BETALT_FOR_SENT: 'PAID_LATE',
  PURRING: 'REMINDER_SENT',
  INKASSOVARSEL: 'DEBT_COLLECTION_WARNING',
  SENDT_INKASSO: 'SENT_TO_DEBT_COLLECTION',
  FORFALL_ENDRET: 'DUE_DATE_CHANGED',
} as const;

const paymentHistorySchema = z.object({
  hendelser: z.array(
    z.object({
      type: z.enum(Object.keys(PAYMENT_EVENT) as [keyof typeof PAYMENT_EVENT]),
      dato: date,
      fakturaId: text,
      fakturanummer: text,
      belopOre: ore.nullable(),
      dagerForSent: z.number().int().min(1).nullable(),
    }),
  ),
});

const dueDateChangeSchema = z.object({
  fakturaId: text,
  forfallDato: date,
  forrigeForfallDato: date,
  endretTidspunkt: z.iso.datetime({ offset: true }),
});

export const problemSchema = z.object({
  code: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
  detail: z.string().optional(),
  title: z.string().optional(),
});

export function parseWire<S extends z.ZodType>(schema: S, body: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  // Paths and messages only: zod's messages do not echo values, so no personal data reaches logs.
  const issues = result.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new FinanceUnavailableError(
    'bad-response',
    `Malformed ${what} from the finance system: ${issues.join('; ')}`,
  );
}

function toSummary(w: z.infer<typeof summarySchema>): InvoiceSummary {
  return {
    id: w.id,
    invoiceNumber: w.fakturanummer,
    title: w.tittel,
    category: w.kategori,
    invoiceDate: w.fakturaDato,
    dueDate: w.forfallDato,
    originalDueDate: w.opprinneligForfallDato,
    status: INVOICE_STATUS_FROM_FAKTURA_V1[w.status],
    canBePaid: w.kanBetales,
    sentToExternal: w.sendtTilEkstern,
    collectionAgency: w.inkassoselskap
      ? {
          name: w.inkassoselskap.navn,
          phone: w.inkassoselskap.telefon ?? null,
          url: w.inkassoselskap.nettside ?? null,
        }
      : null,
    description: w.beskrivelse,
    recipientName: w.fakturaMottaker,
    payee: w.betalesTil,
    amountOre: w.belopOre,
    paidOre: w.innbetaltBelopOre,
    feesOre: w.gebyrOre,
    interestOre: w.renterOre,
    otherCostsOre: w.andreOmkostningerOre,
    totalOre: w.totalbelopOre,
    outstandingOre: w.utestaendeBelopOre,
    accountNumber: w.kontonummer,
    kid: w.kid,
    deliveryChannel:
      w.forsendelseskanal === null ? null : DELIVERY_CHANNEL_FROM_FAKTURA_V1[w.forsendelseskanal],
  };
}

export function invoiceListFromWire(body: unknown): InvoiceSummary[] {
  const { fakturaer } = parseWire(
    z.object({ fakturaer: z.array(summarySchema) }),
    body,
    'invoice list',
  );
  return fakturaer.map((w) => checked(toSummary(w)));
}

export function invoiceFromWire(body: unknown): Invoice {
  const w = parseWire(invoiceSchema, body, 'invoice');
  return checked({
    ...toSummary(w),
    lines: w.fakturalinjer.map((l) => ({
      description: l.beskrivelse,
      quantity: l.antall,
      unit: l.enhet,
      unitPriceOre: l.enhetsprisOre,
      netOre: l.nettoOre,
      vatRatePercent: l.mvaSats,
      vatOre: l.mvaOre,
      totalOre: l.belopOre,
    })),
    history: w.hendelser.map((e) => ({
      type: INVOICE_EVENT[e.type],
      date: e.dato,
      amountOre: e.belopOre,
      dueDate: e.forfallDato,
    })),
  });
}

export function paymentHistoryFromWire(body: unknown): PaymentHistory {
  const { hendelser } = parseWire(paymentHistorySchema, body, 'payment history');
  return summarizePaymentEvents(
    hendelser.map((e) => ({
      type: PAYMENT_EVENT[e.type],
      date: e.dato,
      invoiceId: e.fakturaId,
      invoiceNumber: e.fakturanummer,
      amountOre: e.belopOre,
      daysLate: e.dagerForSent,
    })),
  );
}

export function dueDateChangeFromWire(body: unknown, replayed: boolean): DueDateChange {
  const w = parseWire(dueDateChangeSchema, body, 'due date change');
  return {
    invoiceId: w.fakturaId,
    dueDate: w.forfallDato,
    previousDueDate: w.forrigeForfallDato,
    changedAt: w.endretTidspunkt,
    replayed,
  };
}

function checked<T extends InvoiceSummary>(invoice: T): T {
  const problem = checkInvoice(invoice);
  if (problem) {
    throw new FinanceUnavailableError(
      'bad-response',
      `Inconsistent invoice from the finance system: ${problem}`,
    );
  }
  return invoice;
}
