import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { FinanceNotFoundError, FinanceRejectedError } from '../finance.errors';
import type { FinanceSystem, SetDueDateCommand } from '../finance-system.port';
import type { FinanceTenant } from '../finance-tenant';
import { checkInvoice } from '../invoice-consistency';
import { isInCollection, type InvoiceSummary } from '../invoice.model';
import { addDays, isIsoDate, type IsoDate } from '../../shared/calendar-date';
import { isValidAccountNumber, isValidKid } from '../kid';

export interface FinanceContractFixture {
  system: FinanceSystem;
  tenant: FinanceTenant;
  /** Another municipality served by the same system; the residents' invoices must not show there. */
  otherTenant?: FinanceTenant;
  residents: {
    /** Has paid invoices and at least one open, deferrable one. */
    payer: string;
    /** Has an invoice sent to debt collection and a late payment. */
    inCollection: string;
    /** Another resident of `tenant` with invoices of their own. */
    other: string;
  };
  /** The finance system's "today". */
  today: IsoDate;
  teardown: () => Promise<void>;
}

/** A well-formed identity number that owns nothing. */
const NOBODY = '01010100000';

/**
 * What every FinanceSystem adapter must do, written once and run against each (HTTP adapter with the
 * dev finance server, embedded ledger). Each test gets a fresh fixture, so changes do not leak.
 */
