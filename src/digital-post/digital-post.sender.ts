import { type EntityManager, MikroORM } from '@mikro-orm/core';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuditService } from '../audit';
import { claimLeasedJobs } from '../database';
import { backoffDelayMs } from '../shared/backoff';
import { errorName, ReceiptLetterRenderer, type RenderedLetter } from '../mail';
import { IDENTITY_NUMBER_FORMAT } from '../shared/national-identity-number';
import { TenancyService } from '../tenancy';
import { DigitalLetterJob } from './digital-letter-job.entity';
import { type DigitalPostConfig, digitalPostConfig } from './digital-post.config';
import { DigitalPostError } from './digital-post.errors';
import { letterPdf } from './letter-pdf';
import {
  LETTER_SECRETS,
  LetterSettingsError,
  type SecretLookup,
  svarUtSettingsOf,
} from './letter-settings';
import { SvarUtClient } from './svarut.client';

const BATCH = 10;

/** SvarUt's id for the letter; `found` when an earlier attempt's forsendelse was found. */
interface Sent {
  shipmentId: string;
  found: boolean;
}

type Outcome =
  | { kind: 'sent'; shipmentId: string; found: boolean }
  | { kind: 'retry'; error: string; nextAttemptAt: Date }
  | { kind: 'failed'; error: string };

/**
 * One batch of digital letters: claim the due ones under a lease (`FOR UPDATE SKIP LOCKED` on
 * PostgreSQL), render each as a PDF, send it through SvarUt, and record the outcome with the
 * claim's `attempts` as fencing token, auditing both a letter sent (SvarUt's id for it) and one
 * given up on.
 *
 * No second letter, whatever SvarUt does with a repeated `eksternReferanse` (its documentation
 * promises neither a refusal nor the first forsendelse's id): every attempt after the first asks
 * SvarUt for the forsendelser under the letter's `eksternReferanse` before sending, and records
 * one it finds as the letter sent (`SvarUtClient.findByExternalReference`, SvarUt's documented
 * eksternRef lookup). Every retry, not only those after an unknown outcome (a time-out, a cut
 * connection, a 5xx): a worker that died after SvarUt took the letter recorded no error to tell
 * by. A lookup that fails sends nothing (retried). Left open, and not confirmed against SvarUt:
 * a forsendelse the lookup does not show yet (one still being received when the retry comes, as
 * after a time-out shorter than SvarUt's processing; or an index that lags), which is why the
 * lease and the backoff leave time between an attempt and the next.
 */
@Injectable()
export class DigitalPostSender {
  private readonly logger = new Logger('DigitalPost');
  private readonly leaseMs: number;

  constructor(
    private readonly orm: MikroORM,
    private readonly audit: AuditService,
    private readonly tenancy: TenancyService,
    private readonly renderer: ReceiptLetterRenderer,
    private readonly svarut: SvarUtClient,
    @Inject(LETTER_SECRETS) private readonly secrets: SecretLookup,
    @Inject(digitalPostConfig.KEY) private readonly config: DigitalPostConfig,
  ) {
    // A retry's lookup and a send are up to two calls each, each after a token request, all
    // bounded by the time-out: a lease shorter than that could let another worker take the letter
    // over while its send is still under way, too early for the lookup to see it.
    this.leaseMs = Math.max(120_000, 8 * config.timeoutMs);
  }

  /** Sends one batch of due letters; returns how many were claimed. */
  async runBatch(): Promise<number> {
    const jobs = await this.claim(new Date());
    await Promise.all(
      jobs.map(async (job) => {
        const attempt = job.attempts;
        const outcome = this.outcomeOf(await this.send(job), attempt);
        const what = `Letter ${job.externalReference} (attempt ${attempt})`;
        try {
          if (await this.record(job, attempt, outcome)) this.report(what, outcome);
          else this.logger.warn(`${what}: another worker took it over`);
        } catch (error) {
          // The job stays claimed; once its lease runs out it is tried again.
          this.logger.error(`${what}: outcome not recorded: ${errorName(error)}`);
        }
      }),
    );
    return jobs.length;
  }

  private claim(now: Date): Promise<DigitalLetterJob[]> {
    return claimLeasedJobs(this.orm.em.fork(), DigitalLetterJob, {
      now,
      leaseMs: this.leaseMs,
      limit: BATCH,
    });
  }

