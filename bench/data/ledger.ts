/**
 * The bench's residents and their invoices, built with the demo's invoice builder (so every
 * invoice passes `checkInvoice`: lines add up, KIDs and account numbers carry check digits):
 * years of mostly paid bills, one to three open ones that can be deferred today, some overdue,
 * a few with a collection agency or already deferred.
 */
import type { DemoLedgerEntry } from '../../dev/finance-server/demo-invoices';
import {
  buildInvoice,
  type BuildContext,
  type InvoiceSpec,
  type StoryStep,
} from '../../dev/finance-server/demo-invoice-builder';
import {
  ACCOUNTS,
  afterSchool,
  chimney,
  kindergarten,
  periodFrom,
  propertyTax,
  waste,
  water,
  type Accounts,
  type Period,
} from '../../dev/finance-server/demo-invoice-catalogue';
import type { IsoDate } from '../../src/shared/calendar-date';
import { syntheticPids } from '../../dev/synthetic-pids';
import type { Random } from './random';

export interface BenchResident {
  pid: string;
  name: string;
}

const FIRST = [
  'Kari',
  'Ola',
  'Ingrid',
  'Per',
  'Nora',
  'Lars',
  'Emma',
  'Jonas',
  'Sofie',
  'Aksel',
  'Ida',
  'Magnus',
  'Maja',
  'Henrik',
  'Thea',
  'Sander',
  'Hanne',
  'Erik',
  'Solveig',
  'Nils',
];
const LAST = [
  'Nordmann',
  'Bakken',
  'Solberg',
  'Haugen',
  'Hansen',
  'Johansen',
  'Olsen',
  'Larsen',
  'Andersen',
  'Pedersen',
  'Nilsen',
  'Kristiansen',
  'Jensen',
  'Karlsen',
  'Berg',
  'Dahl',
  'Lie',
  'Moen',
  'Strand',
  'Eide',
];

/** Distinct synthetic residents (TestID-style identity numbers, see dev/synthetic-pids.ts). */
export function syntheticResidents(random: Random, count: number): BenchResident[] {
  return syntheticPids(count, () => random.next()).map((pid) => ({
    pid,
    name: `${random.pick(FIRST)} ${random.pick(LAST)}`,
  }));
}

type Kind = (a: Accounts, p: Period, day: number, random: Random) => Omit<InvoiceSpec, 'story'>;

const KINDS: readonly Kind[] = [
  (a, p, day, r) => water(a, p, day, r.int(200, 1500) / 10),
  (a, p, day, r) => water(a, p, day, r.int(200, 1500) / 10),
  (a, p, day, r) => water(a, p, day, r.int(200, 1500) / 10),
  (a, _p, day) => waste(a, day),
  (a, _p, day) => waste(a, day),
  (a, _p, day) => chimney(a, day),
  (a, p, day) => kindergarten(a, p, day),
  (a, p, day) => afterSchool(a, p, day),
];

/** A paid bill `day` days ago: usually on time, now and then late after a reminder. */
function paidStory(random: Random, spec: Omit<InvoiceSpec, 'story'>): StoryStep[] {
  const due = spec.invoiceDay + spec.paymentTermDays;
  if (random.chance(0.85)) return [{ type: 'PAYMENT', day: due - random.int(0, 12) }];
  return [
    { type: 'REMINDER', day: due + 14 },
    { type: 'PAYMENT', day: due + random.int(15, 30) },
  ];
}

export interface ResidentLedger extends DemoLedgerEntry {
  /** Ids of the open invoices the resident may ask about today (the form is offered). */
  openIds: string[];
  /** Ids of the paid invoices, for past requests. */
  paidIds: string[];
}

/**
 * `count` invoices for one resident in `slug`'s finance system. `sequence` numbers invoices across
 * the municipality (invoice numbers must be unique there).
 */
export function residentLedger(
  random: Random,
  resident: BenchResident,
  slug: string,
  today: IsoDate,
  count: number,
  sequence: { next: number },
  customerNumber: string,
): ResidentLedger {
  const accounts = ACCOUNTS.fjordvik;
  const period = periodFrom(today);
  const specs: { spec: InvoiceSpec; open: boolean }[] = [];
  const add = (spec: InvoiceSpec, open: boolean) => {
    if (specs.length < count) specs.push({ spec, open });
  };
  // Open bills that can be deferred today: due in 2 to 28 days.
  const open = random.pick([1, 1, 2, 2, 2, 3]);
  for (let i = 0; i < open; i++)
    add({ ...random.pick(KINDS)(accounts, period, -random.int(2, 28), random), story: [] }, true);
  // One in seven has one overdue by up to two weeks (the form is still offered; review decides).
  if (random.chance(0.15))
    add({ ...water(accounts, period, -random.int(31, 43), 55), story: [] }, true);
  // A few have a claim with a collection agency, or a bill deferred already.
  if (random.chance(0.04)) {
    const day = -random.int(100, 160);
    add(
      {
        ...afterSchool(accounts, period, day),
        story: [
          { type: 'REMINDER', day: day + 34 },
          { type: 'WARNING', day: day + 48 },
          {
            type: 'COLLECTION',
            day: day + 70,
            agency: { name: 'Fjellinkasso AS', phone: null, url: null },
          },
        ],
      },
      false,
    );
  }
  if (random.chance(0.04)) {
    const day = -random.int(20, 40);
    add(
      {
        ...waste(accounts, day),
        story: [{ type: 'DEFERRAL', day: day + 25, newDueDay: day + 30 + 21 }],
      },
      false,
    );
  }
  if (random.chance(0.05)) {
    const base = propertyTax(accounts, period, -random.int(200, 700));
    add({ ...base, story: paidStory(random, base) }, false);
  }
  // The rest: paid bills over the last three years.
  while (specs.length < count) {
    const base = random.pick(KINDS)(accounts, period, -random.int(40, 1080), random);
    specs.push({ spec: { ...base, story: paidStory(random, base) }, open: false });
  }

  const ctx: BuildContext = {
    today,
    municipality: slug,
    recipientName: resident.name,
    customerNumber,
  };
  const built = specs.map(({ spec, open }) => ({
    ...buildInvoice(ctx, spec, sequence.next++),
    open,
  }));
  built.sort((x, y) => (x.invoice.invoiceDate < y.invoice.invoiceDate ? 1 : -1));
  return {
    municipality: slug,
    pid: resident.pid,
    name: resident.name,
    invoices: built.map((b) => b.invoice),
    paymentEvents: built
      .flatMap((b) => b.paymentEvents)
      .sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0)),
    openIds: built.filter((b) => b.open).map((b) => b.invoice.id),
    paidIds: built.filter((b) => b.invoice.status === 'PAID').map((b) => b.invoice.id),
  };
}

/** The drain's finance-system ledger: one open bill per resident, due in about three weeks. */
export function drainEntry(
  resident: BenchResident,
  slug: string,
  today: IsoDate,
  sequence: { next: number },
  customerNumber: string,
): DemoLedgerEntry {
  const ctx: BuildContext = {
    today,
    municipality: slug,
    recipientName: resident.name,
    customerNumber,
  };
  const spec: InvoiceSpec = { ...waste(ACCOUNTS.fjordvik, -9), story: [] };
  const { invoice } = buildInvoice(ctx, spec, sequence.next++);
  return {
    municipality: slug,
    pid: resident.pid,
    name: resident.name,
    invoices: [invoice],
    paymentEvents: [],
  };
}
