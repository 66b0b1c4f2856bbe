import { createHash, randomUUID } from 'node:crypto';
import {
  LockMode,
  MikroORM,
  UniqueConstraintViolationException,
  type EntityManager,
} from '@mikro-orm/core';
import { SqlEntityManager, SqlitePlatform } from '@mikro-orm/sql';
import { fromJsonColumn, queryRows, sqlEm } from '../../database';
import { checkDueDateChange } from '../due-date-rules';
import {
  FinanceNotFoundError,
  FinanceRejectedError,
  FinanceUnavailableError,
} from '../finance.errors';
import type {
  DecisionInputs,
  DueDateChange,
  FinanceCapabilities,
  FinanceSystem,
  SetDueDateCommand,
} from '../finance-system.port';
import type { FinanceTenant } from '../finance-tenant';
import { checkInvoice } from '../invoice-consistency';
import type { Invoice, InvoiceSummary } from '../invoice.model';
import { todayInNorway } from '../../shared/calendar-date';
import { summarizePaymentEvents, type PaymentHistory } from '../payment-history.model';
import { LedgerDueDateChange } from './ledger-due-date-change.entity';
import { summaryOf } from './invoice-summary';
import { documentColumns, LedgerInvoice } from './ledger-invoice.entity';
import { LedgerPaymentEvent } from './ledger-payment-event.entity';

interface PaymentEventRow {
  type: LedgerPaymentEvent['type'];
  date: string;
  invoice_id: string;
  invoice_number: string;
  amount_ore: number | string | null;
  days_late: number | null;
}

/**
 * A row of a read of the resident's invoices: the summary, and the document only where the read
 * needs it (the invoice asked about, or a row whose summary is missing or stale).
 */
interface InvoiceRow {
  invoice_number: string;
  summary: unknown;
  document: unknown;
}

/**
 * The document is read in place of the summary where the summary is missing (written by a
 * previous release) or names another due date than the row (changed by a previous release, which
 * rewrote the document and `due_date` only). Summaries are written by `JSON.stringify`, so a
 * current one holds the row's due date as `"dueDate":"…"` exactly (a quote inside a string is
 * escaped, so the text cannot occur there).
 */
const SUMMARY_UNUSABLE = `summary is null or summary not like ('%"dueDate":"' || due_date || '"%')`;

/** The whole document of the invoice asked about (`id = ?`), and of any summary not to be used. */
const TARGET_DOCUMENT = `case when id = ? or ${SUMMARY_UNUSABLE} then document end as document`;

const INVOICES_OF = `from ledger_invoices where municipality_id = ? and pid = ?`;
const INVOICE_ORDER = `invoice_date desc, invoice_number desc`;

/**
 * The finance system kept in the portal's own database: the embedded default, so the demo shows
 * real-looking invoices at once, and a real option for a municipality without an API to its ledger.
 */
export class EmbeddedLedgerFinanceSystem implements FinanceSystem {
  constructor(
    private readonly orm: MikroORM,
    private readonly today: () => string = () => todayInNorway(),
  ) {}

  // Reads are plain SQL without entities (`queryRows`): a resident's invoices are read on every
  // page and decision, and hydrating them (with change-tracking snapshots of each document) cost
  // three times the query itself, the query builder still more than the query. Writes below use
  // entities.
  async listInvoices(tenant: FinanceTenant, pid: string): Promise<InvoiceSummary[]> {
    const rows = await queryRows<InvoiceRow>(
      this.orm,
      `select invoice_number, summary, case when ${SUMMARY_UNUSABLE} then document end as document
        ${INVOICES_OF} order by ${INVOICE_ORDER}`,
      [tenant.id, pid],
      { short: true },
    );
    return rows.map((row) => this.checkedSummary(row));
  }

  /**
   * The resident's invoices as summaries, with the whole document of the one asked about only: a
   * decision needs the lines and history of that one alone.
   */
  private withTarget(rows: InvoiceRow[], invoiceId: string) {
    let invoice: Invoice | undefined;
    const all = rows.map((row) => {
      if (row.document === null || row.document === undefined) return this.checkedSummary(row);
      const document = this.checked(row.invoice_number, row.document);
      if (document.id === invoiceId) invoice = document;
      return summaryOf(document);
    });
    if (!invoice) throw new FinanceNotFoundError('invoice');
    return { invoice, all };
  }

