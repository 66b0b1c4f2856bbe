import { checkDueDateChange } from '../due-date-rules';
import {
  FinanceNotFoundError,
  FinanceRejectedError,
  FinanceUnavailableError,
} from '../finance.errors';
import { FinanceSystem, type DueDateChange, type SetDueDateCommand } from '../finance-system.port';
import type { FinanceTenant } from '../finance-tenant';
import type { FinanceLogger } from '../http-finance-transport';
import type { Invoice, InvoiceSummary } from '../invoice.model';
import { summarizePaymentEvents, type PaymentHistory } from '../payment-history.model';
import { isIsoDate, todayInNorway, type IsoDate } from '../../shared/calendar-date';
import { IDENTITY_NUMBER_FORMAT } from '../../shared/national-identity-number';
import { VismaCustomers } from './visma-customers';
import { invoiceHistory, paymentEvents } from './visma-history';
import { invoiceFromVisma, isShown, summaryFromVisma } from './visma-invoice-mapping';
import { parseMarks, withMark, type DueDateMark } from './visma-marker';
import { vismaSettingsOf, type EnvLookup, type VismaSettings } from './visma-settings';
import { VismaTokens } from './visma-token';
import {
  VismaPreconditionFailed,
  VismaTransport,
  type VismaTransportOptions,
} from './visma-transport';
import { invoiceSchema, parseWire, type VismaInvoice, type VismaPayment } from './visma-wire';

export interface VismaFinanceSystemOptions extends Partial<VismaTransportOptions> {
  /** e.g. `new Logger('VismaFinanceSystem')`; messages never contain identity numbers. */
  logger: FinanceLogger;
  /** Where the client secret named by `settings.visma.clientSecretEnv` is read. */
  env?: EnvLookup;
  /** The day the due date rules are checked against; today in Norway by default. */
  today?: () => IsoDate;
  now?: () => Date;
  tokenTimeoutMs?: number;
  pageSize?: number;
}

const DEFAULTS: VismaTransportOptions = {
  readTimeoutMs: 3_000,
  writeTimeoutMs: 5_000,
  maxBodyBytes: 4 * 1024 * 1024,
  retries: 2,
  initialBackoffMs: 100,
  maxBackoffMs: 1_000,
  breakerThreshold: 5,
  halfOpenAfterMs: 15_000,
  maxRateLimitWaitMs: 2_000,
  rateLimitWaits: 2,
};

const INVOICE_ID = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$/;
const IDEMPOTENCY_KEY = /^[\x21-\x7E]{1,200}$/;

interface Context {
  tenant: FinanceTenant;
  settings: VismaSettings;
  pid: string;
}

/**
 * A municipality's Visma.net ERP (customer ledger, API v1) behind the port. The resident is the
 * customer whose Corporate ID (or a configured attribute) is their identity number; an invoice is
 * theirs when its customer is. Visma has no idempotency keys: a due date change leaves a mark in
 * the invoice's note (visma-marker.ts), written with If-Match so two writers cannot both pass.
 */
export class VismaFinanceSystem extends FinanceSystem {
  private readonly transport: VismaTransport;
  private readonly customers: VismaCustomers;
  private readonly env: EnvLookup;
  private readonly today: () => IsoDate;
  private readonly now: () => Date;

  constructor(options: VismaFinanceSystemOptions) {
    super();
    const { logger, env, today, now, tokenTimeoutMs, pageSize, ...tuning } = options;
    const transportOptions = { ...DEFAULTS, ...definedOnly(tuning) };
    const tokens = new VismaTokens(tokenTimeoutMs ?? transportOptions.readTimeoutMs);
    this.transport = new VismaTransport(transportOptions, tokens, logger);
    this.customers = new VismaCustomers(this.transport, pageSize ?? 100);
    this.env = env ?? ((name) => process.env[name]);
    this.today = today ?? todayInNorway;
    this.now = now ?? (() => new Date());
  }

  async listInvoices(tenant: FinanceTenant, pid: string): Promise<InvoiceSummary[]> {
    const ctx = this.context(tenant, pid);
    const customer = await this.customers.numberOf(ctx, 'listInvoices');
    if (!customer) return [];
    return this.summaries(ctx, await this.customers.invoicesOf(ctx, customer, 'listInvoices'));
  }

