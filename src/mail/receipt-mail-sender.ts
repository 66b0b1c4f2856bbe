import { type EntityManager, MikroORM } from '@mikro-orm/core';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuditService } from '../audit';
import { claimLeasedJobs } from '../database';
import { backoffDelayMs } from '../shared/backoff';
import { errorName } from './error-name';
import { type MailConfig, mailConfig } from './mail.config';
import { describeLetter } from './letter-name';
import { MailService, type ReceiptSendResult } from './mail.service';
import { ReceiptMailJob } from './receipt-mail-job.entity';
import { domainOf } from './recipient-address';

const BATCH = 20;

type Outcome =
  | { kind: 'sent' }
  | { kind: 'retry'; error: string; nextAttemptAt: Date }
  | { kind: 'failed'; error: string };

/**
 * One batch of receipts: claim the due ones under a lease (`FOR UPDATE SKIP LOCKED` on
 * PostgreSQL, so instances share the work), send each, and record what happened with the claim's
 * `attempts` as fencing token. A receipt that finally fails is marked, with an audit entry, in
 * the same transaction: the resident was told an e-mail would come. Delivery is at least once:
 * an instance that dies after the server took a message but before recording it sends it again.
 */
@Injectable()
export class ReceiptMailSender {
  private readonly logger = new Logger('ReceiptMail');
  /** A send is bounded by SMTP_TIMEOUT_MS; the lease leaves room for the batch's recording too. */
  private readonly leaseMs: number;

  constructor(
    private readonly orm: MikroORM,
    private readonly mail: MailService,
    private readonly audit: AuditService,
    @Inject(mailConfig.KEY) private readonly config: MailConfig,
  ) {
    this.leaseMs = Math.max(60_000, 3 * config.timeoutMs);
  }

  /** Sends one batch of due receipts; returns how many were claimed. */
  async runBatch(): Promise<number> {
    const jobs = await this.claim(new Date());
    await Promise.all(
      jobs.map(async (job) => {
        const attempt = job.attempts;
        const outcome = this.outcomeOf(
          await this.mail.sendDeferralReceipt(job.recipient, job.letter),
          attempt,
        );
        try {
          if (await this.record(job, attempt, outcome)) this.report(job, attempt, outcome);
          else this.logger.warn(`${describeLetter(job.letter)}: another worker took it over`);
        } catch (error) {
          // The job stays claimed; once its lease runs out it is tried again.
          this.logger.error(
            `${describeLetter(job.letter)}: outcome not recorded: ${errorName(error)}`,
          );
        }
      }),
    );
    return jobs.length;
  }

  private claim(now: Date): Promise<ReceiptMailJob[]> {
    return claimLeasedJobs(this.orm.em.fork(), ReceiptMailJob, {
      now,
      leaseMs: this.leaseMs,
      limit: BATCH,
    });
  }

  private outcomeOf(result: ReceiptSendResult, attempt: number): Outcome {
    if (result.sent) return { kind: 'sent' };
    const error = `${result.reason}${result.detail ? `:${result.detail}` : ''}`.slice(0, 200);
    const final =
      result.reason !== 'smtp-failed' ||
      result.permanent ||
      attempt >= this.config.outbox.maxAttempts;
    if (final) return { kind: 'failed', error };
    const { backoffBaseMs: baseMs, backoffCapMs: capMs } = this.config.outbox;
    const delayMs = backoffDelayMs(attempt, { baseMs, capMs });
    return { kind: 'retry', error, nextAttemptAt: new Date(Date.now() + delayMs) };
  }

  /** False when the claim is no longer current (its lease ran out and another worker took it). */
  private async record(job: ReceiptMailJob, attempt: number, outcome: Outcome): Promise<boolean> {
    return this.orm.em.fork().transactional(async (em: EntityManager) => {
      const current = { id: job.id, status: 'in_progress' as const, attempts: attempt };
      const changes =
        outcome.kind === 'sent'
          ? { status: 'sent' as const, sentAt: new Date(), lockedUntil: null, lastError: null }
          : outcome.kind === 'retry'
            ? {
                status: 'pending' as const,
                nextAttemptAt: outcome.nextAttemptAt,
                lockedUntil: null,
                lastError: outcome.error,
              }
            : { status: 'failed' as const, lockedUntil: null, lastError: outcome.error };
      const updated = await em.nativeUpdate(ReceiptMailJob, current, changes);
      if (updated === 0 || outcome.kind !== 'failed') return updated > 0;
      await this.audit.append(em, {
        municipalityId: job.municipalityId,
        type: 'receipt.failed',
        subjectId: job.subjectId,
        payload: {
          mailJobId: job.id,
          reference: job.letter.reference,
          attempts: attempt,
          error: outcome.error,
        },
      });
      return true;
    });
  }

  private report(job: ReceiptMailJob, attempt: number, outcome: Outcome): void {
    const what = `${describeLetter(job.letter)} to an address at ${domainOf(job.recipient)}, attempt ${attempt}`;
    if (outcome.kind === 'sent') this.logger.log(`${what}: sent`);
    else if (outcome.kind === 'retry')
      this.logger.warn(
        `${what}: ${outcome.error}; retry at ${outcome.nextAttemptAt.toISOString()}`,
      );
    else this.logger.error(`${what}: failed for good (${outcome.error})`);
  }
}
