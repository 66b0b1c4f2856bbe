import { todayInNorway } from '../../src/shared/calendar-date';
import { randomUUID } from 'node:crypto';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { VerificationRun } from '../../src/audit-review/verification/verification-run.entity';
import { AuditCheckpoints } from '../../src/audit/checkpoints/audit-checkpoints';
import { DeferralRequest } from '../../src/deferrals/deferral-request.entity';
import { PolicyDraftsService } from '../../src/policy/drafts/policy-drafts.service';
import { PolicyVersionsService } from '../../src/policy/versions/policy-versions.service';
import { maskNationalId } from '../../src/shared/national-identity-number';
import { formatOre } from '../../src/web/format';
import { WritebackJob } from '../../src/writeback/writeback-job.entity';
import { appRoutes, csrfProbeFor, installCsrfProbe } from '../support/app-routes';
import { CookieAgent } from '../support/cookie-agent';
import { type Answer, HostAgent } from '../support/host-agent';
import { INGRID, KARI, NAMES, seedLedgerFor } from '../support/ledger-fixtures';
import { loginAs } from '../support/resident-login';
import { startPortalWithStaff, type PortalWithStaff } from '../support/staff-app';
import { loginAsStaff } from '../support/staff-login';

/**
 * Who asks. Every row of the table below must say what each of them gets, so a new identity is a
 * compile error until every route has an answer for it.
 *
 * - anonymous: no session at all.
 * - resident: Ingrid, signed in to municipality A, asking for her own invoice and case.
 * - otherResident: Kari, signed in to municipality A, asking for Ingrid's invoice and case.
 * - otherMunicipalitySession: Ingrid's session from municipality A, sent with municipality B's
 *   host name (where Ingrid has invoices too): B must treat her as not signed in.
 * - financeOfficer, policyApprover, auditor: members of staff of A with that one role (the test
 *   provider's officer, approver and auditor, signed in on A's host with `loginAsStaff`).
 * - operator: Ola Drift, operator of A (the finance-system settings only), signed in on A's host.
 * - otherMunicipalityOfficer: the officer serving both municipalities, signed in on B's host, whose
 *   session is sent with A's host name: A must treat them as not signed in, roles there or not.
 *
 * A new identity goes into IDENTITIES (and how to sign one in into `signIn`); the compiler then
 * asks every row for its answer. On staff routes (under /saksbehandler) visitors and residents get
 * `staffSignedOut` (the resident session is never read there), staff without the route's role
 * `status(403)`; on residents' own pages staff get what a visitor gets (the staff session is
 * never read there), and a session of another municipality is signed out everywhere.
 *
 * The policy pages (/saksbehandler/regelverk) are for finance officers and policy approvers, some
 * of their forms for one of the two roles only; auditors have no access to them. A form the role
 * may send is sent so that it is harmless: what it writes is a draft (an audit entry, `audited`),
 * never a change to the policy in force; where the step is not possible for the fixture's draft,
 * the role's answer is the handler's own refusal (400 with the errors beside their fields, or 409),
 * which no identity without the role ever reaches.
 *
 * The auditor pages (/revisjon) are for auditors only, and only read (GET): the staff session is
 * read there as under /saksbehandler. Reviewing decisions is the auditor's work, so the auditor
 * may see Ingrid's case (her reference, her identity number masked) and the policy version that
 * decided it there (`mayShowResidentData`, `mayShowPolicy`); opening her decision is audited.
 */
const IDENTITIES = [
  'anonymous',
  'resident',
  'otherResident',
  'otherMunicipalitySession',
  'financeOfficer',
  'policyApprover',
  'auditor',
  'operator',
  'otherMunicipalityOfficer',
] as const;
type Identity = (typeof IDENTITIES)[number];

interface Fixture {
  hostA: string;
  hostB: string;
  issuer: string;
  /** Ingrid's property tax invoice in A (where her case is, in manual review) and in B. */
  invoiceA: string;
  invoiceB: string;
  reference: string;
  /** Ingrid's case (the deferral request's id), waiting for an officer of A. */
  caseId: string;
  /** A due date the policy offers for the invoice (the one the case asked for). */
  dueDate: string;
  /** What only Ingrid may see: never in a page answered to anyone else. */
  secrets: string[];
  /**
   * What Ingrid's own invoice page shows (invoice number, KID, amount; the list all but the
   * number): proof that the secrets are words the pages really use.
   */
  shownOnInvoice: string[];
  /** Municipality A's policy, seeded, and drafts of it made for the table (by `staff:fixture`). */
  policy: {
    versionId: string;
    hash: string;
    /** The version in force's text (every fixture draft holds it unchanged). */
    text: string;
    /** A draft as the version in force, never submitted: its pages, and the forms on it. */
    draftId: string;
    /** Another such draft, for the officer to discard. */
    discardId: string;
    /** A simulation job nobody started (a valid uuid v4). */
    unknownJobId: string;
  };
  /**
   * What only A's finance officers and policy approvers may see (draft and version ids, the
   * version's hash, words of the policy's own text): never in a page answered to anyone else.
   */
  policySecrets: string[];
  /** A finished verification of A's chain (sound), as an auditor's run leaves it. */
  verificationRunId: string;
}

type Expectation =
  /** 200, an HTML page; `shows` must be in it. */
  | { kind: 'page'; shows?: (f: Fixture) => string[] }
  /** 200, JSON. */
  | { kind: 'json' }
  /** 200, a download of this content type. */
  | { kind: 'file'; type: RegExp }
  | { kind: 'redirect'; status: 302 | 303; to: (f: Fixture, url: string) => string | RegExp }
  /** As for a visitor: a page asks to log in (303 to /auth/login), JSON and forms get 401. */
  | { kind: 'signedOut' }
  /** The same on a staff route: a page goes to the staff login, JSON and forms get 401. */
  | { kind: 'staffSignedOut' }
  | { kind: 'notFound' }
  | { kind: 'status'; status: number };

const page = (shows?: (f: Fixture) => string[]): Expectation => ({ kind: 'page', shows });
const json: Expectation = { kind: 'json' };
const file = (type: RegExp): Expectation => ({ kind: 'file', type });
const signedOut: Expectation = { kind: 'signedOut' };
const staffSignedOut: Expectation = { kind: 'staffSignedOut' };
const notFound: Expectation = { kind: 'notFound' };
const status = (code: number): Expectation => ({ kind: 'status', status: code });
const redirect = (
  code: 302 | 303,
  to: (f: Fixture, url: string) => string | RegExp,
): Expectation => ({
  kind: 'redirect',
  status: code,
  to,
});

