import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

export type CaseMessageAuthor = 'officer' | 'resident';

/**
 * One message on a case between the officer and the resident: the officer's question ("asks the
 * resident for information") and the resident's answer. Never changed once written, but for the
 * retention job removing the text.
 */
@Entity({ tableName: 'case_messages' })
@Index({ properties: ['deferralRequestId', 'createdAt'] })
export class CaseMessage {
  [OptionalProps]?: 'id' | 'createdAt' | 'actor';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  municipalityId!: string;

  @Property({ type: 'uuid' })
  deferralRequestId!: string;

  @Property({ type: 'string', length: 10 })
  author!: CaseMessageAuthor;

  /** `staff:<sub>` for an officer's message; null for the resident's. */
  @Property({ type: 'string', length: 120, nullable: true })
  actor: string | null = null;

  /** Null once the retention job has removed the case's personal data. */
  @Property({ type: 'text', nullable: true })
  text!: string | null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
