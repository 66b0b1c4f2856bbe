import { createHash } from 'node:crypto';
import { checkDueDateChange } from '../due-date-rules';
import {
  FinanceNotFoundError,
  FinanceRejectedError,
  FinanceUnavailableError,
} from '../finance.errors';
import { FinanceSystem, type DueDateChange, type SetDueDateCommand } from '../finance-system.port';
import type { FinanceTenant } from '../finance-tenant';
import type { FinanceLogger } from '../http-finance-transport';
import { parseWire } from '../http-finance-wire';
import type { Invoice, InvoiceSummary } from '../invoice.model';
import { summarizePaymentEvents, type PaymentHistory } from '../payment-history.model';
import { isIsoDate, todayInNorway, type IsoDate } from '../../shared/calendar-date';
import { IDENTITY_NUMBER_FORMAT } from '../../shared/national-identity-number';
import { XledgerGraphQL, type XledgerTransportOptions } from './xledger-graphql';
import {
  historyOf,
  invoicesOf,
  linesOf,
  paymentEventsOf,
  type LedgerInvoice,
  type LedgerRow,
} from './xledger-mapping';
import { appendMarker, keyHashOf, readMarkers } from './xledger-marker';
import * as q from './xledger-queries';
import {
  xledgerSettingsOf,
  xledgerTokenOf,
  type EnvLookup,
  type XledgerSettings,
} from './xledger-settings';
import {
  companiesAnswer,
  customersAnswer,
  ledgerAnswer,
  salesOrdersAnswer,
  type LedgerAnswer,
} from './xledger-wire';

export interface XledgerFinanceSystemOptions extends Partial<XledgerTransportOptions> {
  /** e.g. `new Logger('XledgerFinanceSystem')`; messages never contain identity numbers. */
  logger: FinanceLogger;
  /** Where `settings.xledger.tokenEnv` is looked up; process.env by default. */
  env?: EnvLookup;
  now?: () => Date;
  /** The date deferral rules are checked against; today in Norway by default. */
  today?: () => IsoDate;
  /** How long a resident's customer records are remembered; 0 asks Xledger every time. */
  customerCacheMs?: number;
}

const DEFAULTS: XledgerTransportOptions = {
  readTimeoutMs: 3_000,
  writeTimeoutMs: 5_000,
  maxBodyBytes: 2 * 1024 * 1024,
  retries: 2,
  initialBackoffMs: 100,
  maxBackoffMs: 1_000,
  breakerThreshold: 5,
  halfOpenAfterMs: 15_000,
  burstWaits: 3,
  burstBackoffMs: 500,
};

/** A runaway cursor must not page forever: 50 pages of 100 rows is far beyond any resident. */
const MAX_LEDGER_PAGES = 50;
const INVOICE_ID = /^\d{1,19}$/;
/** Xledger bills requests past a monthly allowance: a page view should not cost three. */
const CUSTOMER_CACHE_MS = 10 * 60_000;
const CUSTOMER_CACHE_SIZE = 10_000;
const IDEMPOTENCY_KEY = /^[\x21-\x7E]{1,200}$/;

interface Customer {
  dbId: string;
  name: string;
}

interface Target {
  tenant: FinanceTenant;
  settings: XledgerSettings;
  endpoint: string;
  token: string;
}

/**
 * Xledger's GraphQL API as a FinanceSystem. The resident's fødselsnummer is a `company`'s
 * `companyNumber`; its `customers` are the resident's subledgers, whose `arTransactions` are the
 * invoices and payments. Each municipality is an Xledger entity with a token of its own.
 *
 * Xledger has no idempotency keys and no ETags, so `setDueDate` reads the invoice, looks for the
 * marker it writes into the text under the key (see xledger-marker.ts), writes due date and
 * marker in one mutation, and reads back to confirm. Calls for one invoice are serialised in this
 * process; across instances the write-back worker's claim keeps one job's key on one instance.
 */
export class XledgerFinanceSystem extends FinanceSystem {
  private readonly graphql: XledgerGraphQL;
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly env: EnvLookup;
  private readonly now: () => Date;
  private readonly today: () => IsoDate;
  /** By a hash of municipality and identity number, so no identity number is held as a key. */
  private readonly customers = new Map<string, { customers: Customer[]; until: number }>();
  private readonly customerCacheMs: number;

  constructor(options: XledgerFinanceSystemOptions) {
    super();
    const { logger, env, now, today, customerCacheMs, ...tuning } = options;
    this.customerCacheMs = customerCacheMs ?? CUSTOMER_CACHE_MS;
    this.graphql = new XledgerGraphQL({ ...DEFAULTS, ...definedOnly(tuning) }, logger);
    this.env = env ?? ((name) => process.env[name]);
    this.now = now ?? (() => new Date());
    this.today = today ?? (() => todayInNorway(this.now()));
  }

