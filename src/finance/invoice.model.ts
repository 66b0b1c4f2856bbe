import type { IsoDate } from '../shared/calendar-date';
import type { Ore } from './money';

/**
 * An invoice as the finance system knows it, modelled on KS Fiks Innsyn's FAKTURA_V1
 * (ks-no/fiks-innsyn-json-schema, schema/domain/faktura.v1.json). Each field names the FAKTURA_V1
 * property it carries; "extension" marks what FAKTURA_V1 lacks and this portal needs. Amounts are
 * integer øre here and on the wire (`…Ore`), where FAKTURA_V1 has kroner as JSON numbers.
 */
export interface InvoiceSummary {
  /** extension `id`: opaque, stable id in the finance system; never derived from the identity number. */
  id: string;
  /** `fakturanummer`. */
  invoiceNumber: string;
  /** `tittel`, e.g. "Kommunale avgifter 1. kvartal 2026". */
  title: string;
  /** extension `kategori`: which municipal service the invoice is for. */
  category: InvoiceCategory;
  /** `fakturaDato`. */
  invoiceDate: IsoDate;
  /** `forfallDato`: the current due date, after any deferral. */
  dueDate: IsoDate;
  /** extension `opprinneligForfallDato`: the due date first printed; differs once deferred. */
  originalDueDate: IsoDate;
  /** `status`. */
  status: InvoiceStatus;
  /** `kanBetales`: false when paid, corrected to zero, or handed to a collection agency. */
  canBePaid: boolean;
  /** `sendtTilEkstern`: an outside party (collection agency) now handles the claim. */
  sentToExternal: boolean;
  /**
   * extension `inkassoselskap`: the agency that has the claim, when the finance system says who;
   * null when it does not (or the claim was never sent). Checked by `checkInvoice`.
   */
  collectionAgency: CollectionAgency | null;
  /** `beskrivelse`: free text about corrections or what happens next. */
  description: string | null;
  /** `fakturaMottaker`: the recipient's name. */
  recipientName: string;
  /** `betalesTil`: who is paid, e.g. "Fjordvik kommune". */
  payee: string;
  /** `belop`: original amount without fees, the sum of the lines. */
  amountOre: Ore;
  /** `innbetaltBelop`. */
  paidOre: Ore;
  /** `gebyr`: reminder fees. */
  feesOre: Ore;
  /** `renter`: late-payment interest. */
  interestOre: Ore;
  /** `andreOmkostninger`. */
  otherCostsOre: Ore;
  /** `totalbelop` = amount + fees + interest + other costs. */
  totalOre: Ore;
  /** `utestaendeBelop` = total − paid; 0 once paid. */
  outstandingOre: Ore;
  /** `kontonummer`: 11 digits, MOD11-valid (see `kid.ts`). */
  accountNumber: string;
  /** `kid`: MOD10 or MOD11-valid. */
  kid: string;
  /** `forsendelseskanal`; null when unknown. */
  deliveryChannel: DeliveryChannel | null;
}

/** One invoice with its lines and events, as `getInvoice` returns it. */
export interface Invoice extends InvoiceSummary {
  /** extension `fakturalinjer` (after FINT's okonomi Fakturalinje: antall, fritekst, pris in øre). */
  lines: InvoiceLine[];
  /**
   * extension `hendelser`: what happened to this invoice, oldest first. (FAKTURA_V1's
   * `fakturahistorikk` lists replaced invoice PDFs, which this portal does not show.)
   */
  history: InvoiceEvent[];
}

/** Who collects a claim sent to debt collection (extension `inkassoselskap`). */
export interface CollectionAgency {
  /** `navn`, e.g. "Fjellinkasso AS". */
  name: string;
  /** `telefon`, as people dial it ("+47 22 00 00 00"); null when not given. */
  phone: string | null;
  /** `nettside`: an https address; null when not given. */
  url: string | null;
}

