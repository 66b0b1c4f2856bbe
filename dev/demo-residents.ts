/**
 * Fictional residents with synthetic national identity numbers (month + 80, valid check digits, as
 * Skatteetaten's and TestID's synthetic numbers are), so they can never belong to a real person.
 * The embedded test login offers them, and the demo invoices belong to them.
 */
export interface DemoResident {
  pid: string;
  name: string;
  email?: string;
  municipality: 'fjordvik' | 'asdal';
  /** What the demo shows with this person; helps a tester pick. */
  scenario: string;
}

export const DEMO_RESIDENTS: readonly DemoResident[] = [
  {
    pid: '12838512311',
    name: 'Kari Nordmann',
    email: 'kari.nordmann@example.org',
    municipality: 'fjordvik',
    scenario: 'Pays on time; an open water and sewage invoice can be deferred at once',
  },
  {
    pid: '03879245612',
    name: 'Ola Bakken',
    email: 'ola.bakken@example.org',
    municipality: 'fjordvik',
    scenario: 'One invoice in debt collection and one already deferred: requests are rejected',
  },
  {
    pid: '24915822289',
    name: 'Ingrid Solberg',
    municipality: 'fjordvik',
    scenario: 'Property tax above 10 000 kr: the request goes to manual review',
  },
  {
    pid: '07847611191',
    name: 'Per Haugen',
    email: 'per.haugen@example.org',
    municipality: 'asdal',
    scenario:
      'Resident of Åsdal, whose own policy sends bills of 1 500 kr or more (his kindergarten bill) to manual review',
  },
];
