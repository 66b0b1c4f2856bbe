import { createHash } from 'node:crypto';
import { checkDueDateChange } from '../../src/finance/due-date-rules';
import type { Invoice, InvoiceSummary } from '../../src/finance/invoice.model';
import { daysBetween, type IsoDate } from '../../src/shared/calendar-date';
import type { PaymentEvent } from '../../src/finance/payment-history.model';
import type { DemoLedgerEntry } from './demo-invoices';

export interface DueDateRequest {
  municipality: string;
  pid: string;
  invoiceId: string;
  idempotencyKey: string;
  newDueDate: IsoDate;
  reason: string;
}

export type DueDateOutcome =
  | {
      kind: 'applied';
      invoiceId: string;
      dueDate: IsoDate;
      previousDueDate: IsoDate;
      changedAt: string;
    }
  | { kind: 'rejected'; code: string; detail: string }
  | { kind: 'not-found' }
  | { kind: 'conflict' };

/** What a person in the finance team does to an invoice by hand (the admin hook for tests and the demo). */
export interface ChangeByHand {
  /** Registers a new due date, as for a hand-over: no rules, no idempotency key. */
  dueDate?: IsoDate;
  /** Records a payment of everything outstanding. */
  paid?: true;
}

/** One idempotency key's fate, as GET /admin/state shows it (no identity numbers). */
export interface KeyRecord {
  municipality: string;
  idempotencyKey: string;
  invoiceId: string;
  newDueDate: IsoDate;
  outcome: 'applied' | 'rejected';
  /** How many requests arrived with this key; all after the first were answered from memory. */
  requests: number;
}

interface Owned {
  pid: string;
  invoice: Invoice;
}

/** The finance system's books: invoices per municipality, payment events, idempotency keys. */
export class FinanceStore {
  private readonly invoices = new Map<string, Map<string, Owned>>();
  private readonly events = new Map<string, PaymentEvent[]>();
  private readonly keys = new Map<
    string,
    { fingerprint: string; outcome: DueDateOutcome; record: KeyRecord }
  >();
  /** Times a due date change was actually written, per invoice id: what exactly-once tests read. */
  readonly appliedPerInvoice: Record<string, number> = {};

  constructor(
    ledger: readonly DemoLedgerEntry[],
    municipalities: readonly string[],
    private readonly today: IsoDate,
    private readonly now: () => Date = () => new Date(),
  ) {
    for (const m of municipalities) this.invoices.set(m, new Map());
    for (const entry of structuredClone(ledger)) {
      const books = this.invoices.get(entry.municipality) ?? new Map<string, Owned>();
      this.invoices.set(entry.municipality, books);
      for (const invoice of entry.invoices) books.set(invoice.id, { pid: entry.pid, invoice });
      this.events.set(`${entry.municipality}:${entry.pid}`, entry.paymentEvents);
    }
  }

  hasMunicipality(municipality: string): boolean {
    return this.invoices.has(municipality);
  }

  list(municipality: string, pid: string): InvoiceSummary[] {
    const owned = [...(this.invoices.get(municipality)?.values() ?? [])].filter(
      (o) => o.pid === pid,
    );
    return owned.map((o) => o.invoice).sort((a, b) => (a.invoiceDate < b.invoiceDate ? 1 : -1));
  }

  /** Another person's invoice is indistinguishable from a missing one. */
  get(municipality: string, pid: string, invoiceId: string): Invoice | undefined {
    const owned = this.invoices.get(municipality)?.get(invoiceId);
    return owned?.pid === pid ? owned.invoice : undefined;
  }

  paymentEvents(municipality: string, pid: string): PaymentEvent[] {
    return this.events.get(`${municipality}:${pid}`) ?? [];
  }

  keyRecords(): KeyRecord[] {
    return [...this.keys.values()].map((k) => ({ ...k.record }));
  }

