import { EntityManager, LockMode, MikroORM } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit';
import { afterCommit, insertRows } from '../database';
import { assertIsoDate } from '../shared/calendar-date';
import {
  FINISHED_WRITEBACK_STATUSES,
  WritebackJob,
  type WritebackStatus,
} from './writeback-job.entity';
import { WritebackWorker } from './writeback.worker';
import {
  type ClosedHandover,
  type HandedOverWriteback,
  type HandoverNotice,
  handoverNotice,
  listClosedHandovers,
  listHandedOverJobs,
  registerHandoverByHand,
} from './writeback-handover';
import { HandoverCheck, type HandoverCheckResult } from './writeback-handover-check';
import { countFailures, type WritebackFailureCounts } from './writeback-failure-counts';
import {
  type FailedWriteback,
  jobStatusIn,
  listFailedJobs,
  listResolvedByHand,
  type ResolvedWriteback,
  resolveFailedJobByHand,
  retryFailedJob,
  type WritebackActor,
} from './writeback-follow-up';
import { IDENTITY_NUMBER_FORMAT } from '../shared/national-identity-number';

export interface EnqueueWriteback {
  municipalityId: string;
  deferralRequestId: string;
  invoiceId: string;
  /** The resident's national identity number; the finance system checks the invoice is theirs. */
  pid: string;
  /** YYYY-MM-DD. */
  newDueDate: string;
  /** Stored by the finance system with the change, e.g. the deferral's reference. */
  reason: string;
}

/** Where a write-back stands, for the resident's case page: no identity number in it. */
export interface WritebackJobView {
  jobId: string;
  deferralRequestId: string;
  status: WritebackStatus;
  attempts: number;
  /** When the next try is due; null once the job is done, failed or resolved by hand. */
  nextAttemptAt: Date | null;
  completedAt: Date | null;
  lastError: string | null;
}

/** A write-back that gave up, for officers to follow up by hand. */
export interface FailedWritebackView extends WritebackJobView {
  invoiceId: string;
  newDueDate: string;
  createdAt: Date;
}

/**
 * The outbox's front door: decisions queue their write-backs here, in their own transaction, and
 * case pages read status here. The worker is woken when that transaction commits, so callers
 * never touch the outbox table or the worker.
 */
@Injectable()
export class WritebackService {
  constructor(
    private readonly orm: MikroORM,
    private readonly worker: WritebackWorker,
    private readonly audit: AuditService,
    private readonly handoverCheck: HandoverCheck,
  ) {}

  /**
   * Adds the job to `em`'s unit of work without flushing: it is written with the caller's flush,
   * committed with the caller's transaction or not at all, and the worker is woken once it is.
   */
  enqueue(em: EntityManager, input: EnqueueWriteback): WritebackJob {
    const job = this.newJob(em, input);
    em.persist(job);
    this.wakeAfterCommit(em);
    return job;
  }

  /**
   * Inserts the jobs at once (one multi-row statement) in the caller's transaction, which must be
   * open: for a group commit that stores many decisions without the unit of work.
   */
  async enqueueMany(
    em: EntityManager,
    inputs: readonly EnqueueWriteback[],
  ): Promise<WritebackJob[]> {
    if (!em.isInTransaction())
      throw new TypeError('enqueueMany must run inside the transaction that stores the decisions');
    const jobs = inputs.map((input) => this.newJob(em, input));
    if (jobs.length === 0) return jobs;
    await insertRows(em, WritebackJob, jobs);
    this.wakeAfterCommit(em);
    return jobs;
  }

  /** Status per deferral request id; requests without a job (not approved) are absent. */
  async jobsFor(
    municipalityId: string,
    deferralRequestIds: string[],
  ): Promise<Map<string, WritebackJobView>> {
    if (deferralRequestIds.length === 0) return new Map();
    const jobs = await this.orm.em
      .fork()
      .find(WritebackJob, { municipalityId, deferralRequestId: { $in: deferralRequestIds } });
    return new Map(jobs.map((job) => [job.deferralRequestId, viewOf(job)]));
  }

