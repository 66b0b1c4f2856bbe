import { type EntityManager, QueryOrder } from '@mikro-orm/core';
import { newAuditSalt, saltedSha256, type AuditService } from '../audit';
import { WritebackJob } from './writeback-job.entity';

/** Who follows a failed write-back up: `staff:<sub>` for the audit trail, and the name people see. */
export interface WritebackActor {
  readonly actor: string;
  readonly name?: string;
}

/** A write-back that failed for good, as the officers' list shows it: no identity number in it. */
export interface FailedWriteback {
  jobId: string;
  municipalityId: string;
  deferralRequestId: string;
  invoiceId: string;
  /** YYYY-MM-DD. */
  newDueDate: string;
  /** What the finance system stores with the change; holds the case reference. */
  reason: string;
  /** A safe code such as `rejected:INVOICE_PAID`. */
  lastError: string | null;
  attempts: number;
  /** Null for a job that failed before the time was recorded. */
  failedAt: Date | null;
  createdAt: Date;
}

/** A failed write-back an officer put right in the finance system and marked resolved. */
export interface ResolvedWriteback extends FailedWriteback {
  resolvedBy: string;
  resolvedByName: string | null;
  resolvedNote: string;
  resolvedAt: Date;
}

/** What the officer writes when resolving by hand: what they did in the finance system. */
export const RESOLUTION_NOTE_MAX = 1000;

/** Why a resolution note is refused, or null when it is fine. */
export function resolutionNoteProblem(note: string): 'required' | 'tooLong' | null {
  const trimmed = note.trim();
  if (trimmed === '') return 'required';
  return trimmed.length > RESOLUTION_NOTE_MAX ? 'tooLong' : null;
}

export async function listFailedJobs(
  em: EntityManager,
  municipalityIds: readonly string[],
): Promise<FailedWriteback[]> {
  if (municipalityIds.length === 0) return [];
  const jobs = await em.find(
    WritebackJob,
    { municipalityId: { $in: [...municipalityIds] }, status: 'failed' },
    // Jobs that failed before failedAt was kept are the oldest failures.
    {
      orderBy: [
        { failedAt: QueryOrder.ASC_NULLS_FIRST },
        { createdAt: QueryOrder.ASC },
        { id: QueryOrder.ASC },
      ],
    },
  );
  return jobs.map(failedView);
}

export async function listResolvedByHand(
  em: EntityManager,
  municipalityIds: readonly string[],
  limit: number,
): Promise<ResolvedWriteback[]> {
  if (municipalityIds.length === 0) return [];
  const jobs = await em.find(
    WritebackJob,
    { municipalityId: { $in: [...municipalityIds] }, status: 'resolved_by_hand' },
    { orderBy: [{ completedAt: QueryOrder.DESC }, { id: QueryOrder.ASC }], limit },
  );
  return jobs.map((job) => ({
    ...failedView(job),
    resolvedBy: job.resolvedBy ?? '',
    resolvedByName: job.resolvedByName,
    resolvedNote: job.resolvedNote ?? '',
    resolvedAt: job.completedAt ?? job.createdAt,
  }));
}

/**
 * The key a retried job is sent under. The finance system stores its answer under the key, so a
 * refusal (`rejected:`, `not-found:`) would come back the same however often it is sent: after an
 * officer has fixed the cause, the retry needs a key of its own. That is safe because a refusal
 * changed nothing, so there is nothing the old key must keep from happening twice. Any other
 * failure keeps its key: the change may have landed without the answer reaching us, and the same
 * key makes the finance system replay it rather than apply it again.
 */
export function keyForRetry(
  job: Pick<WritebackJob, 'lastError' | 'idempotencyKey' | 'deferralRequestId' | 'attempts'>,
): string {
  const refused = /^(rejected|not-found):/.test(job.lastError ?? '');
  return refused ? `deferral-${job.deferralRequestId}-retry-${job.attempts}` : job.idempotencyKey;
}

/**
 * Puts a failed job back in the queue, due now, with the attempt limit counted afresh from here.
 * The update is conditional on the job still being failed, so of two officers clicking at once
 * exactly one retries it (and is audited); the other gets false.
 */
