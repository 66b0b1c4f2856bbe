import { generateDemoInvoices } from '../../dev/finance-server/demo-invoices';
import { checkInvoice } from './invoice-consistency';
import type { Invoice } from './invoice.model';

const [kari] = generateDemoInvoices({ today: '2026-03-10' });
const OPEN: Invoice = kari.invoices.find((i) => i.status === 'UNPAID')!;
const IN_COLLECTION: Invoice = {
  ...OPEN,
  status: 'SENT_TO_DEBT_COLLECTION',
  sentToExternal: true,
  canBePaid: false,
  collectionAgency: {
    name: 'Fjellinkasso AS',
    phone: '+47 22 00 00 00',
    url: 'https://fjellinkasso.example',
  },
};

describe(checkInvoice, () => {
  it('accepts an invoice in collection with its agency named, and one with none known', () => {
    expect(checkInvoice(IN_COLLECTION)).toBeUndefined();
    expect(checkInvoice({ ...IN_COLLECTION, collectionAgency: null })).toBeUndefined();
    expect(
      checkInvoice({
        ...IN_COLLECTION,
        collectionAgency: { name: 'Lindorff', phone: null, url: null },
      }),
    ).toBeUndefined();
  });

  it.each([
    ['an empty name', { name: '  ', phone: null, url: null }, 'collection agency without a name'],
    [
      'a name with a control character',
      { name: 'Fjellinkasso\u0000', phone: null, url: null },
      'collection agency name with control characters',
    ],
    [
      'a name longer than 100 characters',
      { name: 'K'.repeat(101), phone: null, url: null },
      'collection agency name longer than 100 characters',
    ],
    [
      'a phone number with letters',
      { name: 'Fjellinkasso AS', phone: 'ring oss', url: null },
      'collection agency phone number is not a phone number',
    ],
    [
      'an address that is not https',
      { name: 'Fjellinkasso AS', phone: null, url: 'javascript:alert(1)' },
      'collection agency address is not an https address',
    ],
    [
      'an address with a user name in it',
      { name: 'Fjellinkasso AS', phone: null, url: 'https://user:pw@fjellinkasso.example' },
      'collection agency address is not an https address',
    ],
    [
      'an address that does not parse',
      { name: 'Fjellinkasso AS', phone: null, url: 'https://' },
      'collection agency address is not an https address',
    ],
  ])('refuses a collection agency with %s, saying what is wrong', (_what, agency, problem) => {
    expect(checkInvoice({ ...IN_COLLECTION, collectionAgency: agency })).toBe(problem);
  });

  it('refuses a collection agency that is not an object with a name', () => {
    const broken = { ...IN_COLLECTION, collectionAgency: 'Fjellinkasso AS' } as unknown as Invoice;
    expect(checkInvoice(broken)).toBe('collection agency without a name');
  });
});
