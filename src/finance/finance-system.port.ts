import type { FinanceTenant } from './finance-tenant';
import type { Invoice, InvoiceSummary } from './invoice.model';
import type { IsoDate } from '../shared/calendar-date';
import type { PaymentHistory } from './payment-history.model';

export interface SetDueDateCommand {
  invoiceId: string;
  /** The resident's national identity number; the invoice must be theirs. */
  pid: string;
  newDueDate: IsoDate;
  /**
   * Same key and same payload: the change is applied at most once and the first answer repeated.
   * Same key, different payload: rejected with `IDEMPOTENCY_KEY_REUSED`.
   */
  idempotencyKey: string;
  /** Why the due date moves (e.g. the deferral's reference); stored by the finance system. */
  reason: string;
}

export interface DueDateChange {
  invoiceId: string;
  dueDate: IsoDate;
  previousDueDate: IsoDate;
  /** ISO 8601 timestamp of when the finance system applied the change (the first time). */
  changedAt: string;
  /** True when this answer repeats an earlier call with the same idempotency key. */
  replayed: boolean;
}

/** What a decision reads of the finance system (`getDecisionInputs`). */
export interface DecisionInputs {
  invoice: Invoice;
  all: InvoiceSummary[];
  history: PaymentHistory;
}

/** What a municipality's finance system lets the portal do beyond reading. */
export interface FinanceCapabilities {
  /**
   * False for a system with no write path (Unit4 ERPx, Visma Enterprise, Tripletex): an approved
   * deferral's new due date is then handed over to the finance team, who register it by hand.
   */
  writesDueDates: boolean;
}

/**
 * The municipality's finance system (ledger), as the rest of the portal sees it; also the Nest
 * injection token. Failures are the errors in `finance.errors.ts`:
 * - `FinanceNotFoundError` when the invoice does not exist *for this resident* (never revealing
 *   that it exists for someone else),
 * - `FinanceRejectedError` when the finance system refuses a change, with its reason code,
 * - `FinanceUnavailableError` when no usable answer came; retry later.
 */
export abstract class FinanceSystem {
  /** The resident's invoices, newest first, without lines and history. */
  abstract listInvoices(tenant: FinanceTenant, pid: string): Promise<InvoiceSummary[]>;

  abstract getInvoice(tenant: FinanceTenant, pid: string, invoiceId: string): Promise<Invoice>;

  abstract getPaymentHistory(tenant: FinanceTenant, pid: string): Promise<PaymentHistory>;

  /**
   * `getInvoice` and `listInvoices` in one fresh read, for a deferral decision, which needs both;
   * an adapter that can answer both with one call does so. Not found as `getInvoice` is.
   */
  getInvoiceWithList(
    tenant: FinanceTenant,
    pid: string,
    invoiceId: string,
  ): Promise<{ invoice: Invoice; all: InvoiceSummary[] }> {
    return Promise.all([
      this.getInvoice(tenant, pid, invoiceId),
      this.listInvoices(tenant, pid),
    ]).then(([invoice, all]) => ({ invoice, all }));
  }

  /**
   * Everything a deferral decision reads of the finance system, fresh: the invoice, the resident's
   * other invoices and their payment history. An adapter that can read them together does so (the
   * embedded ledger in one statement: one round trip instead of two on every decision).
   */
  getDecisionInputs(
    tenant: FinanceTenant,
    pid: string,
    invoiceId: string,
  ): Promise<DecisionInputs> {
    return Promise.all([
      this.getInvoiceWithList(tenant, pid, invoiceId),
      this.getPaymentHistory(tenant, pid),
    ]).then(([{ invoice, all }, history]) => ({ invoice, all, history }));
  }

  abstract setDueDate(tenant: FinanceTenant, command: SetDueDateCommand): Promise<DueDateChange>;

  /**
   * What this municipality's system can do; callers ask before `setDueDate` rather than knowing
   * vendors. Throws `FinanceUnavailableError` (not-configured) for settings it cannot use, as the
   * calls would. Every adapter writes unless it says otherwise.
   */
  capabilities(_tenant: FinanceTenant): FinanceCapabilities {
    return { writesDueDates: true };
  }
}