export async function retryFailedJob(
  em: EntityManager,
  audit: AuditService,
  jobId: string,
  municipalityIds: readonly string[],
  by: WritebackActor,
): Promise<boolean> {
  return em.transactional(async (tx) => {
    const job = await findFailed(tx, jobId, municipalityIds);
    if (!job) return false;
    const idempotencyKey = keyForRetry(job);
    const updated = await tx.nativeUpdate(
      WritebackJob,
      // Not once the retention job removed the resident's identity number: there is none to send.
      { id: job.id, status: 'failed', attempts: job.attempts, pid: { $ne: null } },
      {
        status: 'pending',
        nextAttemptAt: new Date(),
        retryBaseAttempts: job.attempts,
        lockedUntil: null,
        idempotencyKey,
      },
    );
    if (updated === 0) return false;
    await audit.append(tx, {
      municipalityId: job.municipalityId,
      type: 'writeback.retried',
      subjectId: job.deferralRequestId,
      payload: {
        jobId: job.id,
        actor: by.actor,
        name: by.name ?? null,
        previousError: job.lastError,
        attempts: job.attempts,
        idempotencyKey,
      },
    });
    return true;
  });
}

/**
 * Closes a failed job that the officer put right in the finance system themselves, with their
 * note of what they did. Conditional like `retryFailedJob`, so a retry and a resolution at the
 * same moment cannot both happen.
 */
export async function resolveFailedJobByHand(
  em: EntityManager,
  audit: AuditService,
  jobId: string,
  municipalityIds: readonly string[],
  by: WritebackActor,
  note: string,
): Promise<boolean> {
  if (resolutionNoteProblem(note)) {
    throw new TypeError(`note must be 1–${RESOLUTION_NOTE_MAX} characters`);
  }
  const text = note.trim();
  return em.transactional(async (tx) => {
    const job = await findFailed(tx, jobId, municipalityIds);
    if (!job) return false;
    // A job whose data the retention job removed has no salt left: the note gets a new one.
    const salt = job.auditSalt ?? newAuditSalt();
    const updated = await tx.nativeUpdate(
      WritebackJob,
      { id: job.id, status: 'failed', attempts: job.attempts },
      {
        status: 'resolved_by_hand',
        completedAt: new Date(),
        resolvedBy: by.actor,
        resolvedByName: by.name?.slice(0, 200) ?? null,
        resolvedNote: text,
        auditSalt: salt,
      },
    );
    if (updated === 0) return false;
    await audit.append(tx, {
      municipalityId: job.municipalityId,
      type: 'writeback.resolved_by_hand',
      subjectId: job.deferralRequestId,
      payload: {
        jobId: job.id,
        actor: by.actor,
        name: by.name ?? null,
        // The note stays with the job (the retention job removes it); the chain holds its hash.
        noteSha256: saltedSha256(salt, text),
        previousError: job.lastError,
        newDueDate: job.newDueDate,
      },
    });
    return true;
  });
}

/** The job's status, or null when it is not a job of any of these municipalities. */
export async function jobStatusIn(
  em: EntityManager,
  jobId: string,
  municipalityIds: readonly string[],
): Promise<WritebackJob['status'] | null> {
  if (municipalityIds.length === 0) return null;
  const job = await em.findOne(
    WritebackJob,
    { id: jobId, municipalityId: { $in: [...municipalityIds] } },
    { fields: ['status'] },
  );
  return job?.status ?? null;
}

function findFailed(
  em: EntityManager,
  jobId: string,
  municipalityIds: readonly string[],
): Promise<WritebackJob | null> {
  if (municipalityIds.length === 0) return Promise.resolve(null);
  return em.findOne(WritebackJob, {
    id: jobId,
    municipalityId: { $in: [...municipalityIds] },
    status: 'failed',
  });
}

function failedView(job: WritebackJob): FailedWriteback {
  return {
    jobId: job.id,
    municipalityId: job.municipalityId,
    deferralRequestId: job.deferralRequestId,
    invoiceId: job.invoiceId,
    newDueDate: job.newDueDate,
    reason: job.reason,
    lastError: job.lastError,
    attempts: job.attempts,
    failedAt: job.failedAt,
    createdAt: job.createdAt,
  };
}