  async listInvoices(tenant: FinanceTenant, pid: string): Promise<InvoiceSummary[]> {
    return (await this.ledgerOf(this.target(tenant), pid)).map((i) => i.summary);
  }

  async getInvoice(tenant: FinanceTenant, pid: string, invoiceId: string): Promise<Invoice> {
    return (await this.getInvoiceWithList(tenant, pid, invoiceId)).invoice;
  }

  override async getInvoiceWithList(
    tenant: FinanceTenant,
    pid: string,
    invoiceId: string,
  ): Promise<{ invoice: Invoice; all: InvoiceSummary[] }> {
    if (!INVOICE_ID.test(invoiceId)) throw new FinanceNotFoundError('invoice');
    const target = this.target(tenant);
    const ledger = await this.ledgerOf(target, pid);
    const found = findInvoice(ledger, invoiceId);
    const invoice = {
      ...found.summary,
      lines: await this.linesOf(target, found.row),
      history: historyOf(found, target.settings),
    };
    return { invoice, all: ledger.map((i) => i.summary) };
  }

  async getPaymentHistory(tenant: FinanceTenant, pid: string): Promise<PaymentHistory> {
    const target = this.target(tenant);
    const ledger = await this.ledgerOf(target, pid);
    return summarizePaymentEvents(ledger.flatMap((i) => paymentEventsOf(i, target.settings)));
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
    const target = this.target(tenant);
    return this.serialised(`${tenant.slug}:${invoiceId}`, () => this.moveDueDate(target, command));
  }

  private async moveDueDate(target: Target, command: SetDueDateCommand): Promise<DueDateChange> {
    const { invoiceId, pid, newDueDate, idempotencyKey, reason } = command;
    const keyHash = keyHashOf(idempotencyKey);
    const before = findInvoice(await this.ledgerOf(target, pid), invoiceId);
    const earlier = before.markers.find((m) => m.keyHash === keyHash);
    if (earlier) {
      if (earlier.dueDate !== newDueDate) {
        throw new FinanceRejectedError(
          'IDEMPOTENCY_KEY_REUSED',
          `This key already moved the due date to ${earlier.dueDate}`,
        );
      }
      if (before.summary.dueDate !== newDueDate)
        throw notConfirmed(before.summary.dueDate, newDueDate);
      const { previousDueDate, changedAt } = earlier;
      return { invoiceId, dueDate: newDueDate, previousDueDate, changedAt, replayed: true };
    }
    const check = checkDueDateChange(before.summary, newDueDate, this.today());
    if (!check.ok) throw new FinanceRejectedError(check.code, check.detail);
    const marker = {
      keyHash,
      previousDueDate: before.summary.dueDate,
      dueDate: newDueDate,
      changedAt: this.now().toISOString(),
    };
    await this.call(target, 'write', 'updateArTransactions', q.UPDATE_DUE_DATE, {
      dbId: intOf(invoiceId),
      dueDate: newDueDate,
      text: appendMarker(before.row.text, reason, marker),
    });
    // No ETag to write against: the read-back is what says the change is there, and ours.
    const after = findInvoice(await this.ledgerOf(target, pid), invoiceId);
    const ours = readMarkers(after.row.text).some(
      (m) => m.keyHash === keyHash && m.dueDate === newDueDate,
    );
    if (!ours || after.summary.dueDate !== newDueDate)
      throw notConfirmed(after.summary.dueDate, newDueDate);
    const { previousDueDate, changedAt } = marker;
    return { invoiceId, dueDate: newDueDate, previousDueDate, changedAt, replayed: false };
  }

  private target(tenant: FinanceTenant): Target {
    const settings = xledgerSettingsOf(tenant);
    const token = xledgerTokenOf(tenant, settings, this.env);
    return { tenant, settings, endpoint: settings.endpoint, token };
  }

  /** The resident's invoices in this entity; none when the fødselsnummer is no customer here. */
  private async ledgerOf(target: Target, pid: string): Promise<LedgerInvoice[]> {
    const rows: LedgerRow[] = [];
    for (const customer of await this.customersOf(target, pid)) {
      for (const row of await this.rowsOf(target, customer.dbId)) {
        rows.push({ ...row, recipientName: customer.name });
      }
    }
    return invoicesOf(rows, target.settings);
  }

