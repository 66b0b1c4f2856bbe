import { EntityManager, MikroORM } from '@mikro-orm/core';
import { Injectable, Logger } from '@nestjs/common';
import { AuditService } from '../audit';
import { GroupCommit, type ItemResult } from '../database';
import { writebackAuditEntry } from './writeback-audit-entry';
import { WritebackJob } from './writeback-job.entity';
import type { WritebackOutcome } from './writeback-outcome';
import { describeError } from './describe-error';

export interface RecordedOutcome {
  readonly job: WritebackJob;
  readonly outcome: WritebackOutcome;
}

/** Called in the transaction that records outcomes; whatever it persists on `em` commits with them. */
export type WritebackOutcomesListener = (
  recorded: readonly RecordedOutcome[],
  em: EntityManager,
) => Promise<void>;

interface PendingRecord {
  job: WritebackJob;
  /** The claim's fencing token. */
  attempt: number;
  outcome: WritebackOutcome;
}

/**
 * Records what each attempt came to, with the audit entry of every final outcome, in one
 * transaction. Nothing here unsubscribes at shutdown: the entries are written by the recording
 * itself, so the last batch the worker records while stopping is audited like any other.
 */
@Injectable()
export class WritebackRecorder {
  private readonly logger = new Logger('WritebackWorker');
  private readonly listeners: WritebackOutcomesListener[] = [];
  /**
   * Outcomes that arrive while a record transaction runs go together in the next: a batch of
   * answers costs one commit (and one lock of each audit chain head) instead of one per job.
   */
  private readonly commits = new GroupCommit<PendingRecord, boolean>(
    (records) => this.recordMany(records),
    { maxBatch: 200, concurrency: 1 },
  );

  constructor(
    private readonly orm: MikroORM,
    private readonly audit: AuditService,
  ) {}

  /** Records one attempt's outcome and logs it; a failure to record is logged, never thrown. */
  async record(job: WritebackJob, attempt: number, outcome: WritebackOutcome): Promise<void> {
    try {
      const recorded = await this.commits.submit({ job, attempt, outcome });
      this.report(job.id, attempt, outcome, recorded);
    } catch (error) {
      // The job stays in progress; once its lease runs out it is tried again, under the same key.
      this.logger.error(`Write-back ${job.id}: outcome not recorded: ${describeError(error)}`);
    }
  }

  /** Resolves once every outcome submitted so far is recorded (or failed to be). */
  drained(): Promise<void> {
    return this.commits.drained();
  }

  /** Registers a listener for each transaction's recorded outcomes; returns a function that removes it. */
  onOutcomes(listener: WritebackOutcomesListener): () => void {
    this.listeners.push(listener);
    return () => {
      const index = this.listeners.indexOf(listener);
      if (index >= 0) this.listeners.splice(index, 1);
    };
  }

  /**
   * Only the claim that is still current may record: `attempts` is the fencing token, so a worker
   * whose lease ran out and whose job was taken over cannot overwrite the newer claim's result.
   */
  private async recordMany(records: PendingRecord[]): Promise<ItemResult<boolean>[]> {
    const recorded = await this.orm.em.fork().transactional(async (em) => {
      const flags: boolean[] = [];
      for (const { job, attempt, outcome } of records) {
        const changes = changesFor(outcome);
        const updated = await em.nativeUpdate(
          WritebackJob,
          { id: job.id, status: 'in_progress', attempts: attempt },
          // A copy: the update may rewrite what it is given; the job gets the values as made.
          { ...changes },
        );
        flags.push(updated > 0);
        // The audit entry and listeners see the job as it now stands in the database.
        if (updated > 0) Object.assign(job, changes);
      }
      const current = records.filter((_, i) => flags[i]);
      await this.audit.appendMany(
        em,
        current.flatMap(({ job, outcome }) =>
          outcome.kind === 'retry' ? [] : [writebackAuditEntry(job, outcome)],
        ),
      );
      if (current.length > 0) for (const listener of this.listeners) await listener(current, em);
      return flags;
    });
    return recorded.map((value) => ({ ok: true, value }));
  }

  private report(jobId: string, attempt: number, outcome: WritebackOutcome, recorded: boolean) {
    const what = `Write-back ${jobId} attempt ${attempt}`;
    if (!recorded) {
      this.logger.warn(`${what}: ${outcome.kind}, not recorded: another worker took the job over`);
    } else if (outcome.kind === 'done') {
      this.logger.log(`${what}: done${outcome.change.replayed ? ' (replayed)' : ''}`);
    } else if (outcome.kind === 'handed_over') {
      this.logger.log(`${what}: handed over to the finance team (no write path)`);
    } else if (outcome.kind === 'retry') {
      this.logger.warn(
        `${what}: ${outcome.error}; retry at ${outcome.nextAttemptAt.toISOString()}`,
      );
    } else {
      this.logger.error(`${what}: failed (${outcome.error}); left for an officer`);
    }
  }
}

function changesFor(outcome: WritebackOutcome): Partial<WritebackJob> {
  switch (outcome.kind) {
    case 'done':
      return {
        status: 'done',
        result: outcome.change,
        completedAt: new Date(),
        lockedUntil: null,
        lastError: null,
      };
    case 'handed_over':
      return {
        status: 'handed_over',
        handedOverAt: new Date(),
        lockedUntil: null,
        lastError: null,
      };
    case 'retry':
      return {
        status: 'pending',
        nextAttemptAt: outcome.nextAttemptAt,
        lockedUntil: null,
        lastError: outcome.error,
      };
    case 'failed':
      return {
        status: 'failed',
        lockedUntil: null,
        lastError: outcome.error,
        failedAt: new Date(),
      };
  }
}
