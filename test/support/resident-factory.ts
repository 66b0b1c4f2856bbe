import { parseNationalIdentityNumber } from '../../src/shared/national-identity-number';
import type { Invoice } from '../../src/finance/invoice.model';
import { todayInNorway, type IsoDate } from '../../src/shared/calendar-date';
import type { PaymentEvent } from '../../src/finance/payment-history.model';
import { invoiceFactory, type FactoryInvoice, type InvoiceOptions } from './invoice-factory';

/** One resident's invoices and payment events; fits `importIntoLedger` and the dev finance server. */
export interface ResidentLedger {
  /** Municipality slug, for the dev finance server. */
  municipality: string;
  pid: string;
  name: string;
  /** Newest first. */
  invoices: Invoice[];
  /** Oldest first. */
  paymentEvents: PaymentEvent[];
}

const W1 = [3, 7, 6, 1, 8, 9, 4, 5, 2];
const W2 = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
const check = (digits: number[], weights: number[]) =>
  (11 - (weights.reduce((sum, w, i) => sum + w * digits[i], 0) % 11)) % 11;

/**
 * The `n`th synthetic identity number (month + 80, as TestID issues them, so none is a real
 * person's). The same `n` always gives the same number; `syntheticPidRange` gives distinct ones.
 */
export function syntheticPid(n: number): string {
  // Birth dates differ for nearby n, so masked numbers (birth date + *****) tell residents apart.
  const day = 1 + (n % 28);
  const month = 81 + (Math.floor(n / 28) % 12);
  const year = 40 + (Math.floor(n / 336) % 60);
  const date = `${String(day).padStart(2, '0')}${month}${year}`;
  for (let step = 0; ; step++) {
    const individual = (Math.floor(n / 20_160) + step * 97) % 500;
    const base = `${date}${String(individual).padStart(3, '0')}`;
    const digits = [...base].map(Number);
    const first = check(digits, W1);
    const second = check([...digits, first], W2);
    const pid = `${base}${first}${second}`;
    if (first < 10 && second < 10 && parseNationalIdentityNumber(pid)) return pid;
  }
}

/** `count` different synthetic identity numbers starting at the `from`th. */
export function syntheticPidRange(count: number, from = 0): string[] {
  const seen = new Set<string>();
  for (let n = from; seen.size < count; n++) seen.add(syntheticPid(n));
  return [...seen];
}

export interface ResidentOptions {
  pid: string;
  name?: string;
  municipality?: string;
  /** Built invoices, or options for `invoiceFactory` (given the resident's name). */
  invoices: readonly (FactoryInvoice | InvoiceOptions)[];
}

/** A resident whose invoices and payment history tell one story, sorted as finance systems send them. */
export function residentWithHistory(options: ResidentOptions): ResidentLedger {
  const name = options.name ?? 'Test Testesen';
  const built = options.invoices.map((i) =>
    'invoice' in i ? i : invoiceFactory({ recipientName: name, ...i }),
  );
  return {
    municipality: options.municipality ?? 'testvik',
    pid: options.pid,
    name,
    invoices: built.map((b) => b.invoice).sort((x, y) => (x.invoiceDate < y.invoiceDate ? 1 : -1)),
    paymentEvents: built
      .flatMap((b) => b.paymentEvents)
      .sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0)),
  };
}

type Story = (today: IsoDate, id: () => InvoiceOptions) => InvoiceOptions[];

let storyInvoices = 0;

const water = (amountOre: number): InvoiceOptions => ({
  category: 'VANN_AVLOP',
  title: 'Vann og avløp, kvartal',
  lines: [
    { description: 'Vann, abonnementsgebyr', unit: 'kvartal', unitPriceOre: 98_750 },
    { description: 'Vann, forbruksgebyr', quantity: 40.5, unit: 'm³', unitPriceOre: amountOre },
  ],
});