interface Row {
  /** Exactly as the app's router names the route: `METHOD /path/:param`. */
  route: string;
  /** The request each identity sends (path parameters filled in). */
  url: (f: Fixture, who: Identity) => string;
  form?: (f: Fixture) => Record<string, string>;
  expect: Record<Identity, Expectation>;
  /**
   * Identities whose answer appends one audit entry (a staff logout, a policy draft made or
   * changed); nothing else may write.
   */
  audited?: readonly Identity[];
  /**
   * Identities who may see Ingrid's data in the answer: A's finance officers on the case pages,
   * where handling her case is their work. Everyone else is checked for her secrets as ever.
   */
  mayShowResidentData?: readonly Identity[];
  /**
   * Identities who may see A's policy version (its id, hash and text) though they are neither
   * finance officer nor approver: the auditor, on the pages that review decisions made under it.
   */
  mayShowPolicy?: readonly Identity[];
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The test provider: ID-porten for residents, and the staff provider too. */
const toIdporten = (f: Fixture) => new RegExp(`^${escapeRegExp(f.issuer)}/`);
const STAFF: readonly Identity[] = ['financeOfficer', 'policyApprover', 'auditor', 'operator'];
/** Who may see municipality A's policy pages (each with a role the pages name). */
const POLICY_STAFF: readonly Identity[] = ['financeOfficer', 'policyApprover'];
const POLICY = '/saksbehandler/regelverk';
const WRITEBACKS = '/saksbehandler/tilbakeskriving';
const CASES = '/saksbehandler/saker';
const AUDIT = '/revisjon';
/** What an auditor page answers everyone but the auditor: the staff login, or 403 for other staff. */
const auditorOnly = (auditor: Expectation): Record<Identity, Expectation> => ({
  anonymous: staffSignedOut,
  resident: staffSignedOut,
  otherResident: staffSignedOut,
  otherMunicipalitySession: staffSignedOut,
  financeOfficer: status(403),
  policyApprover: status(403),
  auditor,
  operator: status(403),
  otherMunicipalityOfficer: staffSignedOut,
});
const UUID_V4 = '[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}';
/** A sentence of the policy's own description: only its JSON text (draft, version) holds it. */
const POLICY_WORDS = 'Grensene gjør det enkelt å hjelpe innbyggere som trenger litt mer tid';
const draftUrl = (f: Fixture) => `${POLICY}/utkast/${f.policy.draftId}`;
const versionUrl = (f: Fixture) => `${POLICY}/versjoner/${f.policy.versionId}`;
/** Where a newly made draft (created, imported, a rollback) is shown. */
const toNewDraft = () => new RegExp(`^${POLICY}/utkast/${UUID_V4}$`);
const ingridsInvoice = (f: Fixture, who: Identity) =>
  `/fakturaer/${who === 'otherMunicipalitySession' ? f.invoiceB : f.invoiceA}`;

/** Every route the portal serves, and what each identity gets from it. */
const TABLE: Row[] = [
  {
    route: 'GET /',
    url: () => '/',
    expect: {
      anonymous: page(),
      resident: page(),
      otherResident: page(),
      otherMunicipalitySession: page(),
      financeOfficer: page(),
      policyApprover: page(),
      auditor: page(),
      operator: page(),
      otherMunicipalityOfficer: page(),
    },
  },
  {
    route: 'GET /health/live',
    url: () => '/health/live',
    expect: {
      anonymous: json,
      resident: json,
      otherResident: json,
      otherMunicipalitySession: json,
      financeOfficer: json,
      policyApprover: json,
      auditor: json,
      operator: json,
      otherMunicipalityOfficer: json,
    },
  },
  {
    route: 'GET /health/ready',
    url: () => '/health/ready',
    expect: {
      anonymous: json,
      resident: json,
      otherResident: json,
      otherMunicipalitySession: json,
      financeOfficer: json,
      policyApprover: json,
      auditor: json,
      operator: json,
      otherMunicipalityOfficer: json,
    },
  },
  {
    // A municipality's stylesheet is public (its name is its content's hash); one not made is 404.
    route: 'GET /tema/:file',
    url: () => '/tema/0000000000000000.css',
    expect: {
      anonymous: notFound,
      resident: notFound,
      otherResident: notFound,
      otherMunicipalitySession: notFound,
      financeOfficer: notFound,
      policyApprover: notFound,
      auditor: notFound,
      operator: notFound,
      otherMunicipalityOfficer: notFound,
    },
  },
  {
    route: 'GET /language/:code',
    url: () => '/language/en?return=%2Ffakturaer',
    expect: {
      anonymous: redirect(303, () => '/fakturaer'),
      resident: redirect(303, () => '/fakturaer'),
      otherResident: redirect(303, () => '/fakturaer'),
      otherMunicipalitySession: redirect(303, () => '/fakturaer'),
      financeOfficer: redirect(303, () => '/fakturaer'),
      policyApprover: redirect(303, () => '/fakturaer'),
      auditor: redirect(303, () => '/fakturaer'),
      operator: redirect(303, () => '/fakturaer'),
      otherMunicipalityOfficer: redirect(303, () => '/fakturaer'),
    },
  },
  {
    route: 'GET /auth/login',
    url: () => '/auth/login',
    expect: {
      anonymous: redirect(302, toIdporten),
      resident: redirect(302, toIdporten),
      otherResident: redirect(302, toIdporten),
      otherMunicipalitySession: redirect(302, toIdporten),
      financeOfficer: redirect(302, toIdporten),
      policyApprover: redirect(302, toIdporten),
      auditor: redirect(302, toIdporten),
      operator: redirect(302, toIdporten),
      otherMunicipalityOfficer: redirect(302, toIdporten),
    },
  },
  {
    // No login in flight: the callback is refused, whoever sends it.
    route: 'GET /auth/callback',
    url: () => '/auth/callback?code=forged&state=forged',
    expect: {
      anonymous: status(401),
      resident: status(401),
      otherResident: status(401),
      otherMunicipalitySession: status(401),
      financeOfficer: status(401),
      policyApprover: status(401),
      auditor: status(401),
      operator: status(401),
      otherMunicipalityOfficer: status(401),
    },
  },
  {
    route: 'GET /auth/logged-out',
    url: () => '/auth/logged-out',
    expect: {
      anonymous: page(),
      resident: page(),
      otherResident: page(),
      otherMunicipalitySession: page(),
      financeOfficer: page(),
      policyApprover: page(),
      auditor: page(),
      operator: page(),
      otherMunicipalityOfficer: page(),
    },
  },
  {
    // Without the staff provider's issuer and sid nothing is ended, whoever asks.
    route: 'GET /saksbehandler/frontchannel-logout',
    url: () => '/saksbehandler/frontchannel-logout?iss=https%3A%2F%2Fevil.example&sid=x',
    expect: {
      anonymous: status(400),
      resident: status(400),
      otherResident: status(400),
      otherMunicipalitySession: status(400),
      financeOfficer: status(400),
      policyApprover: status(400),
      auditor: status(400),
      operator: status(400),
      otherMunicipalityOfficer: status(400),
    },
  },
  {
    // Without a logout token signed by the staff provider for this client nothing is ended,
    // whoever posts (no CSRF token or login is asked: the token is the proof).
    route: 'POST /saksbehandler/backchannel-logout',
    url: () => '/saksbehandler/backchannel-logout',
    form: () => ({ logout_token: 'eyJhbGciOiJub25lIn0.eyJzaWQiOiJ4In0.' }),
    expect: {
      anonymous: status(400),
      resident: status(400),
      otherResident: status(400),
      otherMunicipalitySession: status(400),
      financeOfficer: status(400),
      policyApprover: status(400),
      auditor: status(400),
      operator: status(400),
      otherMunicipalityOfficer: status(400),
    },
  },
  {
    // Without ID-porten's issuer and sid nothing is ended, whoever asks.
    route: 'GET /auth/frontchannel-logout',
    url: () => '/auth/frontchannel-logout?iss=https%3A%2F%2Fevil.example&sid=x',
    expect: {
      anonymous: status(400),
      resident: status(400),
      otherResident: status(400),
      otherMunicipalitySession: status(400),
      financeOfficer: status(400),
      policyApprover: status(400),
      auditor: status(400),
      operator: status(400),
      otherMunicipalityOfficer: status(400),
    },
  },
  {
    route: 'POST /auth/logout',
    url: () => '/auth/logout',
    form: () => ({}),
    expect: {
      anonymous: signedOut,
      resident: redirect(303, toIdporten),
      otherResident: redirect(303, toIdporten),
      otherMunicipalitySession: signedOut,
      financeOfficer: signedOut,
      policyApprover: signedOut,
      auditor: signedOut,
      operator: signedOut,
      otherMunicipalityOfficer: signedOut,
    },
  },
  {
    route: 'GET /min-side',
    url: () => '/min-side',
    expect: {
      anonymous: signedOut,
      resident: page(() => [maskNationalId(INGRID)]),
      otherResident: page(() => [maskNationalId(KARI)]),
      otherMunicipalitySession: signedOut,
      financeOfficer: signedOut,
      policyApprover: signedOut,
      auditor: signedOut,
      operator: signedOut,
      otherMunicipalityOfficer: signedOut,
    },
  },
  {
    route: 'GET /fakturaer',
    url: () => '/fakturaer',
    expect: {
      anonymous: signedOut,
      resident: page((f) => f.shownOnInvoice.slice(1)),
      otherResident: page(),
      otherMunicipalitySession: signedOut,
      financeOfficer: signedOut,
      policyApprover: signedOut,
      auditor: signedOut,
      operator: signedOut,
      otherMunicipalityOfficer: signedOut,
    },
  },
  {
    route: 'GET /fakturaer/:invoiceId',
    url: ingridsInvoice,
    expect: {
      anonymous: signedOut,
      resident: page((f) => [...f.shownOnInvoice, f.reference]),
      otherResident: notFound,
      otherMunicipalitySession: signedOut,
      financeOfficer: signedOut,
      policyApprover: signedOut,
      auditor: signedOut,
      operator: signedOut,
      otherMunicipalityOfficer: signedOut,
    },
  },
  {
    route: 'POST /fakturaer/:invoiceId/utsettelse',
    url: (f, who) => `${ingridsInvoice(f, who)}/utsettelse`,
    form: (f) => ({ newDueDate: f.dueDate, email: '' }),
    expect: {
      anonymous: signedOut,
      // Her case for this due date exists: the same receipt again, no second decision.
      resident: redirect(303, (f) => new RegExp(`^/saker/${f.reference}\\?allerede=1(&|$)`)),
      otherResident: notFound,
      otherMunicipalitySession: signedOut,
      financeOfficer: signedOut,
      policyApprover: signedOut,
      auditor: signedOut,
      operator: signedOut,
      otherMunicipalityOfficer: signedOut,
    },
  },
  {
    route: 'GET /saker',
    url: () => '/saker',
    expect: {
      anonymous: signedOut,
      resident: page((f) => [f.reference]),
      otherResident: page(),
      otherMunicipalitySession: signedOut,
      financeOfficer: signedOut,
      policyApprover: signedOut,
      auditor: signedOut,
      operator: signedOut,
      otherMunicipalityOfficer: signedOut,
    },
  },
  {
    route: 'GET /saker/:reference',
    url: (f) => `/saker/${f.reference}`,
    expect: {
      anonymous: signedOut,
      resident: page((f) => [f.reference, f.shownOnInvoice[0]]),
      otherResident: notFound,
      otherMunicipalitySession: signedOut,
      financeOfficer: signedOut,
      policyApprover: signedOut,
      auditor: signedOut,
      operator: signedOut,
      otherMunicipalityOfficer: signedOut,
    },
  },
  {
    route: 'POST /saker/:reference/saksbehandler',
    url: (f) => `/saker/${f.reference}/saksbehandler`,
    form: () => ({ message: 'Jeg ber om at en saksbehandler ser på saken.' }),
    expect: {
      anonymous: signedOut,
      resident: redirect(303, (f) => `/saker/${f.reference}?sendt=1`),
      otherResident: notFound,
      otherMunicipalitySession: signedOut,
      financeOfficer: signedOut,
      policyApprover: signedOut,
      auditor: signedOut,
      operator: signedOut,
      otherMunicipalityOfficer: signedOut,
    },
  },
  {
    // Ingrid's case waits for an officer, not for her answer: her answer is refused (409) and
    // the page says so; nothing is stored.
    route: 'POST /saker/:reference/svar',
    url: (f) => `/saker/${f.reference}/svar`,
    form: () => ({ answer: 'Lønna kommer den 20.' }),
    expect: {
      anonymous: signedOut,
      resident: status(409),
      otherResident: notFound,
      otherMunicipalitySession: signedOut,
      financeOfficer: signedOut,
      policyApprover: signedOut,
      auditor: signedOut,
      operator: signedOut,
      otherMunicipalityOfficer: signedOut,
    },
  },
  {
    // Her proof that her decision is in the chain (the fixture signs a checkpoint covering it): a
    // file holding her decision's entry, which names the policy version that made it.
    route: 'GET /saker/:reference/bevis',
    url: (f) => `/saker/${f.reference}/bevis`,
    expect: {
      anonymous: signedOut,
      resident: file(/^application\/json/),
      otherResident: notFound,
      otherMunicipalitySession: signedOut,
      financeOfficer: signedOut,
      policyApprover: signedOut,
      auditor: signedOut,
      operator: signedOut,
      otherMunicipalityOfficer: signedOut,
    },
    mayShowPolicy: ['resident'],
  },
  {
    route: 'GET /saksbehandler',
    url: () => '/saksbehandler',
    expect: {
      anonymous: staffSignedOut,
      resident: staffSignedOut,
      otherResident: staffSignedOut,
      otherMunicipalitySession: staffSignedOut,
      financeOfficer: page(() => ['Siri Saksbehandler', 'Saksbehandler økonomi']),
      policyApprover: page(() => ['Arne Godkjenner', 'Godkjenner av regelverk']),
      auditor: page(() => ['Runa Revisor', 'Revisor']),
      operator: page(() => ['Ola Drift', 'Driftsansvarlig']),
      otherMunicipalityOfficer: staffSignedOut,
    },
  },
  {
    route: 'GET /saksbehandler/regelverk',
    url: () => POLICY,
    expect: {
      anonymous: staffSignedOut,
      resident: staffSignedOut,
      otherResident: staffSignedOut,
      otherMunicipalitySession: staffSignedOut,
      financeOfficer: page((f) => [f.policy.versionId, f.policy.draftId]),
      policyApprover: page((f) => [f.policy.versionId, f.policy.draftId]),
      auditor: status(403),
      operator: status(403),
      otherMunicipalityOfficer: staffSignedOut,
    },
  },
  {
    route: 'POST /saksbehandler/regelverk/utkast',
    url: () => `${POLICY}/utkast`,
    form: () => ({}),
    audited: ['financeOfficer'],
    expect: {
      anonymous: staffSignedOut,
      resident: staffSignedOut,
      otherResident: staffSignedOut,
      otherMunicipalitySession: staffSignedOut,
      // A new draft of the version in force: nothing reaches residents until approved.
      financeOfficer: redirect(303, toNewDraft),
      policyApprover: status(403),
      auditor: status(403),
      operator: status(403),
      otherMunicipalityOfficer: staffSignedOut,
    },
  },
  {
    route: 'POST /saksbehandler/regelverk/import',
    url: () => `${POLICY}/import`,
    form: (f) => ({ policy: f.policy.text }),
    audited: ['financeOfficer'],
    expect: {
      anonymous: staffSignedOut,
      resident: staffSignedOut,
      otherResident: staffSignedOut,
      otherMunicipalitySession: staffSignedOut,
      // The version in force, imported: a draft like any other.
      financeOfficer: redirect(303, toNewDraft),
      policyApprover: status(403),
      auditor: status(403),
      operator: status(403),
      otherMunicipalityOfficer: staffSignedOut,
    },
  },
  {
    route: 'GET /saksbehandler/regelverk/utkast/:id',
    url: draftUrl,
    expect: {
      anonymous: staffSignedOut,
      resident: staffSignedOut,
      otherResident: staffSignedOut,
      otherMunicipalitySession: staffSignedOut,
      financeOfficer: page(() => [POLICY_WORDS]),
      policyApprover: page(() => [POLICY_WORDS]),
      auditor: status(403),
      operator: status(403),
      otherMunicipalityOfficer: staffSignedOut,
    },
  },
  {
    route: 'POST /saksbehandler/regelverk/utkast/:id/json',
    url: (f) => `${draftUrl(f)}/json`,
    form: (f) => ({ policy: f.policy.text }),
    audited: ['financeOfficer'],
    expect: {
      anonymous: staffSignedOut,
      resident: staffSignedOut,
      otherResident: staffSignedOut,
      otherMunicipalitySession: staffSignedOut,
      // Saved again as it was.
      financeOfficer: redirect(303, (f) => `${draftUrl(f)}?lagret=1`),
      policyApprover: status(403),
      auditor: status(403),
      operator: status(403),
      otherMunicipalityOfficer: staffSignedOut,
    },
  },
  {
    route: 'POST /saksbehandler/regelverk/utkast/:id/parametere',
    url: (f) => `${draftUrl(f)}/parametere`,
    form: () => ({}),
    expect: {
      anonymous: staffSignedOut,
      resident: staffSignedOut,
      otherResident: staffSignedOut,
      otherMunicipalitySession: staffSignedOut,
      // A form with no values: each refused beside its field, nothing saved.
      financeOfficer: status(400),
      policyApprover: status(403),
      auditor: status(403),
      operator: status(403),
      otherMunicipalityOfficer: staffSignedOut,
    },
  },
  {
    route: 'POST /saksbehandler/regelverk/utkast/:id/send',
    url: (f) => `${draftUrl(f)}/send`,
    form: () => ({ comment: '' }),
    expect: {
      anonymous: staffSignedOut,
      resident: staffSignedOut,
      otherResident: staffSignedOut,
      otherMunicipalitySession: staffSignedOut,
      // The draft is the version in force: not submitted, the reason shown on the draft's page.
      financeOfficer: status(400),
      policyApprover: status(403),
      auditor: status(403),
      operator: status(403),
      otherMunicipalityOfficer: staffSignedOut,
    },
  },
  {
    route: 'POST /saksbehandler/regelverk/utkast/:id/godkjenn',
    url: (f) => `${draftUrl(f)}/godkjenn`,
    form: () => ({ comment: 'Godkjent' }),
    expect: {
      anonymous: staffSignedOut,
      resident: staffSignedOut,
      otherResident: staffSignedOut,
      otherMunicipalitySession: staffSignedOut,
      financeOfficer: status(403),
      // Never submitted, so not to be approved: the policy in force stays.
      policyApprover: status(409),
      auditor: status(403),
      operator: status(403),
      otherMunicipalityOfficer: staffSignedOut,
    },
  },
  {
    route: 'POST /saksbehandler/regelverk/utkast/:id/send-tilbake',
    url: (f) => `${draftUrl(f)}/send-tilbake`,
    form: () => ({ comment: 'Se på grensene igjen' }),
    expect: {
      anonymous: staffSignedOut,
      resident: staffSignedOut,
      otherResident: staffSignedOut,
      otherMunicipalitySession: staffSignedOut,
      financeOfficer: status(403),
      // Never submitted, so there is nothing to send back.
      policyApprover: status(409),
      auditor: status(403),
      operator: status(403),
      otherMunicipalityOfficer: staffSignedOut,
    },
  },
  {
    route: 'POST /saksbehandler/regelverk/utkast/:id/forkast',
    url: (f) => `${POLICY}/utkast/${f.policy.discardId}/forkast`,
    form: () => ({}),
    audited: ['financeOfficer'],
    expect: {
      anonymous: staffSignedOut,
      resident: staffSignedOut,
      otherResident: staffSignedOut,
      otherMunicipalitySession: staffSignedOut,
      // The fixture's second draft, made to be discarded (it stays on record).
      financeOfficer: redirect(303, () => POLICY),
      policyApprover: status(403),
      auditor: status(403),
      operator: status(403),
      otherMunicipalityOfficer: staffSignedOut,
    },
  },
  {
    route: 'GET /saksbehandler/regelverk/versjoner/:id',
    url: versionUrl,
    expect: {
      anonymous: staffSignedOut,
      resident: staffSignedOut,
      otherResident: staffSignedOut,
      otherMunicipalitySession: staffSignedOut,
      financeOfficer: page((f) => [f.policy.hash, POLICY_WORDS]),
      policyApprover: page((f) => [f.policy.hash, POLICY_WORDS]),
      auditor: status(403),
      operator: status(403),
      otherMunicipalityOfficer: staffSignedOut,
    },
  },
  {
    route: 'GET /saksbehandler/regelverk/versjoner/:id/fil',
    url: (f) => `${versionUrl(f)}/fil`,
    expect: {
      anonymous: staffSignedOut,
      resident: staffSignedOut,
      otherResident: staffSignedOut,
      otherMunicipalitySession: staffSignedOut,
      financeOfficer: json,
      policyApprover: json,
      auditor: status(403),
      operator: status(403),
      otherMunicipalityOfficer: staffSignedOut,
    },
  },
  {
    route: 'POST /saksbehandler/regelverk/versjoner/:id/tilbakerulling',
    url: (f) => `${versionUrl(f)}/tilbakerulling`,
    form: () => ({}),
    audited: ['financeOfficer'],
    expect: {
      anonymous: staffSignedOut,
      resident: staffSignedOut,
      otherResident: staffSignedOut,
      otherMunicipalitySession: staffSignedOut,
      // A rollback is a draft: the version in force changes only when one is approved.
      financeOfficer: redirect(303, toNewDraft),
      policyApprover: status(403),
      auditor: status(403),
      operator: status(403),
      otherMunicipalityOfficer: staffSignedOut,
    },
  },
  {
    route: 'GET /saksbehandler/regelverk/utkast/:id/prov',
    url: (f) => `${draftUrl(f)}/prov`,
    expect: {
      anonymous: staffSignedOut,
      resident: staffSignedOut,
      otherResident: staffSignedOut,
      otherMunicipalitySession: staffSignedOut,
      financeOfficer: page((f) => [`${draftUrl(f)}/prov`]),
      policyApprover: page((f) => [`${draftUrl(f)}/prov`]),
      auditor: status(403),
      operator: status(403),
      otherMunicipalityOfficer: staffSignedOut,
    },
  },
  {
    route: 'POST /saksbehandler/regelverk/utkast/:id/simulering',
    url: (f) => `${draftUrl(f)}/simulering`,
    // A day with no requests: the simulation reads, and writes nothing.
    form: () => ({ from: '2000-01-01', to: '2000-01-01' }),
    expect: {
      anonymous: staffSignedOut,
      resident: staffSignedOut,
      otherResident: staffSignedOut,
      otherMunicipalitySession: staffSignedOut,
      financeOfficer: redirect(303, (f) => new RegExp(`^${draftUrl(f)}/simulering/${UUID_V4}$`)),
      policyApprover: redirect(303, (f) => new RegExp(`^${draftUrl(f)}/simulering/${UUID_V4}$`)),
      auditor: status(403),
      operator: status(403),
      otherMunicipalityOfficer: staffSignedOut,
    },
  },
  {
    route: 'GET /saksbehandler/regelverk/utkast/:id/simulering',
    url: (f) => `${draftUrl(f)}/simulering`,
    expect: {
      anonymous: staffSignedOut,
      resident: staffSignedOut,
      otherResident: staffSignedOut,
      otherMunicipalitySession: staffSignedOut,
      financeOfficer: page(),
      policyApprover: page(),
      auditor: status(403),
      operator: status(403),
      otherMunicipalityOfficer: staffSignedOut,
    },
  },
  {
    // A job nobody started: the role is told it is not found (and may start one).
    route: 'GET /saksbehandler/regelverk/utkast/:id/simulering/:jobId',
    url: (f) => `${draftUrl(f)}/simulering/${f.policy.unknownJobId}`,
    expect: {
      anonymous: staffSignedOut,
      resident: staffSignedOut,
      otherResident: staffSignedOut,
      otherMunicipalitySession: staffSignedOut,
      financeOfficer: notFound,
      policyApprover: notFound,
      auditor: status(403),
      operator: status(403),
      otherMunicipalityOfficer: staffSignedOut,
    },
  },
  // The case work (/saksbehandler/saker) is for finance officers only. The case page is Ingrid's
  // case (opening it is audited: who saw whose data); the forms name a case that does not exist,
  // so the officer's answer is 404 and nothing is written (the steps are tested in
  // officer-cases.e2e-spec.ts).
  {
    route: 'GET /saksbehandler/saker',
    url: () => CASES,
    expect: {
      anonymous: staffSignedOut,
      resident: staffSignedOut,
      otherResident: staffSignedOut,
      otherMunicipalitySession: staffSignedOut,
      financeOfficer: page((f) => [f.reference]),
      policyApprover: status(403),
      auditor: status(403),
      operator: status(403),
      otherMunicipalityOfficer: staffSignedOut,
    },
    mayShowResidentData: ['financeOfficer'],
  },
  {
    route: 'GET /saksbehandler/saker/:id',
    url: (f) => `${CASES}/${f.caseId}`,
    expect: {
      anonymous: staffSignedOut,
      resident: staffSignedOut,
      otherResident: staffSignedOut,
      otherMunicipalitySession: staffSignedOut,
      financeOfficer: page((f) => [f.reference, ...f.shownOnInvoice]),
      policyApprover: status(403),
      auditor: status(403),
      operator: status(403),
      otherMunicipalityOfficer: staffSignedOut,
    },
    audited: ['financeOfficer'],
    mayShowResidentData: ['financeOfficer'],
  },
  ...(
    [
      ['ta', {}],
      ['slipp', {}],
      ['innvilg', { dueDate: '2099-01-01' }],
      ['avslag', { reasonCode: 'own', reasonText: 'Ikke mulig.' }],
      ['sporsmal', { question: 'Når kommer lønna?' }],
    ] as const
  ).map(([step, form]): Row => ({
    route: `POST /saksbehandler/saker/:id/${step}`,
    url: (f) => `${CASES}/${f.policy.unknownJobId}/${step}`,
    form: () => ({ ...form }),
    expect: {
      anonymous: staffSignedOut,
      resident: staffSignedOut,
      otherResident: staffSignedOut,
      otherMunicipalitySession: staffSignedOut,
      financeOfficer: notFound,
      policyApprover: status(403),
      auditor: status(403),
      operator: status(403),
      otherMunicipalityOfficer: staffSignedOut,
    },
  })),
  // The overview (/saksbehandler/oversikt) is for finance officers and policy approvers: counts,
  // never a resident's data.
  ...(['', '.csv'] as const).map((suffix): Row => ({
    route: `GET /saksbehandler/oversikt${suffix}`,
    url: () => `/saksbehandler/oversikt${suffix}`,
    expect: {
      anonymous: staffSignedOut,
      resident: staffSignedOut,
      otherResident: staffSignedOut,
      otherMunicipalitySession: staffSignedOut,
      financeOfficer: suffix ? file(/^text\/csv/) : page(),
      policyApprover: suffix ? file(/^text\/csv/) : page(),
      auditor: status(403),
      operator: status(403),
      otherMunicipalityOfficer: staffSignedOut,
    },
  })),
  // Failed write-backs (/saksbehandler/tilbakeskriving) are for finance officers only. The forms
  // name a job that does not exist, so the officer's answer is 404 and nothing is written.
  {
    route: 'GET /saksbehandler/tilbakeskriving',
    url: () => WRITEBACKS,
    expect: {
      anonymous: staffSignedOut,
      resident: staffSignedOut,
      otherResident: staffSignedOut,
      otherMunicipalitySession: staffSignedOut,
      financeOfficer: page(),
      policyApprover: status(403),
      auditor: status(403),
      operator: status(403),
      otherMunicipalityOfficer: staffSignedOut,
    },
  },
  {
    route: 'POST /saksbehandler/tilbakeskriving/:jobId/prov-igjen',
    url: (f) => `${WRITEBACKS}/${f.policy.unknownJobId}/prov-igjen`,
    form: () => ({}),
    expect: {
      anonymous: staffSignedOut,
      resident: staffSignedOut,
      otherResident: staffSignedOut,
      otherMunicipalitySession: staffSignedOut,
      financeOfficer: notFound,
      policyApprover: status(403),
      auditor: status(403),
      operator: status(403),
      otherMunicipalityOfficer: staffSignedOut,
    },
  },
  // Hand-overs: marking a job that does not exist is 404 and writes nothing; a check of A's (no)
  // open hand-overs reads nothing and closes nothing, and answers with its (empty) result.
  {
    route: 'POST /saksbehandler/tilbakeskriving/:jobId/registrert',
    url: (f) => `${WRITEBACKS}/${f.policy.unknownJobId}/registrert`,
    form: () => ({}),
    expect: {
      anonymous: staffSignedOut,
      resident: staffSignedOut,
      otherResident: staffSignedOut,
      otherMunicipalitySession: staffSignedOut,
      financeOfficer: notFound,
      policyApprover: status(403),
      auditor: status(403),
      operator: status(403),
      otherMunicipalityOfficer: staffSignedOut,
    },
  },
  {
    route: 'POST /saksbehandler/tilbakeskriving/sjekk',
    url: () => `${WRITEBACKS}/sjekk`,
    form: () => ({}),
    expect: {
      anonymous: staffSignedOut,
      resident: staffSignedOut,
      otherResident: staffSignedOut,
      otherMunicipalitySession: staffSignedOut,
      financeOfficer: redirect(303, () => `${WRITEBACKS}?ok=checked&lest=0&lukket=0`),
      policyApprover: status(403),
      auditor: status(403),
      operator: status(403),
      otherMunicipalityOfficer: staffSignedOut,
    },
  },
  {
    route: 'POST /saksbehandler/tilbakeskriving/:jobId/lost-manuelt',
    url: (f) => `${WRITEBACKS}/${f.policy.unknownJobId}/lost-manuelt`,
    form: () => ({ note: 'Endret forfallsdato i økonomisystemet' }),
    expect: {
      anonymous: staffSignedOut,
      resident: staffSignedOut,
      otherResident: staffSignedOut,
      otherMunicipalitySession: staffSignedOut,
      financeOfficer: notFound,
      policyApprover: status(403),
      auditor: status(403),
      operator: status(403),
      otherMunicipalityOfficer: staffSignedOut,
    },
  },
  // The finance-system settings (/saksbehandler/drift/okonomisystem) are for operators only; none
  // of the table's identities is one, so nobody reaches the forms: nothing is written or read.
  {
    route: 'GET /saksbehandler/drift/okonomisystem',
    url: () => '/saksbehandler/drift/okonomisystem',
    expect: {
      anonymous: staffSignedOut,
      resident: staffSignedOut,
      otherResident: staffSignedOut,
      otherMunicipalitySession: staffSignedOut,
      financeOfficer: status(403),
      policyApprover: status(403),
      auditor: status(403),
      operator: page(() => ['Nordby kommune', 'Innebygd reskontro']),
      otherMunicipalityOfficer: staffSignedOut,
    },
  },
  {
    route: 'POST /saksbehandler/drift/okonomisystem/:slug',
    url: () => '/saksbehandler/drift/okonomisystem/nordby',
    form: () => ({ adapter: 'embedded', baseUrl: '', vendor: '' }),
    expect: {
      anonymous: staffSignedOut,
      resident: staffSignedOut,
      otherResident: staffSignedOut,
      otherMunicipalitySession: staffSignedOut,
      financeOfficer: status(403),
      policyApprover: status(403),
      auditor: status(403),
      operator: redirect(303, () => '/saksbehandler/drift/okonomisystem?lagret=nordby'),
      otherMunicipalityOfficer: staffSignedOut,
    },
    audited: ['operator'],
  },
  {
    route: 'POST /saksbehandler/drift/okonomisystem/:slug/test',
    url: () => '/saksbehandler/drift/okonomisystem/nordby/test',
    form: () => ({ pid: '01818012337', invoiceNumber: '' }),
    expect: {
      anonymous: staffSignedOut,
      resident: staffSignedOut,
      otherResident: staffSignedOut,
      otherMunicipalitySession: staffSignedOut,
      financeOfficer: status(403),
      policyApprover: status(403),
      auditor: status(403),
      operator: page(() => ['018180*****']),
      otherMunicipalityOfficer: staffSignedOut,
    },
    audited: ['operator'],
  },
  // The letter channel (/saksbehandler/drift/brev) is for operators only, as the finance page.
  {
    route: 'GET /saksbehandler/drift/brev',
    url: () => '/saksbehandler/drift/brev',
    expect: {
      anonymous: staffSignedOut,
      resident: staffSignedOut,
      otherResident: staffSignedOut,
      otherMunicipalitySession: staffSignedOut,
      financeOfficer: status(403),
      policyApprover: status(403),
      auditor: status(403),
      operator: page(() => ['Nordby kommune', 'Vedtaksbrev']),
      otherMunicipalityOfficer: staffSignedOut,
    },
  },
  {
    route: 'POST /saksbehandler/drift/brev/:slug',
    url: () => '/saksbehandler/drift/brev/nordby',
    form: () => ({ channel: 'email' }),
    expect: {
      anonymous: staffSignedOut,
      resident: staffSignedOut,
      otherResident: staffSignedOut,
      otherMunicipalitySession: staffSignedOut,
      financeOfficer: status(403),
      policyApprover: status(403),
      auditor: status(403),
      operator: redirect(303, () => '/saksbehandler/drift/brev?lagret=nordby'),
      otherMunicipalityOfficer: staffSignedOut,
    },
    audited: ['operator'],
  },
  {
    // Asks Maskinporten for a token (none here: e-mail is the channel); writes nothing.
    route: 'POST /saksbehandler/drift/brev/:slug/test',
    url: () => '/saksbehandler/drift/brev/nordby/test',
    form: () => ({}),
    expect: {
      anonymous: staffSignedOut,
      resident: staffSignedOut,
      otherResident: staffSignedOut,
      otherMunicipalitySession: staffSignedOut,
      financeOfficer: status(403),
      policyApprover: status(403),
      auditor: status(403),
      operator: page(() => ['Maskinporten ga ikke token']),
      otherMunicipalityOfficer: staffSignedOut,
    },
  },
  // The retention period (/saksbehandler/drift/oppbevaring) is for operators only, as the others.
  {
    route: 'GET /saksbehandler/drift/oppbevaring',
    url: () => '/saksbehandler/drift/oppbevaring',
    expect: {
      anonymous: staffSignedOut,
      resident: staffSignedOut,
      otherResident: staffSignedOut,
      otherMunicipalitySession: staffSignedOut,
      financeOfficer: status(403),
      policyApprover: status(403),
      auditor: status(403),
      operator: page(() => ['Nordby kommune', 'Oppbevaringstid for personopplysninger']),
      otherMunicipalityOfficer: staffSignedOut,
    },
  },
  {
    // Lengthens the period: nothing to confirm.
    route: 'POST /saksbehandler/drift/oppbevaring/:slug',
    url: () => '/saksbehandler/drift/oppbevaring/nordby',
    form: () => ({ years: '10' }),
    expect: {
      anonymous: staffSignedOut,
      resident: staffSignedOut,
      otherResident: staffSignedOut,
      otherMunicipalitySession: staffSignedOut,
      financeOfficer: status(403),
      policyApprover: status(403),
      auditor: status(403),
      operator: redirect(303, () => '/saksbehandler/drift/oppbevaring?lagret=nordby'),
      otherMunicipalityOfficer: staffSignedOut,
    },
    audited: ['operator'],
  },
  {
    route: 'GET /saksbehandler/logg-inn',
    url: () => '/saksbehandler/logg-inn',
    expect: {
      anonymous: redirect(302, toIdporten),
      resident: redirect(302, toIdporten),
      otherResident: redirect(302, toIdporten),
      otherMunicipalitySession: redirect(302, toIdporten),
      financeOfficer: redirect(302, toIdporten),
      policyApprover: redirect(302, toIdporten),
      auditor: redirect(302, toIdporten),
      operator: redirect(302, toIdporten),
      otherMunicipalityOfficer: redirect(302, toIdporten),
    },
  },
  {
    // No staff login in flight: the callback is refused, whoever sends it.
    route: 'GET /saksbehandler/logg-inn/callback',
    url: () => '/saksbehandler/logg-inn/callback?code=forged&state=forged',
    expect: {
      anonymous: status(401),
      resident: status(401),
      otherResident: status(401),
      otherMunicipalitySession: status(401),
      financeOfficer: status(401),
      policyApprover: status(401),
      auditor: status(401),
      operator: status(401),
      otherMunicipalityOfficer: status(401),
    },
  },
  {
    route: 'POST /saksbehandler/logg-ut',
    url: () => '/saksbehandler/logg-ut',
    form: () => ({}),
    audited: STAFF,
    expect: {
      anonymous: staffSignedOut,
      resident: staffSignedOut,
      otherResident: staffSignedOut,
      otherMunicipalitySession: staffSignedOut,
      financeOfficer: redirect(303, toIdporten),
      policyApprover: redirect(303, toIdporten),
      auditor: redirect(303, toIdporten),
      operator: redirect(303, toIdporten),
      otherMunicipalityOfficer: staffSignedOut,
    },
  },
  {
    route: 'GET /saksbehandler/logget-ut',
    url: () => '/saksbehandler/logget-ut',
    expect: {
      anonymous: page(),
      resident: page(),
      otherResident: page(),
      otherMunicipalitySession: page(),
      financeOfficer: page(),
      policyApprover: page(),
      auditor: page(),
      operator: page(),
      otherMunicipalityOfficer: page(),
    },
  },
  // The auditor pages (/revisjon): the search lists Ingrid's decision (masked); her decision's
  // page shows it and records the opening; its replay names the version's hash; the batch replay
  // without a period is its form only; the activity lists who opened her case (masked).
  {
    route: 'GET /revisjon',
    url: () => AUDIT,
    expect: auditorOnly(page((f) => [f.reference, maskNationalId(INGRID)])),
    mayShowResidentData: ['auditor'],
    mayShowPolicy: ['auditor'],
  },
  {
    route: 'GET /revisjon/beslutninger/:id',
    url: (f) => `${AUDIT}/beslutninger/${f.caseId}`,
    expect: auditorOnly(page((f) => [f.reference, maskNationalId(INGRID), f.policy.hash])),
    audited: ['auditor'],
    mayShowResidentData: ['auditor'],
    mayShowPolicy: ['auditor'],
  },
  {
    route: 'GET /revisjon/beslutninger/:id/etterprov',
    url: (f) => `${AUDIT}/beslutninger/${f.caseId}/etterprov`,
    expect: auditorOnly(page((f) => [f.reference, f.policy.hash, 'Samme resultat'])),
    mayShowResidentData: ['auditor'],
    mayShowPolicy: ['auditor'],
  },
  {
    route: 'GET /revisjon/etterprov',
    url: () => `${AUDIT}/etterprov`,
    expect: auditorOnly(page()),
  },
  {
    route: 'GET /revisjon/aktivitet',
    url: () => `${AUDIT}/aktivitet`,
    expect: auditorOnly(page()),
    mayShowResidentData: ['auditor'],
  },
  {
    // Every version of A's policy with its decisions; opening it is not recorded (no personal data).
    route: 'GET /revisjon/regelverk',
    url: () => `${AUDIT}/regelverk`,
    expect: auditorOnly(page((f) => [f.policy.versionId, f.policy.hash.slice(0, 12)])),
    mayShowPolicy: ['auditor'],
  },
  {
    // One version: its hash, and its text as sentences and JSON.
    route: 'GET /revisjon/regelverk/:id',
    url: (f) => `${AUDIT}/regelverk/${f.policy.versionId}`,
    expect: auditorOnly(page((f) => [f.policy.hash, POLICY_WORDS])),
    mayShowPolicy: ['auditor'],
  },
  {
    route: 'GET /revisjon/eksport',
    url: () => `${AUDIT}/eksport`,
    expect: auditorOnly(page(() => ['BEGIN PUBLIC KEY'])),
  },
  {
    // The chain's entries as they are (Ingrid's case reference in its decision's entry, the
    // version's hash); the download is itself recorded.
    route: 'GET /revisjon/eksport/fil',
    url: () => `${AUDIT}/eksport/fil?fra=${todayInNorway()}&til=${todayInNorway()}&format=jsonl`,
    expect: auditorOnly(file(/^application\/x-ndjson/)),
    audited: ['auditor'],
    mayShowResidentData: ['auditor'],
    mayShowPolicy: ['auditor'],
  },
  {
    // Signs A's chain head; a checkpoint is no audit entry (it would move the head it signs).
    route: 'POST /revisjon/eksport/kontrollpunkt',
    url: () => `${AUDIT}/eksport/kontrollpunkt`,
    form: () => ({}),
    expect: auditorOnly(redirect(303, () => `${AUDIT}/eksport?ok=kontrollpunkt`)),
  },
  {
    route: 'GET /revisjon/verifiser',
    url: () => `${AUDIT}/verifiser`,
    expect: auditorOnly(page(() => ['data-status="sound"'])),
  },
  {
    // A period that ends before it starts: refused beside the field (400), no run started. (A run
    // started records its verdict in the chain when it ends, after the answer: not in this table.)
    route: 'POST /revisjon/verifiser',
    url: () => `${AUDIT}/verifiser`,
    form: () => ({ fra: '2026-12-05', til: '2026-12-01' }),
    expect: auditorOnly(status(400)),
  },
  {
    route: 'GET /revisjon/verifiser/:runId',
    url: (f) => `${AUDIT}/verifiser/${f.verificationRunId}`,
    expect: auditorOnly(page(() => ['data-verdict="sound"'])),
  },
  {
    // The same proof file for the auditor (Ingrid's decision, the version that made it); taking it
    // out is recorded as an opening of her decision.
    route: 'GET /revisjon/beslutninger/:id/bevis',
    url: (f) => `${AUDIT}/beslutninger/${f.caseId}/bevis`,
    expect: auditorOnly(file(/^application\/json/)),
    audited: ['auditor'],
    mayShowResidentData: ['auditor'],
    mayShowPolicy: ['auditor'],
  },
  {
    route: 'GET /revisjon/bevis',
    url: () => `${AUDIT}/bevis`,
    expect: auditorOnly(page()),
  },
  {
    // No proof pasted: refused beside the field (400); checking writes nothing.
    route: 'POST /revisjon/bevis',
    url: () => `${AUDIT}/bevis`,
    form: () => ({ bevis: '' }),
    expect: auditorOnly(status(400)),
  },
];

describe('Access control, route by route (e2e)', () => {
  let env: PortalWithStaff;
  let f: Fixture;
  let served: string[];

  beforeAll(async () => {
    // No write-back worker: an approval's job would add audit entries while a later test counts them.
    // Municipalities A (127.0.0.1) and B (kommune-b.test) come with the portal: the staff role map
    // names them, and is checked at start.
    env = await startPortalWithStaff({
      RATE_LIMIT_PER_MINUTE: '100000',
      WRITEBACK_WORKER: 'off',
    });
    served = appRoutes(env.t.app);
    installCsrfProbe(env.t.app);
    const { a, b } = env;
    const versions = env.t.app.get(PolicyVersionsService);
    await versions.seedById(a.id);
    const ledgerA = await seedLedgerFor(env.t.em(), a);
    const ledgerB = await seedLedgerFor(env.t.em(), b);
    env.t.refreshTenants();

    const ingridA = ledgerA.find((e) => e.pid === INGRID)!.invoices;
    const ingridB = ledgerB.find((e) => e.pid === INGRID)!.invoices;
    const propertyTax = ingridA.find((i) => i.category === 'EIENDOMSSKATT')!;
    // Ingrid asks for more time on her property tax (manual review): her case to send to an officer.
    const ingrid = await loginAs(env.t.url, INGRID);
    const html = await (await ingrid.get(`/fakturaer/${propertyTax.id}`)).text();
    const dueDate = [...html.matchAll(/name="newDueDate"[^>]*value="(\d{4}-\d{2}-\d{2})"/g)][5][1];
    const asked = await ingrid.postForm(`/fakturaer/${propertyTax.id}/utsettelse`, {
      _csrf: CookieAgent.csrfToken(html),
      newDueDate: dueDate,
    });
    const reference = asked.headers.get('location')!.split('/').pop()!;
    const request = await env.t.em().findOneOrFail(DeferralRequest, { reference });
    expect(request.outcome).toBe('manual_review');
    // A signed checkpoint covers her decision: her proof can be downloaded.
    await env.t.app.get(AuditCheckpoints).checkpointNow(a.id);

    // A's policy in force, and two drafts of it that no finance officer of the table wrote.
    const active = (await versions.readActive(a.id))!;
    expect(active.text).toContain(POLICY_WORDS);
    const drafts = env.t.app.get(PolicyDraftsService);
    const draft = await drafts.createFromActive(a.id, { actor: 'staff:fixture' });
    const discardable = await drafts.createFromActive(a.id, { actor: 'staff:fixture' });
    const runs = env.t.em();
    const verification = runs.create(VerificationRun, {
      municipalityId: a.id,
      actor: 'staff:fixture',
      status: 'sound',
      checked: 1,
      total: 1,
      scope: { firstSeq: 1, lastSeq: 1, anchor: null, period: null, toHead: true },
      result: { verdict: 'sound', entries: 1, checkpoints: 0, latestCheckpoint: null },
      finishedAt: new Date(),
    });
    await runs.flush();

    f = {
      hostA: env.hostA,
      hostB: env.hostB,
      issuer: env.idporten.issuer,
      invoiceA: propertyTax.id,
      invoiceB: ingridB.find((i) => i.category === 'EIENDOMSSKATT')!.id,
      reference,
      caseId: request.id,
      dueDate,
      secrets: [
        NAMES[INGRID],
        INGRID,
        maskNationalId(INGRID),
        reference,
        formatOre(propertyTax.outstandingOre, 'nb'),
        ...[...ingridA, ...ingridB].flatMap((i) => [i.id, i.invoiceNumber, i.kid]),
      ],
      shownOnInvoice: [
        propertyTax.invoiceNumber,
        propertyTax.kid,
        formatOre(propertyTax.outstandingOre, 'nb'),
      ],
      policy: {
        versionId: active.versionId,
        hash: active.hash,
        text: active.text,
        draftId: draft.id,
        discardId: discardable.id,
        unknownJobId: randomUUID(),
      },
      policySecrets: [active.versionId, active.hash, draft.id, discardable.id, POLICY_WORDS],
      verificationRunId: verification.id,
    };
  });
  afterAll(() => env.close());

  it('has a row for every route the app serves, and a route for every row', () => {
    const rows = TABLE.map((r) => r.route);
    expect({ routesWithoutRow: served.filter((r) => !rows.includes(r)) }).toEqual({
      routesWithoutRow: [],
    });
    expect({ rowsWithoutRoute: rows.filter((r) => !served.includes(r)) }).toEqual({
      rowsWithoutRoute: [],
    });
    expect(new Set(rows).size).toBe(rows.length);
  });

  /** A fresh agent per test: logout rows end sessions, and no test leans on another's cookies. */
  async function signIn(who: Identity): Promise<HostAgent> {
    switch (who) {
      case 'anonymous':
        return new HostAgent(env.t.url, f.hostA);
      case 'resident':
        return HostAgent.from(await loginAs(env.t.url, INGRID), f.hostA);
      case 'otherResident':
        return HostAgent.from(await loginAs(env.t.url, KARI), f.hostA);
      case 'otherMunicipalitySession':
        return HostAgent.from(await loginAs(env.t.url, INGRID), f.hostB);
      case 'financeOfficer':
        return loginAsStaff(new HostAgent(env.t.url, f.hostA), 'officer');
      case 'policyApprover':
        return loginAsStaff(new HostAgent(env.t.url, f.hostA), 'approver');
      case 'auditor':
        return loginAsStaff(new HostAgent(env.t.url, f.hostA), 'auditor');
      case 'operator':
        return loginAsStaff(new HostAgent(env.t.url, f.hostA), 'operator');
      case 'otherMunicipalityOfficer': {
        const onB = await loginAsStaff(new HostAgent(env.t.url, f.hostB), 'dual');
        return new HostAgent(env.t.url, f.hostA, onB.cookies);
      }
    }
  }

  /** The identity's own CSRF token, made by the app for its session on the host it asks. */
  async function csrfTokenOf(agent: HostAgent, url: string): Promise<string> {
    const answer = await agent.get(csrfProbeFor(url), 'application/json');
    return (JSON.parse(answer.body) as { token: string }).token;
  }

  async function ask(agent: HostAgent, row: Row, who: Identity, accept: string): Promise<Answer> {
    const url = row.url(f, who);
    if (!row.form) return agent.get(url, accept);
    return agent.postForm(url, { _csrf: await csrfTokenOf(agent, url), ...row.form(f) }, accept);
  }

  const stored = async () => {
    const em = env.t.em();
    const ingridsCase = await em.findOneOrFail(DeferralRequest, { reference: f.reference });
    return {
      requests: await em.count(DeferralRequest, {}),
      jobs: await em.count(WritebackJob, {}),
      audit: await em.count(AuditEntry, {}),
      ingridsCase: { status: ingridsCase.status, officerMessage: ingridsCase.officerMessage },
    };
  };

  function expectNoSecrets(answer: Answer, url: string, secrets: string[]): void {
    const leaked = secrets.filter(
      (s) => !url.includes(s) && !url.includes(encodeURIComponent(s)) && answer.body.includes(s),
    );
    expect({ leaked }).toEqual({ leaked: [] });
  }

  function expectAnswer(
    answer: Answer,
    expected: Expectation,
    url: string,
    method: string,
    accept: string,
  ): void {
    const what = `${method} ${url} (${accept})`;
    const got = { what, status: answer.status, location: answer.location };
    switch (expected.kind) {
      case 'page':
        expect(got).toEqual({ what, status: 200, location: undefined });
        expect(answer.contentType).toMatch(/^text\/html/);
        for (const text of expected.shows?.(f) ?? []) expect(answer.body).toContain(text);
        return;
      case 'json':
        expect(got).toEqual({ what, status: 200, location: undefined });
        expect(answer.contentType).toMatch(/^application\/json/);
        return;
      case 'file':
        expect(got).toEqual({ what, status: 200, location: undefined });
        expect(answer.contentType).toMatch(expected.type);
        return;
      case 'redirect': {
        const to = expected.to(f, url);
        expect(got).toEqual({
          what,
          status: expected.status,
          location: typeof to === 'string' ? to : expect.stringMatching(to),
        });
        return;
      }
      case 'signedOut':
      case 'staffSignedOut':
        if (method === 'GET' && accept === 'text/html') {
          expect(got).toEqual({
            what,
            status: 303,
            location:
              expected.kind === 'signedOut'
                ? `/auth/login?returnTo=${encodeURIComponent(url)}`
                : `/saksbehandler/logg-inn?return=${encodeURIComponent(url)}`,
          });
        } else {
          expect(got).toEqual({ what, status: 401, location: undefined });
          if (accept !== 'text/html')
            expect(answer.contentType).toMatch(/^application\/problem\+json/);
        }
        return;
      case 'notFound':
        expect(got).toEqual({ what, status: 404, location: undefined });
        return;
      case 'status':
        expect(got).toEqual({ what, status: expected.status, location: undefined });
    }
  }

  describe.each(TABLE)('$route', (row) => {
    it.each(IDENTITIES.map((who) => [who, row.expect[who].kind] as const))(
      '%s gets %s',
      async (who) => {
        const expected = row.expect[who];
        const method = row.route.split(' ')[0];
        const url = row.url(f, who);
        // Pages ask for HTML; where the answer is "sign in", API clients (JSON) are asked too.
        const accepts =
          expected.kind === 'signedOut' || expected.kind === 'staffSignedOut'
            ? ['text/html', 'application/json']
            : ['text/html'];
        for (const accept of accepts) {
          const agent = await signIn(who);
          const before = await stored();
          const answer = await ask(agent, row, who, accept);
          expectAnswer(answer, expected, url, method, accept);
          if (who !== 'resident') {
            if (!row.mayShowResidentData?.includes(who)) expectNoSecrets(answer, url, f.secrets);
            const audited = row.audited?.includes(who) ? 1 : 0;
            expect(await stored()).toEqual({ ...before, audit: before.audit + audited });
          }
          if (!POLICY_STAFF.includes(who) && !row.mayShowPolicy?.includes(who))
            expectNoSecrets(answer, url, f.policySecrets);
        }
      },
    );
  });
});