  /**
   * The officer's note on a write-back resolved by hand and the salt its audit entry hashed it
   * with, for the auditors' decision page; null when there is no note (or it was removed).
   */
  async resolutionNoteOf(
    municipalityId: string,
    deferralRequestId: string,
  ): Promise<{ note: string; auditSalt: string | null } | null> {
    const job = await this.orm.em
      .fork()
      .findOne(
        WritebackJob,
        { municipalityId, deferralRequestId },
        { fields: ['resolvedNote', 'auditSalt'] },
      );
    return job?.resolvedNote ? { note: job.resolvedNote, auditSalt: job.auditSalt } : null;
  }

  /**
   * For the retention job, in its transaction: locks the write-backs of these requests and, of each
   * one that is finished (done, failed, resolved or registered by hand, not needed), removes the
   * identity number, the officer's note and its salt; a failed one can then no longer be retried,
   * only resolved by hand. Returns the requests whose write-back is still under way (pending, in
   * progress, handed over and not yet registered): those keep their data, and so must their
   * requests.
   */
  async forgetResidents(
    em: EntityManager,
    deferralRequestIds: readonly string[],
  ): Promise<Set<string>> {
    if (!em.isInTransaction())
      throw new TypeError("forgetResidents must run inside the retention job's transaction");
    if (deferralRequestIds.length === 0) return new Set();
    const jobs = await em.find(
      WritebackJob,
      { deferralRequestId: { $in: [...deferralRequestIds] } },
      {
        fields: ['deferralRequestId', 'status'],
        // An officer's retry waits for this transaction, then finds no identity number to send.
        lockMode: LockMode.PESSIMISTIC_WRITE,
        disableIdentityMap: true,
      },
    );
    const busy = new Set(
      jobs
        .filter((job) => !(FINISHED_WRITEBACK_STATUSES as readonly string[]).includes(job.status))
        .map((job) => job.deferralRequestId),
    );
    const finished = deferralRequestIds.filter((id) => !busy.has(id));
    if (finished.length > 0)
      await em.nativeUpdate(
        WritebackJob,
        {
          deferralRequestId: { $in: finished },
          status: { $in: [...FINISHED_WRITEBACK_STATUSES] },
        },
        { pid: null, resolvedNote: null, auditSalt: null },
      );
    return busy;
  }

  /** Every write-back of the municipality that gave up, oldest first. */
  async failedJobs(municipalityId: string): Promise<FailedWritebackView[]> {
    const jobs = await this.orm.em
      .fork()
      .find(WritebackJob, { municipalityId, status: 'failed' }, { orderBy: { createdAt: 'asc' } });
    return jobs.map((job) => ({
      ...viewOf(job),
      invoiceId: job.invoiceId,
      newDueDate: job.newDueDate,
      createdAt: job.createdAt,
    }));
  }

  // --- Officers' follow-up of failed write-backs (the list, retry, resolved by hand) ---

  /** Failed jobs of these municipalities, oldest failure first; no identity number in them. */
  listFailed(municipalityIds: readonly string[]): Promise<FailedWriteback[]> {
    return listFailedJobs(this.orm.em.fork(), municipalityIds);
  }

  /** The latest jobs of these municipalities that officers resolved by hand, newest first. */
  listResolvedByHand(municipalityIds: readonly string[], limit = 20): Promise<ResolvedWriteback[]> {
    return listResolvedByHand(this.orm.em.fork(), municipalityIds, limit);
  }

  /**
   * Queues a failed job of one of these municipalities again, due now, audited as
   * `writeback.retried`; false when it is not failed (any more) or not theirs. The worker is woken.
   */
  async retry(
    jobId: string,
    municipalityIds: readonly string[],
    by: WritebackActor,
  ): Promise<boolean> {
    const retried = await retryFailedJob(
      this.orm.em.fork(),
      this.audit,
      jobId,
      municipalityIds,
      by,
    );
    if (retried) this.worker.wake();
    return retried;
  }

  /**
   * Marks a failed job of one of these municipalities `resolved_by_hand` with the officer's note
   * (1–1000 characters, else a TypeError), audited as `writeback.resolved_by_hand`; false when it
   * is not failed (any more) or not theirs.
   */
  resolveByHand(
    jobId: string,
    municipalityIds: readonly string[],
    by: WritebackActor,
    note: string,
  ): Promise<boolean> {
    return resolveFailedJobByHand(this.orm.em.fork(), this.audit, jobId, municipalityIds, by, note);
  }