/** The stories tests need, each a resident's invoices relative to today. */
export const STORIES = {
  /** Pays on time; one open invoice, not yet due, that the default policy approves at once. */
  openInvoicePayer: (today, id) => [
    { ...id(), ...water(1_968), today, issuedDay: -16, story: [] },
    { ...id(), ...water(2_100), today, issuedDay: -106, story: [{ type: 'PAYMENT', day: -79 }] },
    {
      ...id(),
      category: 'RENOVASJON',
      title: 'Renovasjon, halvår',
      today,
      issuedDay: -46,
      amountOre: 281_450,
      story: [{ type: 'PAYMENT', day: -18 }],
    },
    {
      ...id(),
      category: 'FEIING',
      title: 'Feiing og tilsyn',
      channel: 'PAPER_MAIL',
      today,
      issuedDay: -200,
      amountOre: 103_130,
      story: [{ type: 'PAYMENT', day: -171 }],
    },
  ],
  /**
   * An invoice already deferred once and one sent to debt collection (both are rejected), and
   * a bill paid late after a reminder.
   */
  collectionAndDeferral: (today, id) => [
    {
      ...id(),
      ...water(2_411),
      channel: 'PAPER_MAIL',
      today,
      issuedDay: -35,
      story: [{ type: 'DEFERRAL', day: -12, newDueDay: 25 }],
    },
    {
      ...id(),
      category: 'SFO',
      title: 'SFO, måned',
      paymentTermDays: 20,
      today,
      issuedDay: -130,
      lines: [
        { description: 'SFO-plass, 100 %', unit: 'mnd', unitPriceOre: 328_300 },
        { description: 'Matpenger', unit: 'mnd', unitPriceOre: 35_050 },
      ],
      story: [
        { type: 'REMINDER', day: -96 },
        { type: 'WARNING', day: -82 },
        { type: 'COLLECTION', day: -60 },
      ],
    },
    {
      ...id(),
      category: 'RENOVASJON',
      title: 'Renovasjon, halvår',
      channel: 'PAPER_MAIL',
      today,
      issuedDay: -220,
      amountOre: 281_450,
      story: [
        { type: 'REMINDER', day: -176 },
        { type: 'PAYMENT', day: -170 },
      ],
    },
  ],
  /** Property tax above the default policy's 10 000 kr (manual review), and an overdue water bill. */
  largePropertyTax: (today, id) => [
    {
      ...id(),
      category: 'EIENDOMSSKATT',
      title: 'Eiendomsskatt, termin',
      channel: 'DIGIPOST',
      kidAlgorithm: 'MOD11',
      today,
      issuedDay: -20,
      lines: [
        { description: 'Eiendomsskatt bolig, halvår', unit: 'termin', unitPriceOre: 1_012_550 },
        {
          description: 'Eiendomsskatt fritidsbolig, halvår',
          unit: 'termin',
          unitPriceOre: 315_025,
        },
      ],
      story: [],
    },
    { ...id(), ...water(1_500), channel: 'DIGIPOST', today, issuedDay: -38, story: [] },
    {
      ...id(),
      category: 'FEIING',
      title: 'Feiing og tilsyn',
      today,
      issuedDay: -190,
      amountOre: 103_130,
      story: [{ type: 'PAYMENT', day: -165 }],
    },
  ],
  /** One open water bill not yet due, one bill paid on time. */
  plainPayer: (today, id) => [
    { ...id(), ...water(1_800), today, issuedDay: -16, story: [] },
    {
      ...id(),
      category: 'RENOVASJON',
      title: 'Renovasjon, halvår',
      today,
      issuedDay: -60,
      amountOre: 281_450,
      story: [{ type: 'PAYMENT', day: -33 }],
    },
  ],
} satisfies Record<string, Story>;

export type StoryName = keyof typeof STORIES;

export interface StoryOptions {
  today?: IsoDate;
  name?: string;
  municipality?: string;
  /** Prefixes invoice ids and numbers, which must be unique across one database. */
  prefix?: string;
}

/** A resident living one of the `STORIES`. */
export function residentWithStory(
  pid: string,
  story: StoryName,
  options: StoryOptions = {},
): ResidentLedger {
  const today = options.today ?? todayInNorway();
  const prefix = options.prefix ?? `t${Math.random().toString(36).slice(2, 8)}`;
  // Opaque ids, never derived from the identity number (they appear in URLs and logs).
  const id = (): InvoiceOptions => {
    const n = ++storyInvoices;
    return { id: `${prefix}-${n}`, invoiceNumber: `${prefix}-${String(n).padStart(6, '0')}` };
  };
  return residentWithHistory({
    pid,
    name: options.name,
    municipality: options.municipality,
    invoices: STORIES[story](today, id),
  });
}
