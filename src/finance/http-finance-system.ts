import {
  FinanceNotFoundError,
  FinanceRejectedError,
  FinanceUnavailableError,
} from './finance.errors';
import { financeWritesDueDatesOf } from './finance-capabilities';
import { financeBaseUrlOf } from './finance-settings';
import {
  type FinanceCapabilities,
  FinanceSystem,
  type DueDateChange,
  type SetDueDateCommand,
} from './finance-system.port';
import type { FinanceTenant } from './finance-tenant';
import {
  HttpFinanceTransport,
  type FinanceLogger,
  type TransportOptions,
} from './http-finance-transport';
import {
  dueDateChangeFromWire,
  invoiceFromWire,
  invoiceListFromWire,
  paymentHistoryFromWire,
} from './http-finance-wire';
import type { Invoice, InvoiceSummary } from './invoice.model';
import { isIsoDate } from '../shared/calendar-date';
import type { PaymentHistory } from './payment-history.model';
import { IDENTITY_NUMBER_FORMAT } from '../shared/national-identity-number';

export interface HttpFinanceSystemOptions extends Partial<TransportOptions> {
  /** The tenant's bearer API key; secrets come from configuration, never from tenant settings. */
  apiKeyFor: (tenant: FinanceTenant) => string | undefined;
  /** e.g. `new Logger('HttpFinanceSystem')`; messages never contain identity numbers. */
  logger: FinanceLogger;
}

const DEFAULTS: TransportOptions = {
  readTimeoutMs: 3_000,
  writeTimeoutMs: 5_000,
  maxBodyBytes: 2 * 1024 * 1024,
  retries: 2,
  initialBackoffMs: 100,
  maxBackoffMs: 1_000,
  breakerThreshold: 5,
  halfOpenAfterMs: 15_000,
};

/** No leading dot, so an id can never be `..` and walk out of its path. */
const INVOICE_ID = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$/;
const IDEMPOTENCY_KEY = /^[\x21-\x7E]{1,200}$/;

/**
 * The finance system behind the REST API in contracts/finance-system.openapi.yaml. The resident's
 * identity number travels only in the `X-Person-Id` header and is never logged.
 */
export class HttpFinanceSystem extends FinanceSystem {
  private readonly transport: HttpFinanceTransport;

  constructor(private readonly options: HttpFinanceSystemOptions) {
    super();
    const { apiKeyFor: _apiKeyFor, logger, ...tuning } = options;
    this.transport = new HttpFinanceTransport({ ...DEFAULTS, ...definedOnly(tuning) }, logger);
  }

  async listInvoices(tenant: FinanceTenant, pid: string): Promise<InvoiceSummary[]> {
    const { body } = await this.get(tenant, pid, '/invoices', 'listInvoices');
    return invoiceListFromWire(body);
  }

  async getInvoice(tenant: FinanceTenant, pid: string, invoiceId: string): Promise<Invoice> {
    // An id that cannot exist is simply not found; it never reaches a URL.
    if (!INVOICE_ID.test(invoiceId)) throw new FinanceNotFoundError('invoice');
    const { body } = await this.get(tenant, pid, `/invoices/${invoiceId}`, 'getInvoice');
    const invoice = invoiceFromWire(body);
    if (invoice.id !== invoiceId) throw wrongAnswer('an invoice other than the one asked for');
    return invoice;
  }

  async getPaymentHistory(tenant: FinanceTenant, pid: string): Promise<PaymentHistory> {
    const { body } = await this.get(tenant, pid, '/payment-history', 'getPaymentHistory');
    return paymentHistoryFromWire(body);
  }

  async setDueDate(tenant: FinanceTenant, command: SetDueDateCommand): Promise<DueDateChange> {
    const { invoiceId, pid, newDueDate, idempotencyKey, reason } = command;
    assertPid(pid);
    if (!INVOICE_ID.test(invoiceId)) throw new FinanceNotFoundError('invoice');
    if (!isIsoDate(newDueDate))
      throw new FinanceRejectedError('INVALID_REQUEST', 'newDueDate is not a YYYY-MM-DD date');
    if (!IDEMPOTENCY_KEY.test(idempotencyKey))
      throw new TypeError('idempotencyKey must be 1–200 printable ASCII characters');
    if (reason.trim() === '' || reason.length > 500)
      throw new TypeError('reason must be 1–500 characters');
    const { body, headers } = await this.transport.send({
      ...this.target(tenant, `/invoices/${invoiceId}/due-date`, 'setDueDate'),
      method: 'PUT',
      pid,
      idempotencyKey,
      body: { forfallDato: newDueDate, begrunnelse: reason },
    });
    const change = dueDateChangeFromWire(body, headers.get('idempotent-replayed') === 'true');
    if (change.invoiceId !== invoiceId || change.dueDate !== newDueDate) {
      throw wrongAnswer('a due date change other than the one asked for');
    }
    return change;
  }

  /** The contract has a write path, but the system behind it may not: the operator says so. */
  override capabilities(tenant: FinanceTenant): FinanceCapabilities {
    return { writesDueDates: financeWritesDueDatesOf(tenant) };
  }

  private get(tenant: FinanceTenant, pid: string, path: string, operation: string) {
    assertPid(pid);
    return this.transport.send({ ...this.target(tenant, path, operation), method: 'GET', pid });
  }

  private target(tenant: FinanceTenant, path: string, operation: string) {
    const apiKey = this.options.apiKeyFor(tenant);
    if (!apiKey)
      throw new FinanceUnavailableError('not-configured', `No finance API key for ${tenant.slug}`);
    return {
      baseUrl: financeBaseUrlOf(tenant),
      path: `/v1/municipalities/${encodeURIComponent(tenant.slug)}${path}`,
      label: `${operation} ${tenant.slug}`,
      apiKey,
    };
  }
}

function assertPid(pid: string): void {
  // Checked here so a malformed value never goes out, and never echoed in the message.
  if (!IDENTITY_NUMBER_FORMAT.test(pid))
    throw new TypeError('pid must be an 11-digit national identity number');
}

function wrongAnswer(what: string): FinanceUnavailableError {
  return new FinanceUnavailableError('bad-response', `The finance system sent ${what}`);
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
