import { MikroORM } from '@mikro-orm/core';
import { Inject, Injectable } from '@nestjs/common';
import { FinanceNotFoundError, FinanceSystem } from '../finance';
import type { FinanceTenant } from '../finance';
import { Municipality } from '../tenancy';
import { claimDueJobs } from './writeback-claim';
import { WritebackJob } from './writeback-job.entity';
import {
  attemptsSinceRetry,
  failureOutcome,
  type RetryPolicy,
  type WritebackOutcome,
} from './writeback-outcome';
import { WritebackRecorder } from './writeback-recorder';
import { type WritebackConfig, writebackConfig } from './writeback.config';

/**
 * One batch: claims the due jobs under a lease, calls `setDueDate` with each job's idempotency
 * key (or, for a municipality whose finance system cannot write due dates, hands the job over to
 * its finance team) and hands every outcome to the recorder. A worker that dies mid-call leaves its jobs in
 * progress; when their lease runs out another worker (or this one, restarted) takes them over,
 * and the idempotency key keeps the finance system from applying a change twice.
 */
@Injectable()
export class WritebackProcessor {
  private readonly retryPolicy: RetryPolicy;

  constructor(
    private readonly orm: MikroORM,
    private readonly finance: FinanceSystem,
    private readonly recorder: WritebackRecorder,
    @Inject(writebackConfig.KEY) private readonly config: WritebackConfig,
  ) {
    this.retryPolicy = {
      baseMs: config.backoffBaseMs,
      capMs: config.backoffCapMs,
      maxAttempts: config.maxAttempts,
    };
  }

  /** Processes one batch of due jobs; returns how many were claimed. */
  async runBatch(): Promise<number> {
    const jobs = await claimDueJobs(this.orm.em.fork(), {
      now: new Date(),
      limit: this.config.batchSize,
      leaseMs: this.config.leaseMs,
      claimant: this.config.instanceId,
    });
    if (jobs.length === 0) return 0;
    const tenants = await this.tenantsOf(jobs);
    // Side by side, so the batch takes as long as its slowest call, well within one lease.
    await Promise.all(jobs.map((job) => this.process(job, tenants.get(job.municipalityId))));
    return jobs.length;
  }

  private async tenantsOf(jobs: WritebackJob[]): Promise<Map<string, FinanceTenant>> {
    const ids = [...new Set(jobs.map((job) => job.municipalityId))];
    const rows = await this.orm.em.fork().find(Municipality, { id: { $in: ids } });
    return new Map(
      rows.map((m) => [m.id, { id: m.id, slug: m.slug, settings: { ...m.settings } }]),
    );
  }

  private async process(job: WritebackJob, tenant: FinanceTenant | undefined): Promise<void> {
    // Read before anything awaits: the claim's fencing token.
    const attempt = job.attempts;
    let outcome: WritebackOutcome;
    try {
      if (!tenant) throw new FinanceNotFoundError('municipality');
      // Retention clears the number of finished jobs only (and a retry refuses those): never here.
      if (job.pid === null) throw new TypeError('the resident of this job was removed');
      if (!this.finance.capabilities(tenant).writesDueDates) {
        // Nothing to send: the finance team registers the date, and a later read confirms it.
        outcome = { kind: 'handed_over' };
      } else {
        const change = await this.finance.setDueDate(tenant, {
          invoiceId: job.invoiceId,
          pid: job.pid,
          newDueDate: job.newDueDate,
          idempotencyKey: job.idempotencyKey,
          reason: job.reason,
        });
        outcome = { kind: 'done', change };
      }
    } catch (error) {
      const counted = attemptsSinceRetry({
        attempts: attempt,
        retryBaseAttempts: job.retryBaseAttempts,
      });
      outcome = failureOutcome(error, counted, this.retryPolicy, new Date());
    }
    await this.recorder.record(job, attempt, outcome);
  }
}
