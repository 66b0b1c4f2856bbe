import type { AuditAppend } from '../audit';
import type { WritebackJob } from './writeback-job.entity';
import type { WritebackOutcome } from './writeback-outcome';

export type FinalOutcome = Exclude<WritebackOutcome, { kind: 'retry' }>;

/**
 * Completes an automated decision's record: its write-back succeeded, or finally failed. Retries
 * are not audited; they change nothing the decision promised.
 */
export function writebackAuditEntry(job: WritebackJob, outcome: FinalOutcome): AuditAppend {
  const common = {
    jobId: job.id,
    invoiceId: job.invoiceId,
    idempotencyKey: job.idempotencyKey,
    attempts: job.attempts,
  };
  return {
    municipalityId: job.municipalityId,
    type: outcome.kind === 'done' ? 'writeback.succeeded' : 'writeback.failed',
    subjectId: job.deferralRequestId,
    payload:
      outcome.kind === 'done'
        ? {
            ...common,
            dueDate: outcome.change.dueDate,
            previousDueDate: outcome.change.previousDueDate,
            changedAt: outcome.change.changedAt,
            replayed: outcome.change.replayed,
          }
        : { ...common, newDueDate: job.newDueDate, error: outcome.error },
  };
}