  /**
   * Changes an invoice as a person in the finance team would, outside the API: the due date a
   * hand-over asked for, or a payment. Not counted in `appliedPerInvoice`, which counts the API's
   * writes. The invoice, or undefined when the municipality has none by that id.
   */
  changeByHand(municipality: string, invoiceId: string, change: ChangeByHand): Invoice | undefined {
    const owned = this.invoices.get(municipality)?.get(invoiceId);
    if (!owned) return undefined;
    const { invoice, pid } = owned;
    const event = { date: this.today, invoiceId, invoiceNumber: invoice.invoiceNumber };
    if (change.dueDate !== undefined && change.dueDate !== invoice.dueDate) {
      invoice.dueDate = change.dueDate;
      invoice.history.push({
        type: 'DUE_DATE_CHANGED',
        date: this.today,
        amountOre: null,
        dueDate: change.dueDate,
      });
      this.paymentEvents(municipality, pid).push({
        ...event,
        type: 'DUE_DATE_CHANGED',
        amountOre: null,
        daysLate: null,
      });
    }
    if (change.paid && invoice.status !== 'PAID') {
      const amountOre = invoice.outstandingOre;
      const daysLate = daysBetween(invoice.dueDate, this.today);
      Object.assign(invoice, {
        status: 'PAID',
        paidOre: invoice.totalOre,
        outstandingOre: 0,
        canBePaid: false,
      });
      invoice.history.push({
        type: 'PAYMENT_RECEIVED',
        date: this.today,
        amountOre,
        dueDate: null,
      });
      this.paymentEvents(municipality, pid).push(
        daysLate > 0
          ? { ...event, type: 'PAID_LATE', amountOre, daysLate }
          : { ...event, type: 'PAID_ON_TIME', amountOre, daysLate: null },
      );
    }
    return invoice;
  }

  /** Runs synchronously from check to write, so two requests with one key can never both apply. */
  setDueDate(request: DueDateRequest): { outcome: DueDateOutcome; replayed: boolean } {
    const { municipality, pid, invoiceId, idempotencyKey, newDueDate, reason } = request;
    const fingerprint = createHash('sha256')
      .update(JSON.stringify([invoiceId, pid, newDueDate, reason]))
      .digest('hex');
    const slot = `${municipality}\u0000${idempotencyKey}`;
    const known = this.keys.get(slot);
    if (known) {
      if (known.fingerprint !== fingerprint)
        return { outcome: { kind: 'conflict' }, replayed: false };
      known.record.requests++;
      return { outcome: known.outcome, replayed: true };
    }
    const outcome = this.decide(municipality, pid, invoiceId, newDueDate);
    if (outcome.kind === 'applied' || outcome.kind === 'rejected') {
      const record: KeyRecord = {
        municipality,
        idempotencyKey,
        invoiceId,
        newDueDate,
        outcome: outcome.kind,
        requests: 1,
      };
      this.keys.set(slot, { fingerprint, outcome, record });
    }
    return { outcome, replayed: false };
  }

  private decide(
    municipality: string,
    pid: string,
    invoiceId: string,
    newDueDate: IsoDate,
  ): DueDateOutcome {
    const invoice = this.get(municipality, pid, invoiceId);
    if (!invoice) return { kind: 'not-found' };
    const check = checkDueDateChange(invoice, newDueDate, this.today);
    if (!check.ok) return { kind: 'rejected', code: check.code, detail: check.detail };
    const previousDueDate = invoice.dueDate;
    invoice.dueDate = newDueDate;
    invoice.history.push({
      type: 'DUE_DATE_CHANGED',
      date: this.today,
      amountOre: null,
      dueDate: newDueDate,
    });
    this.paymentEvents(municipality, pid).push({
      type: 'DUE_DATE_CHANGED',
      date: this.today,
      invoiceId,
      invoiceNumber: invoice.invoiceNumber,
      amountOre: null,
      daysLate: null,
    });
    this.appliedPerInvoice[invoiceId] = (this.appliedPerInvoice[invoiceId] ?? 0) + 1;
    return {
      kind: 'applied',
      invoiceId,
      dueDate: newDueDate,
      previousDueDate,
      changedAt: this.now().toISOString(),
    };
  }
}