export function describeFinanceSystemContract(
  name: string,
  setup: () => Promise<FinanceContractFixture>,
): void {
  describe(`FinanceSystem contract: ${name}`, () => {
    let f: FinanceContractFixture;
    beforeEach(async () => {
      f = await setup();
    });
    afterEach(async () => {
      await f.teardown();
    });

    const openInvoiceOf = async (pid: string) => {
      const open = (await f.system.listInvoices(f.tenant, pid)).find(
        (i) => i.status === 'UNPAID' && i.outstandingOre > 0,
      );
      if (!open) throw new Error('fixture: the resident needs an open invoice');
      return open;
    };
    const invoiceWith = async (pid: string, match: (i: InvoiceSummary) => boolean) => {
      const found = (await f.system.listInvoices(f.tenant, pid)).find(match);
      if (!found) throw new Error('fixture: no such invoice for the resident');
      return found;
    };
    const deferral = (invoice: InvoiceSummary, days = 14): SetDueDateCommand => ({
      invoiceId: invoice.id,
      pid: f.residents.payer,
      newDueDate: addDays(invoice.dueDate > f.today ? invoice.dueDate : f.today, days),
      idempotencyKey: `contract-${randomUUID()}`,
      reason: 'Deferral UTS-TEST-1 approved',
    });
    const changesOn = async (pid: string, invoiceId: string) =>
      (await f.system.getInvoice(f.tenant, pid, invoiceId)).history.filter(
        (e) => e.type === 'DUE_DATE_CHANGED',
      ).length;

    describe('listInvoices', () => {
      it('returns the resident’s invoices, newest first, with consistent whole-øre amounts', async () => {
        const invoices = await f.system.listInvoices(f.tenant, f.residents.payer);
        expect(invoices.length).toBeGreaterThan(1);
        expect(invoices.map((i) => i.invoiceDate)).toEqual(
          [...invoices.map((i) => i.invoiceDate)].sort().reverse(),
        );
        for (const invoice of invoices) {
          expect(checkInvoice(invoice)).toBeUndefined();
          for (const ore of [
            invoice.amountOre,
            invoice.totalOre,
            invoice.outstandingOre,
            invoice.paidOre,
          ]) {
            expect(Number.isSafeInteger(ore)).toBe(true);
          }
          expect(isValidKid(invoice.kid)).toBe(true);
          expect(isValidAccountNumber(invoice.accountNumber)).toBe(true);
          expect(isIsoDate(invoice.dueDate) && isIsoDate(invoice.invoiceDate)).toBe(true);
        }
        expect(invoices.some((i) => i.status === 'PAID' && i.outstandingOre === 0)).toBe(true);
      });

      it('names the collection agency of a claim in collection, and none for the others', async () => {
        const pid = f.residents.inCollection;
        const invoices = await f.system.listInvoices(f.tenant, pid);
        const collected = invoices.find(isInCollection);
        expect(collected?.collectionAgency?.name).toMatch(/\S/);
        const invoice = await f.system.getInvoice(f.tenant, pid, collected!.id);
        expect(invoice.collectionAgency).toEqual(collected!.collectionAgency);
        for (const other of invoices.filter((i) => !isInCollection(i)))
          expect(other.collectionAgency).toBeNull();
      });

      it('returns nothing for a resident without invoices', async () => {
        await expect(f.system.listInvoices(f.tenant, NOBODY)).resolves.toEqual([]);
      });

      it('never lists one resident’s invoices for another', async () => {
        const mine = await f.system.listInvoices(f.tenant, f.residents.payer);
        const theirs = await f.system.listInvoices(f.tenant, f.residents.other);
        const ids = new Set(mine.map((i) => i.id));
        expect(theirs.length).toBeGreaterThan(0);
        expect(theirs.some((i) => ids.has(i.id))).toBe(false);
      });
    });

    describe('getInvoice', () => {
      it('returns the invoice with lines adding up to its amount, and its history', async () => {
        const summary = await openInvoiceOf(f.residents.payer);
        const invoice = await f.system.getInvoice(f.tenant, f.residents.payer, summary.id);
        expect(invoice).toMatchObject(summary);
        expect(invoice.lines.length).toBeGreaterThan(1);
        expect(invoice.lines.reduce((sum, l) => sum + l.totalOre, 0)).toBe(invoice.amountOre);
        expect(checkInvoice(invoice)).toBeUndefined();
        expect(invoice.history[0]).toMatchObject({ type: 'ISSUED', date: invoice.invoiceDate });
      });

      it('is not found for an unknown id', async () => {
        await expect(
          f.system.getInvoice(f.tenant, f.residents.payer, 'no-such-invoice'),
        ).rejects.toBeInstanceOf(FinanceNotFoundError);
      });

      it('is not found when the invoice belongs to another resident', async () => {
        const theirs = await openInvoiceOf(f.residents.other);
        await expect(
          f.system.getInvoice(f.tenant, f.residents.payer, theirs.id),
        ).rejects.toBeInstanceOf(FinanceNotFoundError);
      });

      it('is not found in another municipality', async () => {
        if (!f.otherTenant) return;
        const mine = await openInvoiceOf(f.residents.payer);
        await expect(
          f.system.getInvoice(f.otherTenant, f.residents.payer, mine.id),
        ).rejects.toBeInstanceOf(FinanceNotFoundError);
        await expect(f.system.listInvoices(f.otherTenant, f.residents.payer)).resolves.toEqual([]);
      });
    });

    describe('getInvoiceWithList', () => {
      it('answers as getInvoice and listInvoices do', async () => {
        const summary = await openInvoiceOf(f.residents.payer);
        const both = await f.system.getInvoiceWithList(f.tenant, f.residents.payer, summary.id);
        expect(both.invoice).toEqual(
          await f.system.getInvoice(f.tenant, f.residents.payer, summary.id),
        );
        expect(both.all).toEqual(await f.system.listInvoices(f.tenant, f.residents.payer));
      });

      it('is not found when the invoice belongs to another resident, or is unknown', async () => {
        const theirs = await openInvoiceOf(f.residents.other);
        await expect(
          f.system.getInvoiceWithList(f.tenant, f.residents.payer, theirs.id),
        ).rejects.toBeInstanceOf(FinanceNotFoundError);
        await expect(
          f.system.getInvoiceWithList(f.tenant, f.residents.payer, 'no-such-invoice'),
        ).rejects.toBeInstanceOf(FinanceNotFoundError);
      });
    });

    describe('getDecisionInputs', () => {
      it('answers as getInvoiceWithList and getPaymentHistory do', async () => {
        for (const pid of [f.residents.payer, f.residents.inCollection]) {
          const [summary] = await f.system.listInvoices(f.tenant, pid);
          const inputs = await f.system.getDecisionInputs(f.tenant, pid, summary.id);
          expect({ invoice: inputs.invoice, all: inputs.all }).toEqual(
            await f.system.getInvoiceWithList(f.tenant, pid, summary.id),
          );
          expect(inputs.history).toEqual(await f.system.getPaymentHistory(f.tenant, pid));
          expect(inputs.history.events.length).toBeGreaterThan(0);
        }
      });

      it('is not found when the invoice belongs to another resident, or is unknown', async () => {
        const theirs = await openInvoiceOf(f.residents.other);
        await expect(
          f.system.getDecisionInputs(f.tenant, f.residents.payer, theirs.id),
        ).rejects.toBeInstanceOf(FinanceNotFoundError);
        await expect(
          f.system.getDecisionInputs(f.tenant, f.residents.payer, 'no-such-invoice'),
        ).rejects.toBeInstanceOf(FinanceNotFoundError);
        const mine = await openInvoiceOf(f.residents.payer);
        if (f.otherTenant)
          await expect(
            f.system.getDecisionInputs(f.otherTenant, f.residents.payer, mine.id),
          ).rejects.toBeInstanceOf(FinanceNotFoundError);
      });
    });

    describe('getPaymentHistory', () => {
      it('counts on-time payments of a good payer', async () => {
        const history = await f.system.getPaymentHistory(f.tenant, f.residents.payer);
        expect(history.counts.paidOnTime).toBeGreaterThan(0);
        expect(history.counts.sentToDebtCollection).toBe(0);
        expect(history.events.map((e) => e.date)).toEqual(history.events.map((e) => e.date).sort());
      });

      it('shows late payment, reminders and debt collection, with counts matching the events', async () => {
        const history = await f.system.getPaymentHistory(f.tenant, f.residents.inCollection);
        expect(history.counts).toMatchObject({
          paidLate: expect.any(Number),
          reminders: expect.any(Number),
          sentToDebtCollection: 1,
        });
        expect(history.counts.paidLate).toBeGreaterThan(0);
        expect(history.counts.reminders).toBeGreaterThan(0);
        const late = history.events.find((e) => e.type === 'PAID_LATE');
        expect(late?.daysLate).toBeGreaterThan(0);
        expect(history.events.filter((e) => e.type === 'REMINDER_SENT')).toHaveLength(
          history.counts.reminders,
        );
      });

      it('is empty for a resident without invoices', async () => {
        const history = await f.system.getPaymentHistory(f.tenant, NOBODY);
        expect(history.events).toEqual([]);
        expect(Object.values(history.counts).every((n) => n === 0)).toBe(true);
      });
    });

    describe('setDueDate', () => {
      it('moves the due date and records it', async () => {
        const invoice = await openInvoiceOf(f.residents.payer);
        const before = await f.system.getPaymentHistory(f.tenant, f.residents.payer);
        const command = deferral(invoice);
        const change = await f.system.setDueDate(f.tenant, command);
        expect(change).toMatchObject({
          invoiceId: invoice.id,
          dueDate: command.newDueDate,
          previousDueDate: invoice.dueDate,
          replayed: false,
        });
        const after = await f.system.getInvoice(f.tenant, f.residents.payer, invoice.id);
        expect(after.dueDate).toBe(command.newDueDate);
        expect(after.originalDueDate).toBe(invoice.originalDueDate);
        expect(after.history.at(-1)).toMatchObject({
          type: 'DUE_DATE_CHANGED',
          dueDate: command.newDueDate,
        });
        const history = await f.system.getPaymentHistory(f.tenant, f.residents.payer);
        expect(history.counts.dueDateChanges).toBe(before.counts.dueDateChanges + 1);
      });

      it('applies once when the same idempotency key is repeated, and repeats the first answer', async () => {
        const invoice = await openInvoiceOf(f.residents.payer);
        const command = deferral(invoice);
        const first = await f.system.setDueDate(f.tenant, command);
        const again = await f.system.setDueDate(f.tenant, { ...command });
        const concurrent = await Promise.all(
          [1, 2, 3].map(() => f.system.setDueDate(f.tenant, { ...command })),
        );
        for (const repeat of [again, ...concurrent]) {
          expect(repeat).toEqual({ ...first, replayed: true });
        }
        expect(await changesOn(f.residents.payer, invoice.id)).toBe(1);
      });

      it('applies once when concurrent first calls share a key', async () => {
        const invoice = await openInvoiceOf(f.residents.payer);
        const command = deferral(invoice);
        const results = await Promise.all(
          [1, 2, 3].map(() => f.system.setDueDate(f.tenant, { ...command })),
        );
        expect(results.filter((r) => !r.replayed)).toHaveLength(1);
        expect(new Set(results.map((r) => r.changedAt)).size).toBe(1);
        expect(await changesOn(f.residents.payer, invoice.id)).toBe(1);
      });

      it('rejects reuse of a key for a different change, and keeps the first', async () => {
        const invoice = await openInvoiceOf(f.residents.payer);
        const command = deferral(invoice, 14);
        await f.system.setDueDate(f.tenant, command);
        const reuse = f.system.setDueDate(f.tenant, {
          ...command,
          newDueDate: addDays(command.newDueDate, 7),
        });
        await expect(reuse).rejects.toBeInstanceOf(FinanceRejectedError);
        await expect(reuse).rejects.toMatchObject({ reasonCode: 'IDEMPOTENCY_KEY_REUSED' });
        const after = await f.system.getInvoice(f.tenant, f.residents.payer, invoice.id);
        expect(after.dueDate).toBe(command.newDueDate);
      });

      it('rejects a paid invoice with INVOICE_PAID', async () => {
        const paid = await invoiceWith(f.residents.payer, (i) => i.status === 'PAID');
        const attempt = f.system.setDueDate(f.tenant, deferral(paid));
        await expect(attempt).rejects.toMatchObject({
          name: 'FinanceRejectedError',
          reasonCode: 'INVOICE_PAID',
        });
        expect((await f.system.getInvoice(f.tenant, f.residents.payer, paid.id)).dueDate).toBe(
          paid.dueDate,
        );
      });

      it('rejects an invoice in debt collection with INVOICE_IN_DEBT_COLLECTION', async () => {
        const pid = f.residents.inCollection;
        const collected = await invoiceWith(
          pid,
          (i) => i.status === 'SENT_TO_DEBT_COLLECTION' || i.status === 'IN_DEBT_COLLECTION',
        );
        const attempt = f.system.setDueDate(f.tenant, { ...deferral(collected), pid });
        await expect(attempt).rejects.toMatchObject({
          name: 'FinanceRejectedError',
          reasonCode: 'INVOICE_IN_DEBT_COLLECTION',
        });
        expect((await f.system.getInvoice(f.tenant, pid, collected.id)).dueDate).toBe(
          collected.dueDate,
        );
      });

      it('rejects a date that is not later than the current due date with DUE_DATE_NOT_LATER', async () => {
        const invoice = await openInvoiceOf(f.residents.payer);
        const attempt = f.system.setDueDate(f.tenant, {
          ...deferral(invoice),
          newDueDate: invoice.dueDate,
        });
        await expect(attempt).rejects.toMatchObject({ reasonCode: 'DUE_DATE_NOT_LATER' });
      });

      it('is not found for another resident’s invoice, which stays unchanged', async () => {
        const theirs = await openInvoiceOf(f.residents.other);
        const attempt = f.system.setDueDate(f.tenant, deferral(theirs));
        await expect(attempt).rejects.toBeInstanceOf(FinanceNotFoundError);
        expect((await f.system.getInvoice(f.tenant, f.residents.other, theirs.id)).dueDate).toBe(
          theirs.dueDate,
        );
      });
    });
  });
}