  async getInvoice(tenant: FinanceTenant, pid: string, invoiceId: string): Promise<Invoice> {
    if (!INVOICE_ID.test(invoiceId)) throw new FinanceNotFoundError('invoice');
    const ctx = this.context(tenant, pid);
    const customer = await this.customers.numberOf(ctx, 'getInvoice');
    if (!customer) throw new FinanceNotFoundError('invoice');
    return this.fullInvoice(ctx, customer, invoiceId);
  }

  override async getInvoiceWithList(
    tenant: FinanceTenant,
    pid: string,
    invoiceId: string,
  ): Promise<{ invoice: Invoice; all: InvoiceSummary[] }> {
    if (!INVOICE_ID.test(invoiceId)) throw new FinanceNotFoundError('invoice');
    const ctx = this.context(tenant, pid);
    // One customer search for both reads.
    const customer = await this.customers.numberOf(ctx, 'getInvoiceWithList');
    if (!customer) throw new FinanceNotFoundError('invoice');
    const [invoice, listed] = await Promise.all([
      this.fullInvoice(ctx, customer, invoiceId),
      this.customers.invoicesOf(ctx, customer, 'getInvoiceWithList'),
    ]);
    return { invoice, all: this.summaries(ctx, listed) };
  }

  async getPaymentHistory(tenant: FinanceTenant, pid: string): Promise<PaymentHistory> {
    const ctx = this.context(tenant, pid);
    const customer = await this.customers.numberOf(ctx, 'getPaymentHistory');
    if (!customer) return summarizePaymentEvents([]);
    const [invoices, payments] = await Promise.all([
      this.customers.invoicesOf(ctx, customer, 'getPaymentHistory'),
      this.customers.paymentsOf(
        ctx,
        `customer=${encodeURIComponent(customer)}`,
        'getPaymentHistory',
      ),
    ]);
    return summarizePaymentEvents(
      invoices.filter(isShown).flatMap((i) => paymentEvents(i, payments, ctx.settings)),
    );
  }

  async setDueDate(tenant: FinanceTenant, command: SetDueDateCommand): Promise<DueDateChange> {
    const { invoiceId, pid, newDueDate, idempotencyKey: key, reason } = command;
    assertPid(pid);
    if (!INVOICE_ID.test(invoiceId)) throw new FinanceNotFoundError('invoice');
    if (!isIsoDate(newDueDate))
      throw new FinanceRejectedError('INVALID_REQUEST', 'newDueDate is not a YYYY-MM-DD date');
    if (!IDEMPOTENCY_KEY.test(key))
      throw new TypeError('idempotencyKey must be 1–200 printable ASCII characters');
    if (reason.trim() === '' || reason.length > 500)
      throw new TypeError('reason must be 1–500 characters');
    const ctx = this.context(tenant, pid);
    const customer = await this.customers.numberOf(ctx, 'setDueDate');
    if (!customer) throw new FinanceNotFoundError('invoice');

    // Read, check, write with If-Match. A 412 means someone changed the invoice since: read it
    // again (it may now carry this key's mark) and try once more; twice is for an officer to see.
    for (let round = 1; ; round++) {
      const { invoice, etag } = await this.readInvoice(ctx, customer, invoiceId, 'setDueDate');
      const earlier = parseMarks(invoice.note).find((m) => m.key === key);
      if (earlier) {
        if (earlier.to === newDueDate) return changeOf(invoiceId, earlier, true);
        throw new FinanceRejectedError(
          'IDEMPOTENCY_KEY_REUSED',
          `This idempotency key moved invoice ${invoiceId} to ${earlier.to} already`,
        );
      }
      const check = checkDueDateChange(
        summaryFromVisma(invoice, ctx.settings),
        newDueDate,
        this.today(),
      );
      if (!check.ok) throw new FinanceRejectedError(check.code, check.detail);
      if (!etag) throw badResponse(`invoice ${invoiceId} came without an ETag or timeStamp`);
      const mark = {
        from: invoice.documentDueDate,
        to: newDueDate,
        at: this.now().toISOString(),
        key,
        reason,
      };
      try {
        await this.transport.send({
          settings: ctx.settings,
          method: 'PUT',
          path: `/v1/customerinvoice/${encodeURIComponent(invoiceId)}`,
          label: `setDueDate ${tenant.slug}`,
          ifMatch: etag,
          body: {
            documentDueDate: { value: `${newDueDate}T00:00:00` },
            note: { value: withMark(invoice.note, mark) },
          },
        });
      } catch (error) {
        if (!(error instanceof VismaPreconditionFailed)) throw error;
        if (round >= 2) {
          throw new FinanceRejectedError(
            'CHANGED_CONCURRENTLY',
            `Invoice ${invoiceId} was changed in Visma.net while its due date was being moved, twice`,
          );
        }
        continue;
      }
      // Read back: the answer to give is the one the invoice now shows.
      const after = await this.readInvoice(ctx, customer, invoiceId, 'setDueDate');
      const written = parseMarks(after.invoice.note).find((m) => m.key === key);
      if (!written || after.invoice.documentDueDate !== newDueDate) {
        throw badResponse(`invoice ${invoiceId} does not show the due date just written`);
      }
      return changeOf(invoiceId, written, false);
    }
  }