export interface InvoiceLine {
  /** `beskrivelse`, e.g. "Vann, forbruksgebyr". */
  description: string;
  /** `antall`; may have decimals (cubic metres), so the line carries its own exact amounts. */
  quantity: number;
  /** `enhet`, e.g. "m³", "stk", "mnd". */
  unit: string;
  /** `enhetsprisOre`, excluding VAT. */
  unitPriceOre: Ore;
  /** `nettoOre`, excluding VAT. */
  netOre: Ore;
  /** `mvaSats` in percent: 0 for fees outside the VAT system, 25 for voluntary services. */
  vatRatePercent: number;
  /** `mvaOre`. */
  vatOre: Ore;
  /** `belopOre` = net + VAT. */
  totalOre: Ore;
}

export interface InvoiceEvent {
  /** `type`. */
  type: InvoiceEventType;
  /** `dato`. */
  date: IsoDate;
  /** `belopOre`: the payment or fee amount, when the event has one. */
  amountOre: Ore | null;
  /** `forfallDato`: the new due date of a DUE_DATE_CHANGED event. */
  dueDate: IsoDate | null;
}

export const INVOICE_EVENT_TYPES = [
  'ISSUED',
  'PAYMENT_RECEIVED',
  'REMINDER_SENT',
  'DEBT_COLLECTION_WARNING',
  'SENT_TO_DEBT_COLLECTION',
  'DUE_DATE_CHANGED',
] as const;
export type InvoiceEventType = (typeof INVOICE_EVENT_TYPES)[number];

/** FAKTURA_V1 `FakturastatusV1`, in English; the wire keeps the Norwegian values. */
export const INVOICE_STATUS_FROM_FAKTURA_V1 = {
  BETALT: 'PAID',
  IKKE_BETALT: 'UNPAID',
  INKASSOVARSEL: 'DEBT_COLLECTION_WARNING',
  SENDT_INKASSO: 'SENT_TO_DEBT_COLLECTION',
  /** Present in earlier FAKTURA_V1 revisions; later ones fold it into SENDT_INKASSO. */
  INKASSO: 'IN_DEBT_COLLECTION',
} as const;
export type InvoiceStatus =
  (typeof INVOICE_STATUS_FROM_FAKTURA_V1)[keyof typeof INVOICE_STATUS_FROM_FAKTURA_V1];

/** FAKTURA_V1 `FakturaForsendelseskanalV1`, in English. */
export const DELIVERY_CHANNEL_FROM_FAKTURA_V1 = {
  AVTALEGIRO: 'AVTALEGIRO',
  EFAKTURA: 'EFAKTURA',
  POST: 'PAPER_MAIL',
  EPOST: 'EMAIL',
  DIGIPOST: 'DIGIPOST',
  EBOKS: 'EBOKS',
} as const;
export type DeliveryChannel =
  (typeof DELIVERY_CHANNEL_FROM_FAKTURA_V1)[keyof typeof DELIVERY_CHANNEL_FROM_FAKTURA_V1];

/** Municipal services; the codes are the ones finance systems and the wire use. */
export const INVOICE_CATEGORIES = [
  'VANN_AVLOP',
  'RENOVASJON',
  'BARNEHAGE',
  'SFO',
  'EIENDOMSSKATT',
  'FEIING',
  'ANNET',
] as const;
export type InvoiceCategory = (typeof INVOICE_CATEGORIES)[number];

/** Statuses in which the claim belongs to a collection agency and the municipality cannot move it. */
export const IN_COLLECTION_STATUSES: readonly InvoiceStatus[] = [
  'SENT_TO_DEBT_COLLECTION',
  'IN_DEBT_COLLECTION',
];

/** The claim is with a collection agency: its status says so, or the finance system does. */
export function isInCollection(
  invoice: Pick<InvoiceSummary, 'status' | 'sentToExternal'>,
): boolean {
  return invoice.sentToExternal || IN_COLLECTION_STATUSES.includes(invoice.status);
}
