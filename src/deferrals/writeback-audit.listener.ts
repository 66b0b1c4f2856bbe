import { Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { type AuditAppend, AuditService } from '../audit/audit.service';
import type { WritebackJob } from '../writeback/writeback-job.entity';
import type { WritebackOutcome } from '../writeback/writeback-outcome';
import { WritebackWorker } from '../writeback/writeback.worker';

/**
 * Completes each automated decision's record: when its write-back succeeds or finally fails, an
 * audit entry says so, in the same transaction as the job's outcome. Retries are not audited.
 */
@Injectable()
export class WritebackAuditListener implements OnModuleInit, OnApplicationShutdown {
  private unsubscribe?: () => void;

  constructor(
    private readonly worker: WritebackWorker,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.worker.onOutcomes(async (recorded, em) => {
      const final = recorded.filter((r): r is FinalOutcome => r.outcome.kind !== 'retry');
      await this.audit.appendMany(
        em,
        final.map(({ job, outcome }) => entryFor(job, outcome)),
      );
    });
  }

  /**
   * Not in `onModuleDestroy`: Nest destroys this module before the write-back module, whose
   * destroy hook waits for the batch in flight, and that batch's outcomes need their entries.
   * Application shutdown hooks run after every destroy hook.
   */
  onApplicationShutdown(): void {
    this.unsubscribe?.();
  }
}

type FinalOutcome = {
  job: WritebackJob;
  outcome: Exclude<WritebackOutcome, { kind: 'retry' }>;
};

function entryFor(job: WritebackJob, outcome: FinalOutcome['outcome']): AuditAppend {
  return {
    municipalityId: job.municipalityId,
    type: outcome.kind === 'done' ? 'writeback.succeeded' : 'writeback.failed',
    subjectId: job.deferralRequestId,
    payload:
      outcome.kind === 'done'
        ? {
            jobId: job.id,
            invoiceId: job.invoiceId,
            idempotencyKey: job.idempotencyKey,
            attempts: job.attempts,
            dueDate: outcome.change.dueDate,
            previousDueDate: outcome.change.previousDueDate,
            changedAt: outcome.change.changedAt,
            replayed: outcome.change.replayed,
          }
        : {
            jobId: job.id,
            invoiceId: job.invoiceId,
            idempotencyKey: job.idempotencyKey,
            attempts: job.attempts,
            newDueDate: job.newDueDate,
            error: outcome.error,
          },
  };
}
