/**
 * Fictional members of staff the embedded test login offers to the staff client. Each carries the
 * claim values a municipality's provider would send: `roles` (app roles, or Keycloak roles) and
 * `groups` (Entra ID group object ids). `DEMO_STAFF_ROLE_MAP` maps the `roles` values to the demo
 * municipalities; tests map them (or the `groups` values) to their own municipalities.
 */
export type DemoStaffPersona =
  'officer' | 'approver' | 'auditor' | 'operator' | 'dual' | 'asdal-approver' | 'unmapped';

export interface DemoStaffMember {
  persona: DemoStaffPersona;
  /** The ID token's `sub`: fixed, so audit entries name the same person across restarts. */
  subject: string;
  name: string;
  roles: readonly string[];
  groups: readonly string[];
  /** What the demo shows with this person; helps a tester pick. */
  scenario: string;
}

export const DEMO_STAFF: readonly DemoStaffMember[] = [
  {
    persona: 'officer',
    subject: 'demo-officer-siri',
    name: 'Siri Saksbehandler',
    roles: ['fin-fjordvik'],
    groups: ['6a1f0c52-4d1e-4c1b-9a55-0f1e2d3c4b01'],
    scenario: 'Finance officer in Fjordvik: sees and drafts the policy',
  },
  {
    persona: 'approver',
    subject: 'demo-approver-arne',
    name: 'Arne Godkjenner',
    roles: ['approver-fjordvik'],
    groups: ['6a1f0c52-4d1e-4c1b-9a55-0f1e2d3c4b02'],
    scenario: "Policy approver in Fjordvik: approves or returns others' drafts",
  },
  {
    persona: 'auditor',
    subject: 'demo-auditor-runa',
    name: 'Runa Revisor',
    roles: ['audit-fjordvik'],
    groups: ['6a1f0c52-4d1e-4c1b-9a55-0f1e2d3c4b03'],
    scenario: 'Auditor in Fjordvik',
  },
  {
    persona: 'operator',
    subject: 'demo-operator-ola',
    name: 'Ola Drift',
    roles: ['ops-fjordvik'],
    groups: ['6a1f0c52-4d1e-4c1b-9a55-0f1e2d3c4b07'],
    scenario:
      "Operator in Fjordvik: the finance system's and the decision letters' settings, each with a test, and the retention period",
  },
  {
    persona: 'dual',
    subject: 'demo-officer-ikt-dag',
    name: 'Dag Interkommunal',
    roles: ['fin-ikt-samarbeid'],
    groups: ['6a1f0c52-4d1e-4c1b-9a55-0f1e2d3c4b04'],
    scenario:
      'Finance officer of the IT cooperation, in Fjordvik and Åsdal: logs in on each host (asdal.localhost for Åsdal)',
  },
  {
    persona: 'asdal-approver',
    subject: 'demo-approver-asdal-aud',
    name: 'Aud Åsdal',
    roles: ['approver-asdal'],
    groups: ['6a1f0c52-4d1e-4c1b-9a55-0f1e2d3c4b05'],
    scenario: 'Policy approver in Åsdal (log in on asdal.localhost)',
  },
  {
    persona: 'unmapped',
    subject: 'demo-no-role-nils',
    name: 'Nils Utenrolle',
    roles: ['some-other-app'],
    groups: ['6a1f0c52-4d1e-4c1b-9a55-0f1e2d3c4b06'],
    scenario: 'A claim value the role map does not name: signed in, but no role anywhere (403)',
  },
];

/** The demo's `STAFF_ROLE_MAP`: the personas' `roles` values, per demo municipality. */
export const DEMO_STAFF_ROLE_MAP: Record<string, string[]> = {
  'fin-fjordvik': ['fjordvik:finance-officer'],
  'approver-fjordvik': ['fjordvik:policy-approver'],
  'audit-fjordvik': ['fjordvik:auditor'],
  'ops-fjordvik': ['fjordvik:operator'],
  'fin-ikt-samarbeid': ['fjordvik:finance-officer', 'asdal:finance-officer'],
  'approver-asdal': ['asdal:policy-approver'],
};
