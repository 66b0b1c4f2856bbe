import { randomUUID } from 'node:crypto';
import { BigIntType, OptionalProps } from '@mikro-orm/core';
import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import type { DecisionReason, RuleTrace } from '../policy';
import type { DeferralFacts } from '../policy';
import type { Outcome } from '../policy';

export type CaseStatus = 'decided' | 'sent_to_officer';

/**
 * A resident's request for a later due date and the policy's decision on it. The unique key on
 * (municipality, invoice, due date asked about) is what keeps a double click, a second tab or a
 * retry from ever producing two decisions for one invoice.
 */
@Entity({ tableName: 'deferral_requests' })
@Unique({ properties: ['municipalityId', 'invoiceId', 'originalDueDate'] })
@Unique({ properties: ['municipalityId', 'reference'] })
@Index({ properties: ['municipalityId', 'pid', 'createdAt'] })
export class DeferralRequest {
  [OptionalProps]?: 'id' | 'createdAt' | 'status' | 'officerMessage' | 'sentToOfficerAt' | 'email';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  municipalityId!: string;

  /** Shown to the resident and used on the phone with the municipality, e.g. `UTS-7K3M-Q9TX`. */
  @Property({ type: 'string', length: 20 })
  reference!: string;

  /** The resident (national identity number). Personal data; never logged. */
  @Property({ type: 'string', length: 11 })
  pid!: string;

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

  @Property({ type: 'string', length: 16 })
  outcome!: Outcome;

  @Property({ type: 'string', length: 10, nullable: true })
  newDueDate!: string | null;

  @Property({ type: 'json' })
  reasons!: DecisionReason[];

  @Property({ type: 'json' })
  notices!: { code: string; text: Record<string, string> }[];

  /** Exactly what the policy saw. */
  @Property({ type: 'json' })
  facts!: DeferralFacts;

  @Property({ type: 'json' })
  trace!: RuleTrace[];

  @Property({ type: 'uuid' })
  policyVersionId!: string;

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

  @Property({ type: 'datetime', nullable: true })
  sentToOfficerAt: Date | null = null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
