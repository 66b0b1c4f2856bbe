import { randomUUID } from 'node:crypto';
import { BigIntType, OptionalProps } from '@mikro-orm/core';
import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import type { DecisionReason, RuleTrace } from '../policy';
import type { DeferralFacts } from '../policy';
import type { Outcome } from '../policy';
import { newAuditSalt } from '../audit';
import { JsonTextType } from '../database';

/**
 * Where a case stands. `decided`: by the policy, or by an officer (`decidedBy`). The others wait for
 * a person: `awaiting_officer` (the policy sent it to review, or the resident asked for a human
 * look), `taken` (an officer holds it, `takenBy`), `awaiting_resident` (the officer asked the
 * resident for information; their answer hands it back to that officer).
 */
export const CASE_STATUSES = ['decided', 'awaiting_officer', 'taken', 'awaiting_resident'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const OPEN_CASE_STATUSES = ['awaiting_officer', 'taken', 'awaiting_resident'] as const;

/**
 * A resident's request for a later due date and the policy's decision on it. The unique key on
 * (municipality, invoice, due date asked about) is what keeps a double click, a second tab or a
 * retry from ever producing two decisions for one invoice.
 */
@Entity({ tableName: 'deferral_requests' })
@Unique({ properties: ['municipalityId', 'invoiceId', 'originalDueDate'] })
@Unique({ properties: ['municipalityId', 'reference'] })
@Index({ properties: ['municipalityId', 'pid', 'createdAt'] })
/**
 * The officers' queue and the dashboard's open cases: partial, so the decided requests (nearly
 * all) are not in it. The searches by period use the overview index, which leads with
 * (municipality, created).
 */
@Index({
  name: 'deferral_requests_open_cases_index',
  properties: ['municipalityId', 'sentToOfficerAt', 'createdAt'],
  where: "status in ('awaiting_officer', 'taken', 'awaiting_resident')",
})
/** The retention job's search: the requests of a municipality whose personal data is still here. */
@Index({ properties: ['municipalityId', 'personalDataRemovedAt', 'createdAt'] })
/**
 * The dashboard's statistics read only these columns of a period's requests: with all of them in
 * the index they are counted from it alone (an index-only scan), without the rows and their JSON.
 */
@Index({
  name: 'deferral_requests_overview_index',
  properties: [
    'municipalityId',
    'createdAt',
    'status',
    'outcome',
    'decidedBy',
    'sentToOfficerAt',
    'decidedAt',
  ],
})
export class DeferralRequest {
  [OptionalProps]?:
    | 'id'
    | 'createdAt'
    | 'status'
    | 'officerMessage'
    | 'sentToOfficerAt'
    | 'email'
    | 'takenBy'
    | 'takenByName'
    | 'takenAt'
    | 'decidedBy'
    | 'decidedByName'
    | 'decidedAt'
    | 'officerReason'
    | 'officerReasonCode'
    | 'auditSalt'
    | 'personalDataRemovedAt'
    | 'decidedOn';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  municipalityId!: string;

  /** Shown to the resident and used on the phone with the municipality, e.g. `UTS-7K3M-Q9TX`. */
  @Property({ type: 'string', length: 20 })
  reference!: string;

  /**
   * The resident (national identity number). Personal data; never logged. Null once the retention
   * job has removed the request's personal data (`personalDataRemovedAt`).
   */
  @Property({ type: 'string', length: 11, nullable: true })
  pid!: string | null;

  @Property({ type: 'string', length: 64 })
  invoiceId!: string;

  @Property({ type: 'string', length: 40 })
  invoiceNumber!: string;

  @Property({ type: 'string', length: 200 })
  invoiceTitle!: string;

  /** øre still owed when asked. */
  @Property({ type: new BigIntType('number') })
  amountOre!: number;

  /** The due date the resident asked to move. */
  @Property({ type: 'string', length: 10 })
  originalDueDate!: string;

  @Property({ type: 'string', length: 10 })
  requestedDueDate!: string;

  /**
   * The outcome in force: the policy's, until an officer decides the case; then the officer's
   * (`approved` or `rejected`). What the policy said stays in `policyOutcome`.
   */
  @Property({ type: 'string', length: 16 })
  outcome!: Outcome;

  /**
   * What the policy decided, never changed afterwards. Nullable only so that an instance still on
   * the previous release can go on inserting during a rolling upgrade; the migration fills it, and
   * `policyOutcomeOf` reads a missing one as `outcome` (no officer can have changed such a row).
   */
  @Property({ type: 'string', length: 16, nullable: true })
  policyOutcome!: Outcome | null;

  @Property({ type: 'string', length: 10, nullable: true })
  newDueDate!: string | null;

  // The documents below are stored whole and read whole, so as text (see `JsonTextType`).
  @Property({ type: JsonTextType })
  reasons!: DecisionReason[];

  @Property({ type: JsonTextType })
  notices!: { code: string; text: Record<string, string> }[];

  /** Exactly what the policy saw. */
  @Property({ type: JsonTextType })
  facts!: DeferralFacts;

  /**
   * Which rules fired and with what. Stored, though it follows from the facts and the policy
   * version: it is the record replay and the audit entry's `traceSha256` hold a re-evaluation
   * against, which recomputing it would turn into a comparison of the engine with itself.
   */
  @Property({ type: JsonTextType })
  trace!: RuleTrace[];

  @Property({ type: 'uuid' })
  policyVersionId!: string;

  /**
   * The Oslo day the policy decided on (`facts.today`): a later decision counts this one among the
   * resident's deferrals by it, reading this short column rather than the whole facts. Null only
   * on a row an instance of the previous release inserted during a rolling upgrade (the migration
   * filled the older ones); readers take `facts.today` then.
   */
  @Property({ type: 'string', length: 10, nullable: true })
  decidedOn: string | null = null;

  @Property({ type: 'string', length: 2 })
  language!: string;

  /** Where a receipt goes, when the resident gave an address. */
  @Property({ type: 'string', length: 254, nullable: true })
  email: string | null = null;

  @Property({ type: 'string', length: 20 })
  status: CaseStatus = 'decided';

  /** The resident's message when they sent a rejected or manual-review case to a person. */
  @Property({ type: 'text', nullable: true })
  officerMessage: string | null = null;

  /** When the case started waiting for a person: the decision (manual review) or the resident's ask. */
  @Property({ type: 'datetime', nullable: true })
  sentToOfficerAt: Date | null = null;

  /** The officer holding the case (`staff:<sub>`), while `taken` or `awaiting_resident`. */
  @Property({ type: 'string', length: 120, nullable: true })
  takenBy: string | null = null;

  @Property({ type: 'string', length: 200, nullable: true })
  takenByName: string | null = null;

  /** When the claim was made or last renewed; an old one may be taken over. */
  @Property({ type: 'datetime', nullable: true })
  takenAt: Date | null = null;

  /** The officer who decided (`staff:<sub>`); null while undecided or decided by the policy. */
  @Property({ type: 'string', length: 120, nullable: true })
  decidedBy: string | null = null;

  @Property({ type: 'string', length: 200, nullable: true })
  decidedByName: string | null = null;

  @Property({ type: 'datetime', nullable: true })
  decidedAt: Date | null = null;

  /** The officer's reason, as the resident reads it (in their language where the text has one). */
  @Property({ type: 'text', nullable: true })
  officerReason: string | null = null;

  /** The municipality's standard text the reason came from, if any. */
  @Property({ type: 'string', length: 64, nullable: true })
  officerReasonCode: string | null = null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  /**
   * This request's own random salt for the texts its audit entries hash (`saltedSha256`): the
   * officer's reason and questions, the resident's messages. Removed with those texts; null also
   * on a row an instance of the previous release inserted (`auditSaltFor` gives it one).
   */
  @Property({ type: 'string', length: 64, nullable: true })
  auditSalt: string | null = newAuditSalt();

  /**
   * When the retention job removed the resident's personal data (identity number, e-mail address,
   * messages, the officer's texts and the salt); the rest of the request stays for statistics,
   * the auditors' search and replay.
   */
  @Property({ type: 'datetime', nullable: true })
  personalDataRemovedAt: Date | null = null;
}

/**
 * The resident's identity number of a request that still has it: every request a resident or an
 * officer can act on does; only a closed one's is removed by the retention job.
 */
export function residentPidOf(request: Pick<DeferralRequest, 'pid' | 'reference'>): string {
  if (request.pid === null)
    throw new Error(`Request ${request.reference} has had its personal data removed`);
  return request.pid;
}

export function policyOutcomeOf(
  request: Pick<DeferralRequest, 'outcome' | 'policyOutcome'>,
): Outcome {
  return request.policyOutcome ?? request.outcome;
}
