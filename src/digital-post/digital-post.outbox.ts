import type { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { afterCommit, insertRows } from '../database';
import type { LetterState, ResidentLetter } from '../mail';
import { DigitalLetterJob } from './digital-letter-job.entity';
import { DigitalPostWorker } from './digital-post.worker';
import { type LetterChannel, letterChannelOf } from './letter-settings';

export interface QueuedDigitalLetter {
  municipalityId: string;
  /** One letter per subject, as in the e-mail outbox (the request id, `<id>:decided`, …). */
  subjectId: string;
  /** The resident's identity number: the letter's address. */
  identityNumber: string;
  letter: ResidentLetter & { reference: string };
}

/**
 * Letters through digital post, for municipalities whose `settings.letters.channel` says so:
 * queued with the change they tell of and sent by `DigitalPostWorker`. Other features see a
 * letter channel here, never the service behind it.
 */
@Injectable()
export class DigitalPostOutbox {
  constructor(private readonly worker: DigitalPostWorker) {}

  /** How the municipality's decision letters go: by e-mail (when given) or as digital post. */
  channelOf(settings: Record<string, unknown>): LetterChannel {
    return letterChannelOf(settings);
  }

  /**
   * Inserts the letters in the caller's transaction, which must be open; wakes the worker after.
   * A letter that cannot go (an identity number SvarUt would refuse) fails in the worker, audited,
   * never the decision it tells of.
   */
  async enqueueMany(em: EntityManager, letters: readonly QueuedDigitalLetter[]): Promise<void> {
    if (!em.isInTransaction())
      throw new TypeError('enqueueMany must run inside the transaction that stores the decisions');
    if (letters.length === 0) return;
    const jobs = letters.map((l) =>
      em.create(
        DigitalLetterJob,
        {
          municipalityId: l.municipalityId,
          subjectId: l.subjectId,
          externalReference: externalReferenceOf(l.letter.reference, l.subjectId),
          identityNumber: l.identityNumber,
          letter: l.letter,
        },
        { persist: false },
      ),
    );
    await insertRows(em, DigitalLetterJob, jobs);
    afterCommit(em, () => this.worker.wake());
  }

  /** The letter about `subjectId`, if one was queued: on its way, sent, or given up on. */
  async stateOf(em: EntityManager, subjectId: string): Promise<LetterState | null> {
    const job = await em.findOne(
      DigitalLetterJob,
      { subjectId },
      { fields: ['status', 'sentAt'], disableIdentityMap: true },
    );
    if (!job) return null;
    if (job.status === 'sent' && job.sentAt) return { state: 'sent', sentAt: job.sentAt };
    return job.status === 'failed'
      ? { state: 'failed', sentAt: null }
      : { state: 'sending', sentAt: null };
  }

  /** Which of these subjects still have a letter on its way (their data must stay). */
  async unsent(em: EntityManager, subjectIds: readonly string[]): Promise<Set<string>> {
    const busy = new Set<string>();
    for (let i = 0; i < subjectIds.length; i += 1000) {
      const rows = await em.find(
        DigitalLetterJob,
        {
          subjectId: { $in: subjectIds.slice(i, i + 1000) },
          status: { $in: ['pending', 'in_progress'] },
        },
        { fields: ['subjectId'], disableIdentityMap: true },
      );
      for (const row of rows) busy.add(row.subjectId);
    }
    return busy;
  }

  /**
   * Deletes the sent or failed letters about these subjects in the caller's transaction (the
   * retention job's): each holds an identity number. Letters still on their way are kept.
   */
  async discard(em: EntityManager, subjectIds: readonly string[]): Promise<number> {
    if (!em.isInTransaction())
      throw new TypeError('discard must run inside the transaction that removes the data');
    let deleted = 0;
    for (let i = 0; i < subjectIds.length; i += 1000)
      deleted += await em.nativeDelete(DigitalLetterJob, {
        subjectId: { $in: subjectIds.slice(i, i + 1000) },
        status: { $in: ['sent', 'failed'] },
      });
    return deleted;
  }
}

/**
 * `UTS-2026-000123:receipt`, `UTS-2026-000123:decided`: the case's reference (which the resident
 * and the municipality's staff know) and which letter of the case it is. Stable across retries.
 */
export function externalReferenceOf(reference: string, subjectId: string): string {
  const colon = subjectId.indexOf(':');
  const which = colon < 0 ? 'receipt' : subjectId.slice(colon + 1);
  return `${reference}:${which}`.slice(0, 120);
}
