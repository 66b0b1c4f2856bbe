import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { ResidentLetter } from './case-question-letter';

export const RECEIPT_MAIL_STATUSES = ['pending', 'in_progress', 'sent', 'failed'] as const;
export type ReceiptMailStatus = (typeof RECEIPT_MAIL_STATUSES)[number];

/**
 * A receipt waiting to be e-mailed (a transactional outbox row), queued in the transaction that
 * stores its decision, so the resident's request never waits for SMTP and a receipt is neither
 * lost when the mail server is down nor sent for a decision that was rolled back.
 */
@Entity({ tableName: 'receipt_mail_jobs' })
@Index({ properties: ['status', 'nextAttemptAt'] })
export class ReceiptMailJob {
  [OptionalProps]?:
    | 'id'
    | 'status'
    | 'attempts'
    | 'nextAttemptAt'
    | 'lockedUntil'
    | 'lastError'
    | 'createdAt'
    | 'sentAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  municipalityId!: string;

  /** What the receipt is about (the deferral request id): one receipt each. */
  @Property({ type: 'string', length: 100, unique: true })
  subjectId!: string;

  /** The resident's e-mail address: personal data, never logged. */
  @Property({ type: 'string', length: 320 })
  recipient!: string;

  /**
   * The letter as decided, rendered when it is sent. It holds no identity number. Rows queued
   * before there were other letters have no `kind` and are receipts.
   */
  @Property({ type: 'json' })
  letter!: ResidentLetter;

  @Property({ type: 'string', length: 16 })
  status: ReceiptMailStatus = 'pending';

  /** Claims so far; the latest is the fencing token for recording its outcome. */
  @Property({ type: 'integer' })
  attempts: number = 0;

  @Property({ type: 'datetime' })
  nextAttemptAt: Date = new Date();

  /** While `in_progress`: the claim's lease; after it, another worker may take the job over. */
  @Property({ type: 'datetime', nullable: true })
  lockedUntil: Date | null = null;

  /** A code such as `smtp-failed:ETIMEDOUT`; never the server's text, which may quote the address. */
  @Property({ type: 'string', length: 200, nullable: true })
  lastError: string | null = null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  sentAt: Date | null = null;
}