  async getInvoice(tenant: FinanceTenant, pid: string, invoiceId: string): Promise<Invoice> {
    const [row] = await queryRows<{ invoice_number: string; document: unknown }>(
      this.orm,
      'select invoice_number, document from ledger_invoices where id = ? and municipality_id = ? and pid = ?',
      [invoiceId, tenant.id, pid],
      { short: true },
    );
    if (!row) throw new FinanceNotFoundError('invoice');
    return this.checked(row.invoice_number, row.document);
  }

  /** One query: the resident's invoices are few, and the one asked about is among them. */
  async getInvoiceWithList(
    tenant: FinanceTenant,
    pid: string,
    invoiceId: string,
  ): Promise<{ invoice: Invoice; all: InvoiceSummary[] }> {
    const rows = await queryRows<InvoiceRow>(
      this.orm,
      `select invoice_number, summary, ${TARGET_DOCUMENT}
        ${INVOICES_OF} order by ${INVOICE_ORDER}`,
      [invoiceId, tenant.id, pid],
      { short: true },
    );
    return this.withTarget(rows, invoiceId);
  }

  async getPaymentHistory(tenant: FinanceTenant, pid: string): Promise<PaymentHistory> {
    const rows = await queryRows<PaymentEventRow>(
      this.orm,
      'select type, date, invoice_id, invoice_number, amount_ore, days_late from ledger_payment_events where municipality_id = ? and pid = ? order by date asc, id asc',
      [tenant.id, pid],
      { short: true },
    );
    return this.historyOf(rows);
  }

  /**
   * The decision's reads in one statement: the resident's invoice documents, then their payment
   * events, each part in the order of its own read above. One round trip instead of two on every
   * decision (issue 18: each round trip is a process switch on both sides).
   */
  async getDecisionInputs(
    tenant: FinanceTenant,
    pid: string,
    invoiceId: string,
  ): Promise<DecisionInputs> {
    const rows = await queryRows<InvoiceRow & PaymentEventRow & { part: number | string }>(
      this.orm,
      `select 0 as part, invoice_number, summary,
          ${TARGET_DOCUMENT},
          invoice_date as invoice_order, invoice_number as invoice_key,
          null as type, null as date, null as invoice_id, null as amount_ore, null as days_late, null as event_order
        ${INVOICES_OF}
       union all
       select 1, invoice_number, null, null, null, null,
          type, date, invoice_id, amount_ore, days_late, id
        from ledger_payment_events where municipality_id = ? and pid = ?
       order by part, invoice_order desc, invoice_key desc, date asc, event_order asc`,
      [invoiceId, tenant.id, pid, tenant.id, pid],
      { short: true },
    );
    const { invoice, all } = this.withTarget(
      rows.filter((row) => Number(row.part) === 0),
      invoiceId,
    );
    const history = this.historyOf(rows.filter((row) => Number(row.part) === 1));
    return { invoice, all, history };
  }

  private historyOf(rows: PaymentEventRow[]): PaymentHistory {
    return summarizePaymentEvents(
      rows.map((row) => ({
        type: row.type,
        date: row.date,
        invoiceId: row.invoice_id,
        invoiceNumber: row.invoice_number,
        amountOre:
          row.amount_ore === null || row.amount_ore === undefined ? null : Number(row.amount_ore),
        daysLate: row.days_late ?? null,
      })),
    );
  }

  /** The portal's own ledger always takes due date changes. */
  capabilities(): FinanceCapabilities {
    return { writesDueDates: true };
  }

  async setDueDate(tenant: FinanceTenant, command: SetDueDateCommand): Promise<DueDateChange> {
    const fingerprint = createHash('sha256')
      .update(JSON.stringify([command.invoiceId, command.pid, command.newDueDate, command.reason]))
      .digest('hex');
    // The first call under a key applies; a repeated one finds the key taken by the insert in
    // `apply` (whatever the invoice says by now) and gets the first answer back.
    try {
      return await this.orm.em
        .fork()
        .transactional((em) => this.apply(em, tenant, command, fingerprint));
    } catch (error) {
      // The key was used before, or another call with it won the race: answer as it was answered.
      if (!(error instanceof UniqueConstraintViolationException)) throw error;
      const winner = await this.recordOf(tenant, command.idempotencyKey);
      if (!winner) throw error;
      return this.replay(winner, fingerprint);
    }
  }

