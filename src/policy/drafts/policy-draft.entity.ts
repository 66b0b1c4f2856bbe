import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

export const DRAFT_KINDS = ['change', 'rollback', 'import'] as const;
/** A change made in the form or JSON, a rollback to an earlier version, or an imported file. */
export type DraftKind = (typeof DRAFT_KINDS)[number];

export const DRAFT_STATUSES = ['draft', 'submitted', 'returned', 'published', 'discarded'] as const;
/**
 * draft → submitted → published (approved by another person), or → returned (sent back with a
 * comment, editable again) → submitted …; a draft or returned one may be discarded.
 */
export type DraftStatus = (typeof DRAFT_STATUSES)[number];

/**
 * A proposed policy for one municipality, worked on by finance officers and approved by a
 * policy approver who did not write it (four eyes). It never affects residents until approved:
 * approval stores its text as a policy version and puts that version in force. Kept for good,
 * so each version's drafter, approver and comments stay linked to it.
 */
@Entity({ tableName: 'policy_drafts' })
@Index({ properties: ['municipalityId', 'status'] })
export class PolicyDraft {
  [OptionalProps]?: 'id' | 'createdAt' | 'updatedAt' | 'status';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  municipalityId!: string;

  @Property({ type: 'string', length: 20 })
  kind!: DraftKind;

  @Property({ type: 'string', length: 20 })
  status: DraftStatus = 'draft';

  /** The policy JSON as last saved; may be invalid while a draft (nothing typed is lost). */
  @Property({ type: 'text' })
  text!: string;

  /** The version in force when the draft was made: what it changes. */
  @Property({ type: 'uuid', nullable: true })
  baseVersionId?: string | null;

  /** For a rollback: the earlier version to put back in force. */
  @Property({ type: 'uuid', nullable: true })
  targetVersionId?: string | null;

  /** Who wrote it: the creator and everyone who saved it since (audit actors). None may approve it. */
  @Property({ type: 'json' })
  authors!: string[];

  @Property({ type: 'string', length: 200 })
  createdBy!: string;

  @Property({ type: 'string', length: 200, nullable: true })
  createdByName?: string | null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime' })
  updatedAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  submittedAt?: Date | null;

  @Property({ type: 'string', length: 200, nullable: true })
  submittedBy?: string | null;

  @Property({ type: 'text', nullable: true })
  submitComment?: string | null;

  /** The approver who published it or sent it back. */
  @Property({ type: 'datetime', nullable: true })
  decidedAt?: Date | null;

  @Property({ type: 'string', length: 200, nullable: true })
  decidedBy?: string | null;

  @Property({ type: 'string', length: 200, nullable: true })
  decidedByName?: string | null;

  @Property({ type: 'text', nullable: true })
  decisionComment?: string | null;

  /** The version its approval stored and put in force. */
  @Property({ type: 'uuid', nullable: true })
  publishedVersionId?: string | null;
}
