import { checkInvoice } from '../../src/finance/invoice-consistency';
import { INVOICE_CATEGORIES } from '../../src/finance/invoice.model';
import { isValidAccountNumber, isValidKid } from '../../src/finance/kid';
import { DEMO_RESIDENTS } from '../demo-residents';
import { generateDemoInvoices } from './demo-invoices';

const TODAY = '2026-03-10';
const ledger = generateDemoInvoices({ today: TODAY });
const of = (name: string) => ledger.find((e) => e.name === name)!;
const all = ledger.flatMap((e) => e.invoices.map((invoice) => ({ ...e, invoice })));

describe(generateDemoInvoices, () => {
  it('is deterministic for a given today, and moves with it', () => {
    expect(generateDemoInvoices({ today: TODAY })).toEqual(ledger);
    const later = generateDemoInvoices({ today: '2026-03-11' });
    expect(later[0].invoices[0].dueDate).not.toBe(ledger[0].invoices[0].dueDate);
  });

  it('gives every demo resident invoices in their own municipality', () => {
    expect(ledger.map((e) => [e.pid, e.municipality])).toEqual(
      DEMO_RESIDENTS.map((r) => [r.pid, r.municipality]),
    );
    for (const entry of ledger) expect(entry.invoices.length).toBeGreaterThan(1);
  });

  it('produces consistent whole-øre amounts, valid KIDs and account numbers, unique ids', () => {
    for (const { invoice } of all) {
      expect(checkInvoice(invoice)).toBeUndefined();
      expect(isValidKid(invoice.kid)).toBe(true);
      expect(invoice.kid).toMatch(/^\d+$/);
      expect(isValidAccountNumber(invoice.accountNumber)).toBe(true);
      for (const line of invoice.lines) {
        for (const ore of [line.unitPriceOre, line.netOre, line.vatOre, line.totalOre])
          expect(Number.isSafeInteger(ore)).toBe(true);
      }
    }
    expect(new Set(all.map((a) => a.invoice.id)).size).toBe(all.length);
  });

  it('uses both KID algorithms and charges VAT only on voluntary services', () => {
    expect(
      all.some((a) => isValidKid(a.invoice.kid, 'MOD10') && !isValidKid(a.invoice.kid, 'MOD11')),
    ).toBe(true);
    expect(
      all.some((a) => isValidKid(a.invoice.kid, 'MOD11') && !isValidKid(a.invoice.kid, 'MOD10')),
    ).toBe(true);
    const vatLines = all.flatMap((a) => a.invoice.lines).filter((l) => l.vatRatePercent > 0);
    expect(vatLines.length).toBeGreaterThan(0);
    for (const line of vatLines) expect(line.vatOre).toBe(Math.round(line.netOre / 4));
  });

  it('numbers invoices in date order within each municipality', () => {
    for (const municipality of ['fjordvik', 'asdal']) {
      const invoices = all.filter((a) => a.municipality === municipality).map((a) => a.invoice);
      const byDate = [...invoices].sort(
        (x, y) =>
          x.invoiceDate.localeCompare(y.invoiceDate) ||
          x.invoiceNumber.slice(4).localeCompare(y.invoiceNumber.slice(4)),
      );
      const sequences = byDate.map((i) => Number(i.invoiceNumber.slice(4)));
      expect(sequences).toEqual([...sequences].sort((x, y) => x - y));
    }
  });

  it('covers every municipal service', () => {
    const categories = new Set(all.map((a) => a.invoice.category));
    for (const category of INVOICE_CATEGORIES.filter((c) => c !== 'ANNET'))
      expect(categories).toContain(category);
  });

  it('tells each demo resident’s story', () => {
    const kari = of('Kari Nordmann');
    expect(
      kari.invoices.some(
        (i) => i.category === 'VANN_AVLOP' && i.status === 'UNPAID' && i.dueDate > TODAY,
      ),
    ).toBe(true);
    expect(kari.paymentEvents.every((e) => e.type === 'PAID_ON_TIME')).toBe(true);

    const ola = of('Ola Bakken');
    expect(ola.invoices.find((i) => i.status === 'SENT_TO_DEBT_COLLECTION')).toMatchObject({
      sentToExternal: true,
      canBePaid: false,
    });
    const deferred = ola.invoices.find((i) => i.dueDate !== i.originalDueDate)!;
    expect(deferred.status).toBe('UNPAID');
    expect(deferred.history.map((e) => e.type)).toContain('DUE_DATE_CHANGED');
    expect(ola.paymentEvents.map((e) => e.type)).toEqual(
      expect.arrayContaining(['PAID_LATE', 'REMINDER_SENT', 'SENT_TO_DEBT_COLLECTION']),
    );

    const ingrid = of('Ingrid Solberg');
    const tax = ingrid.invoices.find((i) => i.category === 'EIENDOMSSKATT')!;
    expect(tax.outstandingOre).toBeGreaterThan(1_000_000);
    expect(ingrid.invoices.some((i) => i.status === 'UNPAID' && i.dueDate < TODAY)).toBe(true);

    const per = of('Per Haugen');
    expect(per.municipality).toBe('asdal');
    expect(
      per.invoices.some((i) => i.deliveryChannel === 'AVTALEGIRO' && i.status === 'UNPAID'),
    ).toBe(true);
  });

  it('gives residents it has no story for a plain one', () => {
    const [entry] = generateDemoInvoices({
      today: TODAY,
      residents: [{ pid: '01010100000', name: 'Test Person', municipality: 'asdal' }],
    });
    expect(entry.invoices.map((i) => i.status).sort()).toEqual(['PAID', 'UNPAID']);
    expect(entry.invoices.every((i) => i.recipientName === 'Test Person')).toBe(true);
  });
});
