import type { EntityManager } from '@mikro-orm/core';
import { Inject, Injectable } from '@nestjs/common';
import { afterCommit, insertRows } from '../database';
import type { ResidentLetter } from './case-question-letter';
import { type MailConfig, mailConfig } from './mail.config';
import { ReceiptMailJob } from './receipt-mail-job.entity';
import { ReceiptMailWorker } from './receipt-mail.worker';

/** Where one letter stands, for the resident's page: on its way, sent (when), or given up on. */
export type LetterState =
  | { state: 'sending'; sentAt: null }
  | { state: 'sent'; sentAt: Date }
  | { state: 'failed'; sentAt: null };

export interface QueuedReceipt {
  municipalityId: string;
  /**
   * What the letter is about, e.g. the deferral request id; named in a failure's audit entry. One
   * job per subject (a unique column), so a case's later letters need subjects of their own.
   */
  subjectId: string;
  to: string;
  /** A receipt of a decision, or an officer's question (`kind: 'case-question'`). */
  letter: ResidentLetter;
}

/**
 * Letters to residents are queued with the change they tell of (a decision, an officer's question)
 * and sent by `ReceiptMailWorker`.
 */
@Injectable()
export class ReceiptOutbox {
  constructor(
    @Inject(mailConfig.KEY) private readonly config: MailConfig,
    private readonly worker: ReceiptMailWorker,
  ) {}

  /** Whether receipts are e-mailed at all (SMTP_URL is set); if not, `enqueueMany` queues nothing. */
  get enabled(): boolean {
    return this.config.enabled;
  }

  /** The letter queued about `subjectId`, if one was (e-mail on and an address given). */
  async stateOf(em: EntityManager, subjectId: string): Promise<LetterState | null> {
    const job = await em.findOne(
      ReceiptMailJob,
      { subjectId },
      { fields: ['status', 'sentAt'], disableIdentityMap: true },
    );
    if (!job) return null;
    if (job.status === 'sent' && job.sentAt) return { state: 'sent', sentAt: job.sentAt };
    return job.status === 'failed'
      ? { state: 'failed', sentAt: null }
      : { state: 'sending', sentAt: null };
  }

  /**
   * Inserts the receipts at once in the caller's transaction, which must be open; the worker is
   * woken when it commits.
   */
  async enqueueMany(em: EntityManager, receipts: readonly QueuedReceipt[]): Promise<void> {
    if (!em.isInTransaction())
      throw new TypeError('enqueueMany must run inside the transaction that stores the decisions');
    if (!this.enabled || receipts.length === 0) return;
    const jobs = receipts.map((receipt) =>
      em.create(
        ReceiptMailJob,
        {
          municipalityId: receipt.municipalityId,
          subjectId: receipt.subjectId,
          recipient: receipt.to,
          letter: receipt.letter,
        },
        { persist: false },
      ),
    );
    await insertRows(em, ReceiptMailJob, jobs);
    afterCommit(em, () => this.worker.wake());
  }

  /**
   * Deletes the letters about these subjects, sent or not, in the caller's transaction (the
   * retention job's): a letter holds the resident's address and the texts sent to them. Returns
   * how many there were.
   */
  async discard(em: EntityManager, subjectIds: readonly string[]): Promise<number> {
    if (!em.isInTransaction())
      throw new TypeError('discard must run inside the transaction that removes the data');
    let deleted = 0;
    // In slices, to stay well below the databases' limits on parameters in one statement.
    for (let i = 0; i < subjectIds.length; i += 1000)
      deleted += await em.nativeDelete(ReceiptMailJob, {
        subjectId: { $in: subjectIds.slice(i, i + 1000) },
      });
    return deleted;
  }
}