  private context(tenant: FinanceTenant, pid: string): Context {
    assertPid(pid);
    return { tenant, settings: vismaSettingsOf(tenant, this.env), pid };
  }

  private summaries(ctx: Context, invoices: VismaInvoice[]): InvoiceSummary[] {
    return invoices
      .filter(isShown)
      .map((i) => summaryFromVisma(i, ctx.settings))
      .sort((a, b) =>
        a.invoiceDate !== b.invoiceDate
          ? a.invoiceDate < b.invoiceDate
            ? 1
            : -1
          : b.invoiceNumber.localeCompare(a.invoiceNumber),
      );
  }

  private async fullInvoice(ctx: Context, customer: string, invoiceId: string): Promise<Invoice> {
    const [{ invoice }, payments] = await Promise.all([
      this.readInvoice(ctx, customer, invoiceId, 'getInvoice'),
      this.customers.paymentsOf(
        ctx,
        `invoiceRefNbr=${encodeURIComponent(invoiceId)}`,
        'getInvoice',
      ),
    ]);
    return this.toInvoice(ctx, invoice, payments);
  }

  private toInvoice(ctx: Context, invoice: VismaInvoice, payments: VismaPayment[]): Invoice {
    const { originalDueDate } = summaryFromVisma(invoice, ctx.settings);
    const history = invoiceHistory(invoice, payments, ctx.settings, originalDueDate);
    return invoiceFromVisma(invoice, ctx.settings, history);
  }

  /** The invoice and its version, if it is this resident's and shown to residents; else not found. */
  private async readInvoice(ctx: Context, customer: string, invoiceId: string, operation: string) {
    const answer = await this.transport.send({
      settings: ctx.settings,
      method: 'GET',
      path: `/v1/customerinvoice/${encodeURIComponent(invoiceId)}`,
      label: `${operation} ${ctx.tenant.slug}`,
    });
    const invoice = parseWire(invoiceSchema, answer.body, 'invoice');
    if (invoice.referenceNumber !== invoiceId) {
      throw badResponse('an invoice other than the one asked for');
    }
    // Another resident's invoice is indistinguishable from a missing one.
    if (invoice.customer.number !== customer || !isShown(invoice)) {
      throw new FinanceNotFoundError('invoice');
    }
    const etag = answer.etag ?? (invoice.timeStamp ? `"${invoice.timeStamp}"` : null);
    return { invoice, etag };
  }
}

function changeOf(invoiceId: string, mark: DueDateMark, replayed: boolean): DueDateChange {
  return { invoiceId, dueDate: mark.to, previousDueDate: mark.from, changedAt: mark.at, replayed };
}

function assertPid(pid: string): void {
  // Checked here so a malformed value never goes out, and never echoed in the message.
  if (!IDENTITY_NUMBER_FORMAT.test(pid))
    throw new TypeError('pid must be an 11-digit national identity number');
}

function badResponse(what: string): FinanceUnavailableError {
  return new FinanceUnavailableError('bad-response', `Visma.net sent ${what}`);
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
