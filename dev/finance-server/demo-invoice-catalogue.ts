import { addDays, type IsoDate } from '../../src/shared/calendar-date';
import type { InvoiceSpec, PayeeAccount } from './demo-invoice-builder';

/* The demo municipalities' accounts and price lists (fictional, at realistic 2026 levels). */

export const ACCOUNTS: Record<string, { main: PayeeAccount; propertyTax: PayeeAccount }> = {
  fjordvik: {
    main: { payee: 'Fjordvik kommune', accountNumber: '15032412995', kidAlgorithm: 'MOD10' },
    propertyTax: {
      payee: 'Fjordvik kommune, eiendomsskatt',
      accountNumber: '15068810121',
      kidAlgorithm: 'MOD11',
    },
  },
  asdal: {
    main: { payee: 'Åsdal kommune', accountNumber: '22801710569', kidAlgorithm: 'MOD11' },
    propertyTax: { payee: 'Åsdal kommune', accountNumber: '22801710569', kidAlgorithm: 'MOD11' },
  },
};

const MONTHS = [
  'januar',
  'februar',
  'mars',
  'april',
  'mai',
  'juni',
  'juli',
  'august',
  'september',
  'oktober',
  'november',
  'desember',
];

export type Accounts = (typeof ACCOUNTS)[string];
/** Norwegian names of the month and quarter `day` days from today, for invoice titles. */
export interface Period {
  month: (day: number) => string;
  quarter: (day: number) => string;
  /** Property tax is billed in two terms a year. */
  term: (day: number) => string;
}

export const water = (
  a: Accounts,
  p: Period,
  invoiceDay: number,
  m3: number,
): Omit<InvoiceSpec, 'story'> => ({
  category: 'VANN_AVLOP',
  title: `Vann og avløp, ${p.quarter(invoiceDay)}`,
  invoiceDay,
  paymentTermDays: 30,
  channel: 'EFAKTURA',
  account: a.main,
  lines: [
    { description: 'Vann, abonnementsgebyr', quantity: 1, unit: 'kvartal', unitPriceOre: 98_750 },
    { description: 'Vann, forbruksgebyr', quantity: m3, unit: 'm³', unitPriceOre: 1_968 },
    { description: 'Avløp, abonnementsgebyr', quantity: 1, unit: 'kvartal', unitPriceOre: 121_325 },
    { description: 'Avløp, forbruksgebyr', quantity: m3, unit: 'm³', unitPriceOre: 2_411 },
  ],
});

export const waste = (a: Accounts, invoiceDay: number): Omit<InvoiceSpec, 'story'> => ({
  category: 'RENOVASJON',
  title: 'Renovasjon, halvår',
  invoiceDay,
  paymentTermDays: 30,
  channel: 'EFAKTURA',
  account: a.main,
  lines: [
    {
      description: 'Renovasjon, standardabonnement 140 l',
      quantity: 1,
      unit: 'halvår',
      unitPriceOre: 231_450,
    },
    {
      description: 'Hageavfall, henteordning (frivillig tjeneste)',
      quantity: 4,
      unit: 'henting',
      unitPriceOre: 12_500,
      vatRatePercent: 25,
    },
  ],
});

export const chimney = (a: Accounts, invoiceDay: number): Omit<InvoiceSpec, 'story'> => ({
  category: 'FEIING',
  title: 'Feiing og tilsyn',
  invoiceDay,
  paymentTermDays: 30,
  channel: 'PAPER_MAIL',
  account: a.main,
  lines: [
    {
      description: 'Feiing og tilsyn, lovpålagt',
      quantity: 1,
      unit: 'pipeløp',
      unitPriceOre: 54_380,
    },
    {
      description: 'Ekstra feiing etter bestilling',
      quantity: 1,
      unit: 'stk',
      unitPriceOre: 39_000,
      vatRatePercent: 25,
    },
  ],
});

export const kindergarten = (
  a: Accounts,
  p: Period,
  invoiceDay: number,
): Omit<InvoiceSpec, 'story'> => ({
  category: 'BARNEHAGE',
  title: `Barnehage, ${p.month(invoiceDay)}`,
  invoiceDay,
  paymentTermDays: 20,
  channel: 'AVTALEGIRO',
  account: a.main,
  lines: [
    {
      description: 'Foreldrebetaling, 100 % plass',
      quantity: 1,
      unit: 'mnd',
      unitPriceOre: 200_000,
    },
    { description: 'Kostpenger', quantity: 1, unit: 'mnd', unitPriceOre: 42_550 },
  ],
});

export const afterSchool = (
  a: Accounts,
  p: Period,
  invoiceDay: number,
): Omit<InvoiceSpec, 'story'> => ({
  category: 'SFO',
  title: `SFO, ${p.month(invoiceDay)}`,
  invoiceDay,
  paymentTermDays: 20,
  channel: 'PAPER_MAIL',
  account: a.main,
  lines: [
    { description: 'SFO-plass, 100 %', quantity: 1, unit: 'mnd', unitPriceOre: 328_300 },
    { description: 'Matpenger', quantity: 1, unit: 'mnd', unitPriceOre: 35_050 },
  ],
});

export const propertyTax = (
  a: Accounts,
  p: Period,
  invoiceDay: number,
): Omit<InvoiceSpec, 'story'> => ({
  category: 'EIENDOMSSKATT',
  title: `Eiendomsskatt, ${p.term(invoiceDay)}`,
  invoiceDay,
  paymentTermDays: 30,
  channel: 'DIGIPOST',
  account: a.propertyTax,
  lines: [
    {
      description: 'Eiendomsskatt bolig, gnr. 12 bnr. 45, halvår',
      quantity: 1,
      unit: 'termin',
      unitPriceOre: 1_012_550,
    },
    {
      description: 'Eiendomsskatt fritidsbolig, gnr. 30 bnr. 7, halvår',
      quantity: 1,
      unit: 'termin',
      unitPriceOre: 315_025,
    },
  ],
});

export function periodFrom(today: IsoDate): Period {
  const monthOf = (day: number) => Number(addDays(today, day).slice(5, 7));
  const yearOf = (day: number) => addDays(today, day).slice(0, 4);
  return {
    month: (day) => `${MONTHS[monthOf(day) - 1]} ${yearOf(day)}`,
    // Billed in arrears: an invoice in a quarter's first month is for the quarter before.
    quarter: (day) => {
      const billed = addDays(today, day - 31);
      return `${Math.ceil(Number(billed.slice(5, 7)) / 3)}. kvartal ${billed.slice(0, 4)}`;
    },
    term: (day) => `${monthOf(day) <= 6 ? 1 : 2}. termin ${yearOf(day)}`,
  };
}