  /**
   * One transaction of native statements (no entities to hydrate and diff): the invoice row locked
   * (PostgreSQL) so two changes to one invoice queue, the outcome under its idempotency key, and
   * for a change the new document, due date and payment event.
   */
  private async apply(
    em: EntityManager,
    tenant: FinanceTenant,
    command: SetDueDateCommand,
    fingerprint: string,
  ): Promise<DueDateChange> {
    if (!(em instanceof SqlEntityManager))
      throw new Error('the embedded ledger needs an SQL database');
    const select = em
      .createQueryBuilder(LedgerInvoice)
      .select(['id', 'invoiceNumber', 'document'])
      .where({ id: command.invoiceId, municipalityId: tenant.id, pid: command.pid });
    if (!(em.getPlatform() instanceof SqlitePlatform))
      select.setLockMode(LockMode.PESSIMISTIC_WRITE);
    const row = await select.execute<
      { id: string; invoiceNumber: string; document: unknown } | undefined
    >('get');
    if (!row) throw new FinanceNotFoundError('invoice');
    const today = this.today();
    const invoice = this.checked(row.invoiceNumber, row.document);
    const check = checkDueDateChange(invoice, command.newDueDate, today);
    const record: Pick<LedgerDueDateChange, 'fingerprint' | 'outcome'> = {
      fingerprint,
      outcome: check.ok
        ? {
            kind: 'applied',
            invoiceId: row.id,
            dueDate: command.newDueDate,
            previousDueDate: invoice.dueDate,
            changedAt: new Date().toISOString(),
          }
        : { kind: 'rejected', code: check.code, detail: check.detail },
    };
    await em.insert(LedgerDueDateChange, {
      municipalityId: tenant.id,
      idempotencyKey: command.idempotencyKey,
      ...record,
      createdAt: new Date(),
    });
    if (check.ok) {
      const document: Invoice = {
        ...invoice,
        dueDate: command.newDueDate,
        history: [
          ...invoice.history,
          { type: 'DUE_DATE_CHANGED', date: today, amountOre: null, dueDate: command.newDueDate },
        ],
      };
      await em.nativeUpdate(LedgerInvoice, { id: row.id }, documentColumns(document));
      await em.insert(LedgerPaymentEvent, {
        id: randomUUID(),
        municipalityId: tenant.id,
        pid: command.pid,
        type: 'DUE_DATE_CHANGED',
        date: today,
        invoiceId: row.id,
        invoiceNumber: row.invoiceNumber,
        amountOre: null,
        daysLate: null,
      });
    }
    return this.replay(record, fingerprint, false);
  }

  /** What was recorded under the idempotency key, if anything. */
  private async recordOf(
    tenant: FinanceTenant,
    idempotencyKey: string,
  ): Promise<Pick<LedgerDueDateChange, 'fingerprint' | 'outcome'> | undefined> {
    const row = await sqlEm(this.orm)
      .createQueryBuilder(LedgerDueDateChange)
      .select(['fingerprint', 'outcome'])
      .where({ municipalityId: tenant.id, idempotencyKey })
      .execute<{ fingerprint: string; outcome: unknown } | undefined>('get');
    return row && { fingerprint: row.fingerprint, outcome: fromJsonColumn(row.outcome) };
  }

  private replay(
    record: Pick<LedgerDueDateChange, 'fingerprint' | 'outcome'>,
    fingerprint: string,
    replayed = true,
  ): DueDateChange {
    if (record.fingerprint !== fingerprint) {
      throw new FinanceRejectedError(
        'IDEMPOTENCY_KEY_REUSED',
        'The idempotency key was used for another change',
      );
    }
    const outcome = record.outcome;
    if (outcome.kind === 'rejected') throw new FinanceRejectedError(outcome.code, outcome.detail);
    return {
      invoiceId: outcome.invoiceId,
      dueDate: outcome.dueDate,
      previousDueDate: outcome.previousDueDate,
      changedAt: outcome.changedAt,
      replayed,
    };
  }

  /** A stored invoice that does not add up is never shown; it is reported as unavailable. */
  private checked<T extends InvoiceSummary = Invoice>(invoiceNumber: string, stored: unknown): T {
    const read = fromJsonColumn<T>(stored);
    // Documents stored before the agency was carried have no such field: no agency known.
    const document = { ...read, collectionAgency: read.collectionAgency ?? null };
    const problem = checkInvoice(document);
    if (problem)
      throw new FinanceUnavailableError(
        'bad-response',
        `Ledger invoice ${invoiceNumber} is inconsistent: ${problem}`,
      );
    return document;
  }

  /**
   * A row's summary, held to the same arithmetic as a document (`checkInvoice` without the lines,
   * which only the whole document has); from the document where the read took it instead.
   */
  private checkedSummary(row: InvoiceRow): InvoiceSummary {
    if (row.document !== null && row.document !== undefined)
      return summaryOf(this.checked(row.invoice_number, row.document));
    return this.checked<InvoiceSummary>(row.invoice_number, row.summary);
  }
}
