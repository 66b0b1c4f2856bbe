import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { newAuditSalt } from '../audit';
import type { DueDateChange } from '../finance';

/**
 * `failed`: after the last retry, or refused by the finance system; an officer then retries it
 * (back to `pending`) or, having fixed it in the finance system, marks it `resolved_by_hand`.
 * `handed_over`: the municipality's finance system cannot take the change, so it waits for the
 * finance team to register it by hand; it closes as `done` when a read shows the new due date,
 * `registered_by_hand` when an officer says it is registered, or `not_needed` when the invoice
 * was paid first.
 */
export const WRITEBACK_STATUSES = [
  'pending',
  'in_progress',
  'done',
  'failed',
  'resolved_by_hand',
  'handed_over',
  'registered_by_hand',
  'not_needed',
] as const;
export type WritebackStatus = (typeof WRITEBACK_STATUSES)[number];

/** Statuses no worker or check will change any more. */
export const FINISHED_WRITEBACK_STATUSES = [
  'done',
  'failed',
  'resolved_by_hand',
  'registered_by_hand',
  'not_needed',
] as const satisfies readonly WritebackStatus[];

/**
 * One approved deferral's new due date, waiting to be written to the municipality's finance
 * system (a transactional outbox row). It is created in the same transaction as the decision, so
 * an approval never exists without its write-back, and the idempotency key makes every retry,
 * and every worker that takes over an abandoned job, land at most once.
 */
@Entity({ tableName: 'writeback_jobs' })
/**
 * Partial indexes, so that most jobs (done) leave them: the workers' claim reads only jobs that
 * are pending or in progress, in `nextAttemptAt` order.
 */
@Index({
  name: 'writeback_jobs_due_index',
  properties: ['nextAttemptAt'],
  where: "status in ('pending', 'in_progress')",
})
/** The officers' lists and the dashboard's count: failed jobs and open hand-overs. */
@Index({
  name: 'writeback_jobs_attention_index',
  properties: ['municipalityId', 'status'],
  where: "status in ('failed', 'handed_over')",
})
/** The latest hand-overs that closed. */
@Index({
  name: 'writeback_jobs_handovers_index',
  properties: ['municipalityId', 'completedAt'],
  where: 'handed_over_at is not null',
})
/** The dashboard counts failures per week by when they happened. */
@Index({ properties: ['municipalityId', 'failedAt'], where: 'failed_at is not null' })
export class WritebackJob {
  [OptionalProps]?:
    | 'id'
    | 'idempotencyKey'
    | 'status'
    | 'attempts'
    | 'nextAttemptAt'
    | 'lockedUntil'
    | 'claimedBy'
    | 'lastError'
    | 'result'
    | 'createdAt'
    | 'completedAt'
    | 'retryBaseAttempts'
    | 'failedAt'
    | 'resolvedBy'
    | 'resolvedByName'
    | 'resolvedNote'
    | 'auditSalt'
    | 'handedOverAt'
    | 'checkedAt'
    | 'seenDueDate';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  municipalityId!: string;

  /** One job per approved request: a second enqueue for the same request fails on flush. */
  @Property({ type: 'uuid', unique: true })
  deferralRequestId!: string;

  @Property({ type: 'string', length: 100 })
  invoiceId!: string;

  /**
   * The resident's national identity number: personal data, never logged. Null once the retention
   * job removed the request's personal data; such a job is never sent again.
   */
  @Property({ type: 'string', length: 11, nullable: true })
  pid!: string | null;

  /** YYYY-MM-DD. */
  @Property({ type: 'string', length: 10 })
  newDueDate!: string;

  /** Stored by the finance system with the change, e.g. the deferral's reference. */
  @Property({ type: 'string', length: 500 })
  reason!: string;

  /**
   * `deferral-<deferralRequestId>`: the same for every attempt by every worker. Unique because
   * `deferralRequestId` is; no index of its own, as nothing looks a job up by it.
   */
  @Property({ type: 'string', length: 200 })
  idempotencyKey!: string;

  @Property({ type: 'string', length: 20 })
  status: WritebackStatus = 'pending';

  /** Claims so far, including one that a crashed worker never finished. */
  @Property({ type: 'integer' })
  attempts: number = 0;

  @Property({ type: 'datetime' })
  nextAttemptAt: Date = new Date();

  /** While `in_progress`: the claim's lease; after it, another worker may take the job over. */
  @Property({ type: 'datetime', nullable: true })
  lockedUntil: Date | null = null;

  /** The instance (`WRITEBACK_INSTANCE_ID`) that made the latest claim. */
  @Property({ type: 'string', length: 100, nullable: true })
  claimedBy: string | null = null;

  /** A code such as `rejected:INVOICE_PAID` or `unavailable:timeout`; never personal data. */
  @Property({ type: 'string', length: 200, nullable: true })
  lastError: string | null = null;

  @Property({ type: 'json', nullable: true })
  result: DueDateChange | null = null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  /** Done, resolved or registered by hand, or closed as not needed. */
  @Property({ type: 'datetime', nullable: true })
  completedAt: Date | null = null;

  /**
   * `attempts` when an officer last retried the failed job: the attempt limit counts from here,
   * while `attempts` itself only grows, so it stays a fencing token across retries.
   */
  @Property({ type: 'integer' })
  retryBaseAttempts: number = 0;

  /** When it last failed for good. */
  @Property({ type: 'datetime', nullable: true })
  failedAt: Date | null = null;

  /**
   * The officer (`staff:<sub>`) who marked it done by hand (resolved, or registered after a
   * hand-over), and what they wrote.
   */
  @Property({ type: 'string', length: 120, nullable: true })
  resolvedBy: string | null = null;

  @Property({ type: 'string', length: 200, nullable: true })
  resolvedByName: string | null = null;

  @Property({ type: 'text', nullable: true })
  resolvedNote: string | null = null;

  /**
   * The salt the resolution note is hashed with in `writeback.resolved_by_hand` (the note itself
   * stays here); removed with the note and the identity number by the retention job.
   */
  @Property({ type: 'string', length: 64, nullable: true })
  auditSalt: string | null = newAuditSalt();

  /** When it was handed over to the finance team, having no write path to take it. */
  @Property({ type: 'datetime', nullable: true })
  handedOverAt: Date | null = null;

  /** While handed over: when the invoice was last read to see whether the date is registered. */
  @Property({ type: 'datetime', nullable: true })
  checkedAt: Date | null = null;

  /** The due date that read showed (YYYY-MM-DD); null before a read or after a failed one. */
  @Property({ type: 'string', length: 10, nullable: true })
  seenDueDate: string | null = null;
}