  /**
   * The resident's customer records: the companies whose companyNumber is the fødselsnummer, and
   * their customers. Remembered for a while when found; a resident not found is asked for again.
   */
  private async customersOf(target: Target, pid: string): Promise<Customer[]> {
    assertPid(pid);
    const key = createHash('sha256').update(`${target.tenant.slug}\u0000${pid}`).digest('hex');
    const cached = this.customers.get(key);
    if (cached && cached.until > this.now().getTime()) return cached.customers;
    const companies = parseWire(
      companiesAnswer,
      await this.call(target, 'read', 'companies', q.COMPANIES_BY_NUMBER, { companyNumber: pid }),
      'Xledger companies',
    ).companies.edges;
    const found: Customer[] = [];
    for (const { node: company } of companies) {
      const customers = parseWire(
        customersAnswer,
        await this.call(target, 'read', 'customers', q.CUSTOMERS_OF_COMPANY, {
          companyDbId: intOf(company.dbId),
        }),
        'Xledger customers',
      ).customers.edges;
      for (const { node } of customers) {
        found.push({ dbId: node.dbId, name: node.description?.trim() || 'Ukjent mottaker' });
      }
    }
    this.customers.delete(key);
    if (found.length > 0 && this.customerCacheMs > 0) {
      this.customers.set(key, {
        customers: found,
        until: this.now().getTime() + this.customerCacheMs,
      });
      // Insertion order: the first key is the oldest.
      if (this.customers.size > CUSTOMER_CACHE_SIZE)
        this.customers.delete(this.customers.keys().next().value!);
    }
    return found;
  }

  private async rowsOf(target: Target, subledgerDbId: string) {
    const rows = [];
    let after: string | null = null;
    for (let page = 0; page < MAX_LEDGER_PAGES; page++) {
      const { arTransactions }: LedgerAnswer = parseWire(
        ledgerAnswer,
        await this.call(target, 'read', 'arTransactions', q.LEDGER_PAGE, {
          subledgerDbId: intOf(subledgerDbId),
          after,
        }),
        'Xledger arTransactions',
      );
      rows.push(...arTransactions.edges.map((e) => e.node));
      if (!arTransactions.pageInfo?.hasNextPage) return rows;
      const cursor: string | null | undefined = arTransactions.edges.at(-1)?.cursor;
      if (!cursor || cursor === after) {
        throw new FinanceUnavailableError(
          'bad-response',
          'Xledger said there is a next page but gave no new cursor',
        );
      }
      after = cursor;
    }
    throw new FinanceUnavailableError(
      'bad-response',
      `Xledger's ledger ran past ${MAX_LEDGER_PAGES} pages`,
    );
  }

  private async linesOf(target: Target, row: LedgerRow) {
    const { salesOrders } = parseWire(
      salesOrdersAnswer,
      await this.call(target, 'read', 'salesOrders', q.SALES_ORDER_LINES, {
        invoiceNumber: row.invoiceNumber,
        subledgerDbId: intOf(row.subledgerDbId),
      }),
      'Xledger salesOrders',
    );
    // An invoice keyed in directly in Xledger has no sales order: no lines, not an error.
    return linesOf(salesOrders.edges[0]?.node.details ?? []);
  }

  private call(
    target: Target,
    kind: 'read' | 'write',
    operation: string,
    query: string,
    variables: Record<string, unknown>,
  ) {
    return this.graphql.request({
      endpoint: target.endpoint,
      token: target.token,
      circuit: `${target.endpoint}#${target.tenant.slug}`,
      label: `${operation} ${target.tenant.slug}`,
      kind,
      query,
      variables,
    });
  }

  /** Runs `task` after every earlier task for the same key has settled. */
  private serialised<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(key) ?? Promise.resolve();
    const run = previous.then(task, task);
    const tail = run.catch(() => undefined);
    this.locks.set(key, tail);
    void tail.then(() => {
      if (this.locks.get(key) === tail) this.locks.delete(key);
    });
    return run;
  }
}

function findInvoice(ledger: readonly LedgerInvoice[], invoiceId: string): LedgerInvoice {
  const found = ledger.find((i) => i.summary.id === invoiceId);
  // Another resident's invoice is not in this resident's ledger: the same "not found".
  if (!found) throw new FinanceNotFoundError('invoice');
  return found;
}

/**
 * The read-back shows another due date, or not our marker: a person in Xledger changed the
 * invoice between our write and our read, or Xledger ignored the write. Final rather than
 * retried: a retry would overwrite the person's change, or loop; officers see it and decide.
 */
function notConfirmed(shown: IsoDate, wanted: IsoDate): FinanceRejectedError {
  return new FinanceRejectedError(
    'DUE_DATE_NOT_CONFIRMED',
    `Xledger shows the due date ${shown}, not the ${wanted} the portal wrote`,
  );
}

/** Xledger's dbIds travel as `Int` variables, as its clients send them. */
function intOf(dbId: string): number | string {
  const n = Number(dbId);
  return Number.isSafeInteger(n) ? n : dbId;
}

function assertPid(pid: string): void {
  // Checked here so a malformed value never goes out, and never echoed in the message.
  if (!IDENTITY_NUMBER_FORMAT.test(pid))
    throw new TypeError('pid must be an 11-digit national identity number');
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
