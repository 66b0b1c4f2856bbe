import { invoiceFromVisma, shareOut, summaryFromVisma } from './visma-invoice-mapping';
import type { VismaSettings } from './visma-settings';
import type { VismaInvoice } from './visma-wire';

const SETTINGS: VismaSettings = {
  baseUrl: 'https://api.finance.visma.net',
  tokenUrl: 'https://connect.visma.com/connect/token',
  tenantId: 'af1140c1-52e0-46c7-b684-df894d4b8a5a',
  clientId: 'isv',
  clientSecret: 'secret',
  customerKey: { field: 'corporateId' },
  payee: { name: 'Bergvik kommune', accountNumber: '15032412995' },
  payeeByCategory: {
    EIENDOMSSKATT: { name: 'Bergvik kommune, eiendomsskatt', accountNumber: '15068810121' },
  },
  categoryByItem: { 'FE-100': 'FEIING', 'ES-100': 'EIENDOMSSKATT' },
  collectionAgency: { name: 'Fjellinkasso AS', phone: null, url: 'https://fjellinkasso.example' },
  debtCollectionWarningLevel: 2,
};

/** A chimney sweeping bill: 1 000 kr outside VAT and two lines at 25 % whose VAT rounds. */
const invoice = (overrides: Partial<VismaInvoice> = {}): VismaInvoice => ({
  referenceNumber: '2026001001',
  documentType: 'Invoice',
  status: 'Open',
  customer: { number: '10001', name: 'Kari Nordmann' },
  documentDate: '2026-02-01',
  documentDueDate: '2026-03-03',
  invoiceText: 'Feiing og tilsyn',
  amount: 1200.03,
  balance: 1200.03,
  paymentReference: '1234567890128',
  invoiceLines: [
    {
      inventoryNumber: 'FE-100',
      description: 'Feiing',
      quantity: 1,
      unitPrice: 1000,
      amount: 1000,
      uom: 'stk',
      vatCode: { id: '5' },
    },
    {
      inventoryNumber: 'FE-100',
      description: 'Tilsyn',
      quantity: 1,
      unitPrice: 80.01,
      amount: 80.01,
      uom: 'stk',
      vatCode: { id: '3' },
    },
    {
      inventoryNumber: 'FE-100',
      description: 'Tilsyn 2',
      quantity: 1,
      unitPrice: 80.01,
      amount: 80.01,
      uom: 'stk',
      vatCode: { id: '3' },
    },
  ],
  taxDetails: [
    { vatId: { number: '3' }, vatRate: 25, vatAmount: 40.01 },
    { vatId: { number: '5' }, vatRate: 0, vatAmount: 0 },
  ],
  ...overrides,
});
// 1000 + 80.01 + 80.01 + VAT 40.01 (not 20.00 + 20.00: Visma rounds the document's VAT once).
const VALID = invoice();

describe('summaryFromVisma', () => {
  it('maps an open invoice: amount is the total, balance outstanding, account and payee from the settings by category', () => {
    const property = invoice({
      ...VALID,
      invoiceLines: VALID.invoiceLines!.map((l) => ({ ...l, inventoryNumber: 'ES-100' })),
    });
    expect(summaryFromVisma(VALID, SETTINGS)).toMatchObject({
      id: '2026001001',
      category: 'FEIING',
      status: 'UNPAID',
      canBePaid: true,
      amountOre: 120_003,
      totalOre: 120_003,
      outstandingOre: 120_003,
      paidOre: 0,
      payee: 'Bergvik kommune',
      accountNumber: '15032412995',
      originalDueDate: '2026-03-03',
      collectionAgency: null,
    });
    expect(summaryFromVisma(property, SETTINGS)).toMatchObject({
      category: 'EIENDOMSSKATT',
      accountNumber: '15068810121',
    });
  });

  it.each([
    ['Closed with nothing left', { status: 'Closed', balance: 0 }, 'PAID', false],
    ['at the warning’s dunning level', { dunningLetterLevel: 2 }, 'DEBT_COLLECTION_WARNING', true],
    ['after one reminder', { dunningLetterLevel: 1 }, 'UNPAID', true],
    [
      'with a debt collection case',
      { debtCollection: { caseNumber: 'INK-1' } },
      'SENT_TO_DEBT_COLLECTION',
      false,
    ],
  ] as const)('is %s', (_name, overrides, status, canBePaid) => {
    const summary = summaryFromVisma({ ...VALID, ...overrides }, SETTINGS);
    expect(summary).toMatchObject({ status, canBePaid });
    if (status === 'SENT_TO_DEBT_COLLECTION') {
      expect(summary.collectionAgency?.name).toBe('Fjellinkasso AS');
      expect(summary.sentToExternal).toBe(true);
    }
  });

  it.each([
    [
      'an amount in fractions of an øre',
      { amount: 1200.035 },
      /amount is not a whole number of øre/,
    ],
    ['no KID', { paymentReference: null }, /invoice 2026001001 has no valid KID/],
    ['a KID with a wrong check digit', { paymentReference: '1234567890127' }, /no valid KID/],
    ['a balance above the amount', { balance: 1300 }, /negative amount|paid more/],
    ['Closed with a balance left', { status: 'Closed' }, /paid invoice with an outstanding amount/],
  ])('refuses %s as a bad response naming what is wrong', (_name, overrides, message) => {
    expect(() => summaryFromVisma({ ...VALID, ...overrides }, SETTINGS)).toThrow(
      expect.objectContaining({ name: 'FinanceUnavailableError', reason: 'bad-response' }),
    );
    expect(() => summaryFromVisma({ ...VALID, ...overrides }, SETTINGS)).toThrow(message);
  });
});

describe('invoiceFromVisma', () => {
  it('shares each VAT code’s document VAT among its lines, so the lines add up to the invoice to the øre', () => {
    const { lines, amountOre } = invoiceFromVisma(VALID, SETTINGS, []);
    expect(lines.map((l) => [l.netOre, l.vatRatePercent, l.vatOre, l.totalOre])).toEqual([
      [100_000, 0, 0, 100_000],
      [8_001, 25, 2_001, 10_002],
      [8_001, 25, 2_000, 10_001],
    ]);
    expect(lines.reduce((sum, l) => sum + l.totalOre, 0)).toBe(amountOre);
  });

  it('refuses lines that do not add up to the invoice', () => {
    expect(() => invoiceFromVisma({ ...VALID, amount: 1300, balance: 1300 }, SETTINGS, [])).toThrow(
      /lines do not add up to the amount/,
    );
  });
});

describe('shareOut', () => {
  it('splits by weight in whole øre, the remainders to the largest fractions', () => {
    expect(shareOut(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(shareOut(7, [2, 5])).toEqual([2, 5]);
    expect(shareOut(5, [0, 0])).toEqual([5, 0]);
  });
});
