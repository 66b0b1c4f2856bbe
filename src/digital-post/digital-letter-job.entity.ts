import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { ResidentLetter } from '../mail';

export const DIGITAL_LETTER_STATUSES = ['pending', 'in_progress', 'sent', 'failed'] as const;
export type DigitalLetterStatus = (typeof DIGITAL_LETTER_STATUSES)[number];

/**
 * A letter waiting to go through digital post (a transactional outbox row), queued in the
 * transaction that stores its decision: never lost while SvarUt is down, never sent for a
 * decision that was rolled back, and the resident's request never waits for it.
 */
@Entity({ tableName: 'digital_letter_jobs' })
@Index({ properties: ['status', 'nextAttemptAt'] })
export class DigitalLetterJob {
  [OptionalProps]?:
    | 'id'
    | 'status'
    | 'attempts'
    | 'nextAttemptAt'
    | 'lockedUntil'
    | 'lastError'
    | 'createdAt'
    | 'sentAt'
    | 'shipmentId';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  municipalityId!: string;

  /** What the letter is about (the deferral request id, `:decided` for an officer's): one each. */
  @Property({ type: 'string', length: 100, unique: true })
  subjectId!: string;

  /**
   * The key SvarUt knows the letter by (`eksternReferanse`): the same on every try, so a retry
   * first looks it up in SvarUt and records the forsendelse an earlier try left, if any, instead
   * of sending a second letter.
   */
  @Property({ type: 'string', length: 120 })
  externalReference!: string;

  /**
   * The resident's fødselsnummer or D-number, the letter's address: personal data, never logged,
   * removed with the job by the retention job once the case is closed and the letter gone.
   */
  @Property({ type: 'string', length: 11 })
  identityNumber!: string;

  /** The letter as decided (the receipt's fields; no identity number), rendered when sent. */
  @Property({ type: 'json' })
  letter!: ResidentLetter;

  @Property({ type: 'string', length: 16 })
  status: DigitalLetterStatus = 'pending';

  /** Claims so far; the latest is the fencing token for recording its outcome. */
  @Property({ type: 'integer' })
  attempts: number = 0;

  @Property({ type: 'datetime' })
  nextAttemptAt: Date = new Date();

  /** While `in_progress`: the claim's lease; after it, another worker may take the job over. */
  @Property({ type: 'datetime', nullable: true })
  lockedUntil: Date | null = null;

  /** A code such as `svarut-http-503`; never the service's text. */
  @Property({ type: 'string', length: 200, nullable: true })
  lastError: string | null = null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  sentAt: Date | null = null;

  /** SvarUt's id of the forsendelse, once it took the letter. */
  @Property({ type: 'string', length: 64, nullable: true })
  shipmentId: string | null = null;
}