  /** SvarUt's id for the letter, or why it did not go; never throws. */
  private async send(job: DigitalLetterJob): Promise<Sent | DigitalPostError> {
    try {
      const municipality = await this.tenancy.byId(job.municipalityId);
      if (!municipality) return new DigitalPostError('no-municipality', false);
      if (!IDENTITY_NUMBER_FORMAT.test(job.identityNumber))
        return new DigitalPostError('invalid-identity-number', false);
      // Settings can be mended on the operators' page while the letter waits: retried.
      const settings = svarUtSettingsOf(municipality.slug, municipality.settings, this.secrets);
      if (job.attempts > 1) {
        const earlier = await this.svarut.findByExternalReference(settings, job.externalReference);
        if (earlier.length > 1)
          this.logger.warn(
            `Letter ${job.externalReference}: SvarUt has ${earlier.length} forsendelser under it`,
          );
        // Any of them is the letter; the list's order is not documented.
        if (earlier.length > 0) return { shipmentId: earlier[0], found: true };
      }
      let letter: RenderedLetter;
      try {
        letter = this.renderer.render(job.letter);
      } catch {
        return new DigitalPostError('invalid-letter', false);
      }
      const pdf = await letterPdf({
        language: letter.language,
        title: letter.subject,
        sender: municipality.name,
        text: letter.text,
      });
      const shipped = await this.svarut.send(settings, {
        title: letter.subject,
        identityNumber: job.identityNumber,
        externalReference: job.externalReference,
        fileName: `${job.externalReference.replace(/[^A-Za-z0-9-]/g, '-')}.pdf`,
        pdf,
      });
      return { shipmentId: shipped.shipmentId, found: false };
    } catch (error) {
      if (error instanceof DigitalPostError) return error;
      if (error instanceof LetterSettingsError) return new DigitalPostError('not-configured', true);
      return new DigitalPostError(`unexpected:${errorName(error)}`, true);
    }
  }

  private outcomeOf(result: Sent | DigitalPostError, attempt: number): Outcome {
    if (!(result instanceof DigitalPostError)) return { kind: 'sent', ...result };
    const error = result.code.slice(0, 200);
    if (!result.retryable || attempt >= this.config.outbox.maxAttempts)
      return { kind: 'failed', error };
    const { backoffBaseMs: baseMs, backoffCapMs: capMs } = this.config.outbox;
    const delayMs = backoffDelayMs(attempt, { baseMs, capMs });
    return { kind: 'retry', error, nextAttemptAt: new Date(Date.now() + delayMs) };
  }

  /** False when the claim is no longer current (its lease ran out and another worker took it). */
  private record(job: DigitalLetterJob, attempt: number, outcome: Outcome): Promise<boolean> {
    return this.orm.em.fork().transactional(async (em: EntityManager) => {
      const current = { id: job.id, status: 'in_progress' as const, attempts: attempt };
      const changes =
        outcome.kind === 'sent'
          ? {
              status: 'sent' as const,
              sentAt: new Date(),
              lockedUntil: null,
              lastError: null,
              shipmentId: outcome.shipmentId,
            }
          : outcome.kind === 'retry'
            ? {
                status: 'pending' as const,
                nextAttemptAt: outcome.nextAttemptAt,
                lockedUntil: null,
                lastError: outcome.error,
              }
            : { status: 'failed' as const, lockedUntil: null, lastError: outcome.error };
      const updated = await em.nativeUpdate(DigitalLetterJob, current, changes);
      if (updated === 0 || outcome.kind === 'retry') return updated > 0;
      await this.audit.append(em, {
        municipalityId: job.municipalityId,
        type: outcome.kind === 'sent' ? 'letter.sent' : 'letter.failed',
        subjectId: job.subjectId.split(':')[0],
        payload: {
          letterJobId: job.id,
          reference: job.letter.reference,
          channel: 'svarut',
          externalReference: job.externalReference,
          attempts: attempt,
          ...(outcome.kind === 'sent'
            ? { shipmentId: outcome.shipmentId, ...(outcome.found ? { found: true } : {}) }
            : { error: outcome.error }),
        },
      });
      return true;
    });
  }

  private report(what: string, outcome: Outcome): void {
    if (outcome.kind === 'sent' && outcome.found)
      this.logger.log(`${what}: found as ${outcome.shipmentId}, sent by an earlier attempt`);
    else if (outcome.kind === 'sent') this.logger.log(`${what}: sent as ${outcome.shipmentId}`);
    else if (outcome.kind === 'retry')
      this.logger.warn(
        `${what}: ${outcome.error}; retry at ${outcome.nextAttemptAt.toISOString()}`,
      );
    else this.logger.error(`${what}: failed for good (${outcome.error})`);
  }
}
