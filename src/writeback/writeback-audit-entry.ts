import type { AuditAppend } from '../audit';
import type { WritebackJob } from './writeback-job.entity';
import type { WritebackOutcome } from './writeback-outcome';

export type FinalOutcome = Exclude<WritebackOutcome, { kind: 'retry' }>;

/**
 * Completes an automated decision's record: its write-back succeeded, was handed over to the
 * finance team, or finally failed. Retries are not audited; they change nothing the decision
 * promised.
 */
export function writebackAuditEntry(job: WritebackJob, outcome: FinalOutcome): AuditAppend {
  const common = {
    jobId: job.id,
    invoiceId: job.invoiceId,
    idempotencyKey: job.idempotencyKey,
    attempts: job.attempts,
  };
  const about = { municipalityId: job.municipalityId, subjectId: job.deferralRequestId };
  switch (outcome.kind) {
    case 'done':
      return {
        ...about,
        type: 'writeback.succeeded',
        payload: {
          ...common,
          dueDate: outcome.change.dueDate,
          previousDueDate: outcome.change.previousDueDate,
          changedAt: outcome.change.changedAt,
          replayed: outcome.change.replayed,
        },
      };
    case 'handed_over':
      return {
        ...about,
        type: 'writeback.handed_over',
        payload: { ...common, newDueDate: job.newDueDate },
      };
    case 'failed':
      return {
        ...about,
        type: 'writeback.failed',
        payload: { ...common, newDueDate: job.newDueDate, error: outcome.error },
      };
  }
}
