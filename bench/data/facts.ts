/**
 * Requests as residents make them, for the policy scenario and the bench's past decisions: most
 * ask a week to a month before or around the due date for a few weeks more, on an ordinary
 * municipal bill, with a modest history; a few owe a lot, ask late, or have been in collection.
 */
import { addDays, type IsoDate } from '../../src/shared/calendar-date';
import { buildFacts, type FactInput } from '../../src/policy/engine/build-facts';
import type { DeferralFacts, InvoiceType } from '../../src/policy/engine/facts';
import type { Random } from './random';

const TYPES: readonly InvoiceType[] = [
  'VANN_AVLOP',
  'VANN_AVLOP',
  'VANN_AVLOP',
  'RENOVASJON',
  'RENOVASJON',
  'BARNEHAGE',
  'SFO',
  'EIENDOMSSKATT',
  'OTHER',
];

/** Typical amounts by kind, in øre. */
function amountFor(random: Random, type: InvoiceType): number {
  switch (type) {
    case 'VANN_AVLOP':
      return random.int(180_000, 520_000);
    case 'RENOVASJON':
      return random.int(190_000, 310_000);
    case 'BARNEHAGE':
      return random.int(150_000, 250_000);
    case 'SFO':
      return random.int(250_000, 380_000);
    case 'EIENDOMSSKATT':
      return random.int(450_000, 1_600_000);
    default:
      return random.int(40_000, 160_000);
  }
}

function datesBefore(random: Random, today: IsoDate, count: number, days: number): IsoDate[] {
  return Array.from({ length: count }, () => addDays(today, -random.int(1, days)));
}

export function realisticFactInput(random: Random, today: IsoDate): FactInput {
  const type = random.pick(TYPES);
  // Most ask before the due date; one in eight after it.
  const dueDate = addDays(today, random.chance(0.875) ? random.int(0, 40) : -random.int(1, 14));
  const requestedDays = random.chance(0.9) ? random.int(7, 30) : random.int(31, 60);
  const troubled = random.chance(0.1);
  const others = random.pick([0, 0, 0, 1, 1, 2, troubled ? 3 : 0]);
  return {
    today,
    requestedDueDate: addDays(dueDate, requestedDays),
    invoice: {
      amountOre: amountFor(random, type),
      type,
      status: troubled && random.chance(0.3) ? 'INKASSOVARSEL' : 'IKKE_BETALT',
      dueDate,
      inCollection: troubled && random.chance(0.1),
      alreadyDeferred: random.chance(0.06),
    },
    otherUnpaidInvoiceAmountsOre: Array.from({ length: others }, () =>
      amountFor(random, random.pick(TYPES)),
    ),
    deferralDates: datesBefore(
      random,
      today,
      random.pick([0, 0, 0, 1, 1, 2, troubled ? 4 : 0]),
      360,
    ),
    latePaymentDates: datesBefore(
      random,
      today,
      troubled ? random.int(1, 4) : random.pick([0, 0, 0, 1]),
      360,
    ),
    reminderDates: datesBefore(
      random,
      today,
      troubled ? random.int(1, 5) : random.pick([0, 0, 0, 0, 1]),
      360,
    ),
    collectionCaseDates: datesBefore(random, today, troubled ? random.int(0, 2) : 0, 720),
  };
}

export function realisticFacts(random: Random, today: IsoDate): DeferralFacts {
  return buildFacts(realisticFactInput(random, today));
}
