import type {
  DeliveryChannel,
  Invoice,
  InvoiceEvent,
  InvoiceStatus,
  InvoiceSummary,
} from '../../src/finance/invoice.model';
import type { PaymentEvent } from '../../src/finance/payment-history.model';

/* The server's own mapping to the wire format of contracts/finance-system.openapi.yaml, written
   independently of the adapter's so that the contract test exercises both directions. */

const STATUS: Record<InvoiceStatus, string> = {
  PAID: 'BETALT',
  UNPAID: 'IKKE_BETALT',
  DEBT_COLLECTION_WARNING: 'INKASSOVARSEL',
  SENT_TO_DEBT_COLLECTION: 'SENDT_INKASSO',
  IN_DEBT_COLLECTION: 'INKASSO',
};

const CHANNEL: Record<DeliveryChannel, string> = {
  AVTALEGIRO: 'AVTALEGIRO',
  EFAKTURA: 'EFAKTURA',
  PAPER_MAIL: 'POST',
  EMAIL: 'EPOST',
  DIGIPOST: 'DIGIPOST',
  EBOKS: 'EBOKS',
};

const INVOICE_EVENT: Record<InvoiceEvent['type'], string> = {
  ISSUED: 'UTSTEDT',
  PAYMENT_RECEIVED: 'INNBETALING',
  REMINDER_SENT: 'PURRING',
  DEBT_COLLECTION_WARNING: 'INKASSOVARSEL',
  SENT_TO_DEBT_COLLECTION: 'SENDT_INKASSO',
  DUE_DATE_CHANGED: 'FORFALL_ENDRET',
};

const PAYMENT_EVENT: Record<PaymentEvent['type'], string> = {
  PAID_ON_TIME: 'BETALT_I_TIDE',
  PAID_LATE: 'BETALT_FOR_SENT',
  REMINDER_SENT: 'PURRING',
  DEBT_COLLECTION_WARNING: 'INKASSOVARSEL',
  SENT_TO_DEBT_COLLECTION: 'SENDT_INKASSO',
  DUE_DATE_CHANGED: 'FORFALL_ENDRET',
};

export function summaryToWire(i: InvoiceSummary) {
  return {
    id: i.id,
    fakturanummer: i.invoiceNumber,
    tittel: i.title,
    kategori: i.category,
    fakturaDato: i.invoiceDate,
    forfallDato: i.dueDate,
    opprinneligForfallDato: i.originalDueDate,
    status: STATUS[i.status],
    kanBetales: i.canBePaid,
    sendtTilEkstern: i.sentToExternal,
    inkassoselskap:
      i.collectionAgency === null
        ? null
        : {
            navn: i.collectionAgency.name,
            telefon: i.collectionAgency.phone,
            nettside: i.collectionAgency.url,
          },
    beskrivelse: i.description,
    fakturaMottaker: i.recipientName,
    betalesTil: i.payee,
    belopOre: i.amountOre,
    innbetaltBelopOre: i.paidOre,
    gebyrOre: i.feesOre,
    renterOre: i.interestOre,
    andreOmkostningerOre: i.otherCostsOre,
    totalbelopOre: i.totalOre,
    utestaendeBelopOre: i.outstandingOre,
    kontonummer: i.accountNumber,
    kid: i.kid,
    forsendelseskanal: i.deliveryChannel === null ? null : CHANNEL[i.deliveryChannel],
  };
}

export function invoiceToWire(i: Invoice) {
  return {
    ...summaryToWire(i),
    fakturalinjer: i.lines.map((l) => ({
      beskrivelse: l.description,
      antall: l.quantity,
      enhet: l.unit,
      enhetsprisOre: l.unitPriceOre,
      nettoOre: l.netOre,
      mvaSats: l.vatRatePercent,
      mvaOre: l.vatOre,
      belopOre: l.totalOre,
    })),
    hendelser: i.history.map((e) => ({
      type: INVOICE_EVENT[e.type],
      dato: e.date,
      belopOre: e.amountOre,
      forfallDato: e.dueDate,
    })),
  };
}

export function paymentEventToWire(e: PaymentEvent) {
  return {
    type: PAYMENT_EVENT[e.type],
    dato: e.date,
    fakturaId: e.invoiceId,
    fakturanummer: e.invoiceNumber,
    belopOre: e.amountOre,
    dagerForSent: e.daysLate,
  };
}
