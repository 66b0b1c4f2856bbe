import type { IsoDate } from '../shared/calendar-date';
import type { Ore } from './money';

/** How a resident has paid their municipal invoices; a deferral policy reads it as facts. */
export interface PaymentHistory {
  /** Oldest first. */
  events: PaymentEvent[];
  /** Derived from `events` by `summarizePaymentEvents`, never sent separately, so they cannot disagree. */
  counts: PaymentHistoryCounts;
}

export interface PaymentEvent {
  type: PaymentEventType;
  date: IsoDate;
  invoiceId: string;
  invoiceNumber: string;
  /** Amount paid, or the fee charged for a reminder; null when the event has none. */
  amountOre: Ore | null;
  /** Days after the due date; set for PAID_LATE only. */
  daysLate: number | null;
}

export const PAYMENT_EVENT_TYPES = [
  'PAID_ON_TIME',
  'PAID_LATE',
  'REMINDER_SENT',
  'DEBT_COLLECTION_WARNING',
  'SENT_TO_DEBT_COLLECTION',
  'DUE_DATE_CHANGED',
] as const;
export type PaymentEventType = (typeof PAYMENT_EVENT_TYPES)[number];

export interface PaymentHistoryCounts {
  paidOnTime: number;
  paidLate: number;
  reminders: number;
  debtCollectionWarnings: number;
  sentToDebtCollection: number;
  dueDateChanges: number;
}

const COUNT_OF: Record<PaymentEventType, keyof PaymentHistoryCounts> = {
  PAID_ON_TIME: 'paidOnTime',
  PAID_LATE: 'paidLate',
  REMINDER_SENT: 'reminders',
  DEBT_COLLECTION_WARNING: 'debtCollectionWarnings',
  SENT_TO_DEBT_COLLECTION: 'sentToDebtCollection',
  DUE_DATE_CHANGED: 'dueDateChanges',
};

export function summarizePaymentEvents(events: readonly PaymentEvent[]): PaymentHistory {
  const counts: PaymentHistoryCounts = {
    paidOnTime: 0,
    paidLate: 0,
    reminders: 0,
    debtCollectionWarnings: 0,
    sentToDebtCollection: 0,
    dueDateChanges: 0,
  };
  for (const event of events) counts[COUNT_OF[event.type]]++;
  const sorted = [...events].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return { events: sorted, counts };
}
