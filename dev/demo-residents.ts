/**
 * Fictional residents with synthetic national identity numbers (month + 80, valid check digits, as
 * Skatteetaten's and TestID's synthetic numbers are), so they can never belong to a real person.
 * The embedded test login offers them (on the login page of the municipality each lives in), and
 * the demo invoices belong to them.
 */

/**
 * What asking for more time on one of a resident's unpaid invoices can end in: the form refusing
 * up front (debt collection, deferred before, too late), or the policy's decision.
 */
export const DEMO_OUTCOMES = ['approved', 'rejected', 'manual_review', 'refused'] as const;
export type DemoOutcome = (typeof DEMO_OUTCOMES)[number];

export interface DemoResident {
  pid: string;
  name: string;
  email?: string;
  municipality: 'fjordvik' | 'asdal';
  /** What the demo shows with this person, in one line; helps a tester pick. */
  scenario: string;
  /** The outcomes their unpaid invoices lead to; a test holds the demo data and policies to it. */
  shows: readonly DemoOutcome[];
}

export const DEMO_RESIDENTS: readonly DemoResident[] = [
  {
    pid: '12838512311',
    name: 'Kari Nordmann',
    email: 'kari.nordmann@example.org',
    municipality: 'fjordvik',
    scenario: 'Approved at once: pays on time; an open water and sewage bill',
    shows: ['approved'],
  },
  {
    pid: '03879245612',
    name: 'Ola Bakken',
    email: 'ola.bakken@example.org',
    municipality: 'fjordvik',
    scenario:
      'Rejected by the policy: an open chimney bill, as he has had a claim at debt collection; two bills refused up front',
    shows: ['rejected', 'refused'],
  },
  {
    pid: '24915822289',
    name: 'Ingrid Solberg',
    municipality: 'fjordvik',
    scenario: 'Manual review: property tax above 10 000 kr; an overdue water bill asked about late',
    shows: ['manual_review'],
  },
  {
    pid: '07847611191',
    name: 'Per Haugen',
    email: 'per.haugen@example.org',
    municipality: 'asdal',
    scenario:
      "Manual review: Åsdal's own limit (1 500 kr) sends his kindergarten bill to an officer; a bill with a debt collection warning is refused up front",
    shows: ['manual_review', 'refused'],
  },
];

/**
 * A valid synthetic number nobody in the demo has (1 January 1980): typed on the test login, it
 * logs in a resident the finance system has no invoices for.
 */
export const DEMO_EXAMPLE_PID = '01818012337';
