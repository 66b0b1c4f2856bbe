import { EntityManager, MikroORM } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { assertIsoDate } from '../finance/iso-date';
import { WritebackJob, type WritebackStatus } from './writeback-job.entity';

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
  /** When the next try is due; null once the job is done or failed. */
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

const PID = /^\d{11}$/;

/** The outbox's front door: deferral decisions enqueue here, case pages read status here. */
@Injectable()
export class WritebackService {
  constructor(private readonly orm: MikroORM) {}

  /**
   * Adds the job to `em` without flushing: the caller flushes it in the transaction that stores the
   * decision, so an approval and its write-back are committed together or not at all. Call
   * `WritebackWorker.wake()` after that commit to write it back at once.
   */
  enqueue(em: EntityManager, input: EnqueueWriteback): WritebackJob {
    const job = this.newJob(em, input);
    em.persist(job);
    return job;
  }

  /**
   * A checked job that is not yet in `em`'s unit of work, for a caller that inserts many at once
   * (`em.insertMany`) in the transaction that stores the decisions.
   */
  newJob(em: EntityManager, input: EnqueueWriteback): WritebackJob {
    assertIsoDate(input.newDueDate, 'newDueDate');
    if (!PID.test(input.pid))
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
}

function viewOf(job: WritebackJob): WritebackJobView {
  const final = job.status === 'done' || job.status === 'failed';
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
