import { checkDueDateChange } from '../due-date-rules';
import { FinanceNotFoundError, FinanceRejectedError } from '../finance.errors';
import { FinanceSystem, type DueDateChange, type SetDueDateCommand } from '../finance-system.port';
import type { FinanceTenant } from '../finance-tenant';
import type { FinanceLogger } from '../http-finance-transport';
import type { Invoice, InvoiceSummary } from '../invoice.model';
import { summarizePaymentEvents, type PaymentHistory } from '../payment-history.model';
import { isIsoDate, todayInNorway, type IsoDate } from '../../shared/calendar-date';
import { XledgerGraphQL, type XledgerTransportOptions } from './xledger-graphql';
import { historyOf, paymentEventsOf, type LedgerInvoice } from './xledger-mapping';
import { appendMarker, keyHashOf, readMarkers } from './xledger-marker';
import * as q from './xledger-queries';
import {
  assertPid,
  CUSTOMER_CACHE_MS,
  intOf,
  XledgerReader,
  type XledgerTarget,
} from './xledger-reader';
import { xledgerSettingsOf, xledgerTokenOf, type EnvLookup } from './xledger-settings';

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

const INVOICE_ID = /^\d{1,19}$/;
const IDEMPOTENCY_KEY = /^[\x21-\x7E]{1,200}$/;

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
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly env: EnvLookup;
  private readonly now: () => Date;
  private readonly today: () => IsoDate;
  private readonly reader: XledgerReader;

  constructor(options: XledgerFinanceSystemOptions) {
    super();
    const { logger, env, now, today, customerCacheMs, ...tuning } = options;
    const graphql = new XledgerGraphQL({ ...DEFAULTS, ...definedOnly(tuning) }, logger);
    this.env = env ?? ((name) => process.env[name]);
    this.now = now ?? (() => new Date());
    this.today = today ?? (() => todayInNorway(this.now()));
    this.reader = new XledgerReader(graphql, this.now, customerCacheMs ?? CUSTOMER_CACHE_MS);
  }

  async listInvoices(tenant: FinanceTenant, pid: string): Promise<InvoiceSummary[]> {
    return (await this.reader.ledgerOf(this.target(tenant), pid)).map((i) => i.summary);
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
    const ledger = await this.reader.ledgerOf(target, pid);
    const found = findInvoice(ledger, invoiceId);
    const invoice = {
      ...found.summary,
      lines: await this.reader.linesOf(target, found.row),
      history: historyOf(found, target.settings),
    };
    return { invoice, all: ledger.map((i) => i.summary) };
  }

  async getPaymentHistory(tenant: FinanceTenant, pid: string): Promise<PaymentHistory> {
    const target = this.target(tenant);
    const ledger = await this.reader.ledgerOf(target, pid);
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

  private async moveDueDate(
    target: XledgerTarget,
    command: SetDueDateCommand,
  ): Promise<DueDateChange> {
    const { invoiceId, pid, newDueDate, idempotencyKey, reason } = command;
    const keyHash = keyHashOf(idempotencyKey);
    const before = findInvoice(await this.reader.ledgerOf(target, pid), invoiceId);
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
    await this.reader.call(target, 'write', 'updateArTransactions', q.UPDATE_DUE_DATE, {
      dbId: intOf(invoiceId),
      dueDate: newDueDate,
      text: appendMarker(before.row.text, reason, marker),
    });
    // No ETag to write against: the read-back is what says the change is there, and ours.
    const after = findInvoice(await this.reader.ledgerOf(target, pid), invoiceId);
    const ours = readMarkers(after.row.text).some(
      (m) => m.keyHash === keyHash && m.dueDate === newDueDate,
    );
    if (!ours || after.summary.dueDate !== newDueDate)
      throw notConfirmed(after.summary.dueDate, newDueDate);
    const { previousDueDate, changedAt } = marker;
    return { invoiceId, dueDate: newDueDate, previousDueDate, changedAt, replayed: false };
  }

  private target(tenant: FinanceTenant): XledgerTarget {
    const settings = xledgerSettingsOf(tenant);
    const token = xledgerTokenOf(tenant, settings, this.env);
    return { tenant, settings, endpoint: settings.endpoint, token };
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

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