  /** Where a job of one of these municipalities stands; null when there is no such job of theirs. */
  statusOf(jobId: string, municipalityIds: readonly string[]): Promise<WritebackStatus | null> {
    return jobStatusIn(this.orm.em.fork(), jobId, municipalityIds);
  }

  // --- Hand-overs: new due dates the finance team registers by hand ---

  /** Open hand-overs of these municipalities, oldest first; no identity number in them. */
  listHandedOver(municipalityIds: readonly string[]): Promise<HandedOverWriteback[]> {
    return listHandedOverJobs(this.orm.em.fork(), municipalityIds);
  }

  /** The latest hand-overs of these municipalities that closed, however they closed, newest first. */
  listClosedHandovers(municipalityIds: readonly string[], limit = 20): Promise<ClosedHandover[]> {
    return listClosedHandovers(this.orm.em.fork(), municipalityIds, limit);
  }

  /**
   * Closes an open hand-over of one of these municipalities as `registered_by_hand`, audited as
   * `writeback.registered_by_hand` with who; false when it is not open (any more) or not theirs.
   */
  registerByHand(
    jobId: string,
    municipalityIds: readonly string[],
    by: WritebackActor,
  ): Promise<boolean> {
    return registerHandoverByHand(this.orm.em.fork(), this.audit, jobId, municipalityIds, by);
  }

  /**
   * Reads the invoices of the open hand-overs of these municipalities now and closes those whose
   * new date is registered (or whose invoice was paid), as the periodic check does.
   */
  checkHandovers(municipalityIds: readonly string[]): Promise<HandoverCheckResult> {
    return this.handoverCheck.run(municipalityIds);
  }

  /**
   * Registers a listener for the jobs each record transaction hands over; what it persists on `em`
   * commits with the hand-over (e.g. the letter to the finance team). Returns a function that
   * removes it.
   */
  onHandedOver(
    listener: (handedOver: readonly HandoverNotice[], em: EntityManager) => Promise<void>,
  ): () => void {
    return this.worker.onOutcomes(async (recorded, em) => {
      const notices = recorded
        .filter(({ outcome }) => outcome.kind === 'handed_over')
        .map(({ job }) => handoverNotice(job));
      if (notices.length > 0) await listener(notices, em);
    });
  }

  // --- end of the officers' follow-up ---

  /** A checked job that is not yet in `em`'s unit of work. */
  private newJob(em: EntityManager, input: EnqueueWriteback): WritebackJob {
    assertIsoDate(input.newDueDate, 'newDueDate');
    if (!IDENTITY_NUMBER_FORMAT.test(input.pid))
      throw new TypeError('pid must be an 11-digit national identity number');
    if (input.reason.trim() === '' || input.reason.length > 500) {
      throw new TypeError('reason must be 1–500 characters');
    }
    return em.create(
      WritebackJob,
      {
        municipalityId: input.municipalityId,
        deferralRequestId: input.deferralRequestId,
        invoiceId: input.invoiceId,
        pid: input.pid,
        newDueDate: input.newDueDate,
        reason: input.reason,
        idempotencyKey: `deferral-${input.deferralRequestId}`,
      },
      { persist: false },
    );
  }

  /** Before the commit the job is invisible to the worker's claim; after a rollback it is gone. */
  private wakeAfterCommit(em: EntityManager): void {
    afterCommit(em, () => this.worker.wake());
  }

  /** For the dashboard: failures per Oslo week from the week `since` falls in, and failed now. */
  failureCounts(
    municipalityIds: readonly string[],
    since: Date,
    now: Date = new Date(),
  ): Promise<WritebackFailureCounts> {
    return countFailures(this.orm, municipalityIds, since, now);
  }
}

function viewOf(job: WritebackJob): WritebackJobView {
  const final = job.status !== 'pending' && job.status !== 'in_progress';
  return {
    jobId: job.id,
    deferralRequestId: job.deferralRequestId,
    status: job.status,
    attempts: job.attempts,
    nextAttemptAt: final ? null : job.nextAttemptAt,
    completedAt: job.completedAt,
    lastError: job.lastError,
  };
}
