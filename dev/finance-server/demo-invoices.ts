import { DEMO_RESIDENTS, type DemoResident } from '../demo-residents';
import type { Invoice } from '../../src/finance/invoice.model';
import { todayInNorway, type IsoDate } from '../../src/shared/calendar-date';
import type { PaymentEvent } from '../../src/finance/payment-history.model';
import { buildInvoice, type BuildContext, type InvoiceSpec } from './demo-invoice-builder';
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
} from './demo-invoice-catalogue';

/** One resident's invoices and payment events in one municipality's finance system. */
export interface DemoLedgerEntry {
  /** Municipality slug. */
  municipality: string;
  pid: string;
  name: string;
  /** Newest first. */
  invoices: Invoice[];
  /** Oldest first. */
  paymentEvents: PaymentEvent[];
}

export interface DemoInvoiceOptions {
  /** The date the story is told relative to; defaults to today in Norway. */
  today?: IsoDate;
  /** Defaults to DEMO_RESIDENTS; others get a plain "pays on time" story. */
  residents?: readonly Pick<DemoResident, 'pid' | 'name' | 'municipality'>[];
}

type Scenario = (accounts: Accounts, period: Period) => InvoiceSpec[];

/** The stories dev/demo-residents.ts promises, by pid. */
const SCENARIOS: Record<string, Scenario> = {
  // Kari Nordmann: pays on time; an open water and sewage invoice can be deferred at once.
  '12838512311': (a, p) => [
    { ...water(a, p, -16, 38.5), story: [] },
    { ...water(a, p, -106, 41.2), story: [{ type: 'PAYMENT', day: -79 }] },
    { ...waste(a, -46), story: [{ type: 'PAYMENT', day: -18 }] },
    { ...chimney(a, -200), story: [{ type: 'PAYMENT', day: -171 }] },
  ],
  // Ola Bakken: one invoice with a debt collection agency and one already deferred (both refused
  // up front), and an open chimney bill the form takes and the policy rejects for that collection.
  '03879245612': (a, p) => [
    {
      ...water(a, p, -35, 52.75),
      channel: 'PAPER_MAIL',
      story: [{ type: 'DEFERRAL', day: -12, newDueDay: 25 }],
    },
    {
      ...afterSchool(a, p, -130),
      story: [
        { type: 'REMINDER', day: -96 },
        { type: 'WARNING', day: -82 },
        {
          type: 'COLLECTION',
          day: -60,
          agency: { name: 'Fjellinkasso AS', phone: null, url: 'https://fjellinkasso.example' },
        },
      ],
    },
    {
      ...waste(a, -220),
      channel: 'PAPER_MAIL',
      story: [
        { type: 'REMINDER', day: -176 },
        { type: 'PAYMENT', day: -170 },
      ],
    },
    { ...chimney(a, -12), story: [] },
  ],
  // Ingrid Solberg: property tax above 10 000 kr, plus an overdue water bill.
  '24915822289': (a, p) => [
    { ...propertyTax(a, p, -20), story: [] },
    { ...water(a, p, -38, 29.4), channel: 'DIGIPOST', story: [] },
    { ...chimney(a, -190), story: [{ type: 'PAYMENT', day: -165 }] },
  ],
  // Per Haugen, Åsdal: AvtaleGiro kindergarten bills, and chimney sweeping heading for collection.
  '07847611191': (a, p) => [
    { ...kindergarten(a, p, -15), story: [] },
    { ...kindergarten(a, p, -45), story: [{ type: 'PAYMENT', day: -25 }] },
    {
      ...chimney(a, -75),
      story: [
        { type: 'REMINDER', day: -31 },
        { type: 'WARNING', day: -10 },
      ],
    },
    { ...afterSchool(a, p, -300), story: [{ type: 'PAYMENT', day: -281 }] },
  ],
};

const DEFAULT_SCENARIO: Scenario = (a, p) => [
  { ...water(a, p, -16, 33.3), story: [] },
  { ...waste(a, -60), story: [{ type: 'PAYMENT', day: -33 }] },
];

/**
 * Realistic municipal invoices for the demo residents, relative to `today`: deterministic for a
 * given date (same numbers, KIDs and amounts), so the finance server and the embedded ledger tell
 * the same story. Amounts are øre; KIDs and account numbers carry valid check digits.
 */
export function generateDemoInvoices(options: DemoInvoiceOptions = {}): DemoLedgerEntry[] {
  const today = options.today ?? todayInNorway();
  const residents = options.residents ?? DEMO_RESIDENTS;
  const period = periodFrom(today);
  const specs = residents.map((r) =>
    (SCENARIOS[r.pid] ?? DEFAULT_SCENARIO)(ACCOUNTS[r.municipality] ?? ACCOUNTS.fjordvik, period),
  );
  const sequences = numberInDateOrder(residents, specs);
  return residents.map((resident, index) => {
    const ctx: BuildContext = {
      today,
      municipality: resident.municipality,
      recipientName: resident.name,
      customerNumber: customerNumberOf(resident.pid),
    };
    const built = specs[index].map((spec, i) =>
      buildInvoice(ctx, spec, sequences.get(`${index}:${i}`)!),
    );
    return {
      municipality: resident.municipality,
      pid: resident.pid,
      name: resident.name,
      invoices: built
        .map((b) => b.invoice)
        .sort((x, y) => (x.invoiceDate < y.invoiceDate ? 1 : -1)),
      paymentEvents: built
        .flatMap((b) => b.paymentEvents)
        .sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0)),
    };
  });
}

/** Invoice numbers rise with the invoice date within each municipality, as a billing run's would. */
function numberInDateOrder(
  residents: NonNullable<DemoInvoiceOptions['residents']>,
  specs: InvoiceSpec[][],
): Map<string, number> {
  const order = specs.flatMap((list, r) =>
    list.map((spec, i) => ({
      key: `${r}:${i}`,
      municipality: residents[r].municipality,
      day: spec.invoiceDay,
    })),
  );
  order.sort((a, b) => a.day - b.day);
  const next = new Map<string, number>();
  const sequences = new Map<string, number>();
  for (const { key, municipality } of order) {
    const sequence = next.get(municipality) ?? 1001;
    next.set(municipality, sequence + 1);
    sequences.set(key, sequence);
  }
  return sequences;
}

/** A stable six-digit customer number per person (FNV-1a of the pid), so KIDs do not depend on list order. */
function customerNumberOf(pid: string): string {
  let hash = 0x811c9dc5;
  for (const char of pid) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return String(100_000 + (hash % 900_000));
}
