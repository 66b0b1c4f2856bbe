import { parseNationalIdentityNumber } from '../../src/shared/national-identity-number';
import { checkInvoice } from '../../src/finance/invoice-consistency';
import { isValidAccountNumber, isValidKid } from '../../src/finance/kid';
import { INGRID, KARI, OLA } from '../support/ledger-fixtures';
import { invoiceFactory } from '../support/invoice-factory';
import {
  STORIES,
  residentWithStory,
  syntheticPidRange,
  type StoryName,
} from '../support/resident-factory';

const TODAY = '2026-11-23';

/** The factories every e2e and browser test builds its data with hold what those tests assume. */
describe('test factories', () => {
  describe('syntheticPid', () => {
    it('gives different synthetic identity numbers that pass the checksum', () => {
      const pids = syntheticPidRange(2_000);
      expect(new Set(pids).size).toBe(2_000);
      for (const pid of [...pids, KARI, OLA, INGRID]) {
        expect(parseNationalIdentityNumber(pid)).toMatchObject({ synthetic: true });
      }
      // Pages show a masked number (birth date + *****): the three must not look alike there.
      expect(new Set([KARI, OLA, INGRID].map((pid) => pid.slice(0, 6))).size).toBe(3);
    });
  });

  describe('invoiceFactory', () => {
    it('builds an invoice that adds up, with a valid KID and account number', () => {
      const { invoice } = invoiceFactory({ today: TODAY, amountOre: 12_345 });
      expect(checkInvoice(invoice)).toBeUndefined();
      expect(isValidKid(invoice.kid)).toBe(true);
      expect(isValidAccountNumber(invoice.accountNumber)).toBe(true);
      expect(invoice).toMatchObject({
        status: 'UNPAID',
        amountOre: 12_345,
        outstandingOre: 12_345,
      });
    });

    it('follows the story: reminder fee, late payment and its event', () => {
      const { invoice, paymentEvents } = invoiceFactory({
        today: TODAY,
        issuedDay: -60,
        story: [
          { type: 'REMINDER', day: -20 },
          { type: 'PAYMENT', day: -10 },
        ],
      });
      expect(checkInvoice(invoice)).toBeUndefined();
      expect(invoice).toMatchObject({ status: 'PAID', feesOre: 7_000, outstandingOre: 0 });
      expect(paymentEvents.map((e) => [e.type, e.daysLate])).toEqual([
        ['REMINDER_SENT', null],
        ['PAID_LATE', 20],
      ]);
    });
  });

  describe('residentWithStory', () => {
    it.each(Object.keys(STORIES) as StoryName[])('builds consistent invoices for %s', (story) => {
      const entry = residentWithStory(KARI, story, { today: TODAY });
      for (const invoice of entry.invoices) expect(checkInvoice(invoice)).toBeUndefined();
      expect(entry.invoices.map((i) => i.invoiceDate)).toEqual(
        entry.invoices
          .map((i) => i.invoiceDate)
          .sort()
          .reverse(),
      );
      expect(JSON.stringify(entry.invoices.map((i) => i.id))).not.toContain(KARI.slice(-5));
    });

    it('tells the scenarios the e2e tests rely on', () => {
      const open = residentWithStory(KARI, 'openInvoicePayer', { today: TODAY }).invoices;
      expect(
        open.filter((i) => i.status === 'UNPAID' && i.dueDate > TODAY && i.amountOre < 1_000_000),
      ).toHaveLength(1);
      expect(open.some((i) => i.status === 'PAID')).toBe(true);

      const ola = residentWithStory(OLA, 'collectionAndDeferral', { today: TODAY }).invoices;
      expect(ola.some((i) => i.status === 'SENT_TO_DEBT_COLLECTION')).toBe(true);
      expect(ola.some((i) => i.status === 'UNPAID' && i.dueDate !== i.originalDueDate)).toBe(true);
      expect(ola.some((i) => i.status === 'PAID')).toBe(true);

      const ingrid = residentWithStory(INGRID, 'largePropertyTax', { today: TODAY }).invoices;
      const tax = ingrid.find((i) => i.category === 'EIENDOMSSKATT')!;
      expect(tax.amountOre).toBeGreaterThanOrEqual(1_000_000);
      expect(tax.dueDate > TODAY).toBe(true);
      expect(ingrid.some((i) => i.status === 'UNPAID' && i.dueDate < TODAY)).toBe(true);
    });
  });
});
