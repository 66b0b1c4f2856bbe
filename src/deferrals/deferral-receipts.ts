import type { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { DigitalPostOutbox, type LetterChannel } from '../digital-post';
import type { FinanceTenant } from '../finance';
import type { DeferralReceiptLetter, LetterLanguage } from '../mail';
import { ReceiptOutbox } from '../mail';
import { todayInNorway } from '../shared/calendar-date';
import { TenancyService } from '../tenancy';
import { noticesStillTrue } from './case-notices';
import type { DeferralRequest } from './deferral-request.entity';

/** What a receipt needs besides its decision, looked up before the decision is stored. */
export interface ReceiptContext {
  municipality: DeferralReceiptLetter['municipality'];
  /** The site's origin as the resident reached it, for the link to the case. */
  origin: string;
  /**
   * The municipality's letter channel: e-mail (to the address given, if any), or digital post
   * to the resident's identity number, whether or not they gave an address.
   */
  channel: LetterChannel;
}

/**
 * The decision's receipt: by e-mail when the resident gave an address, or, where the municipality
 * sends decision letters as digital post, to the resident's identity number. Either way queued in
 * the transaction that stores the decision and sent by a worker, so the resident never waits for
 * the mail server or the digital post service, and one that is down delays the letter without
 * failing or losing it.
 */
@Injectable()
export class DeferralReceipts {
  constructor(
    private readonly outbox: ReceiptOutbox,
    private readonly tenancy: TenancyService,
    private readonly digitalPost: DigitalPostOutbox,
  ) {}

  /**
   * Undefined when no receipt goes out: e-mail is the channel and no address was given, or
   * e-mail is off.
   */
  async prepare(
    tenant: FinanceTenant,
    email: string | null | undefined,
    origin: string,
  ): Promise<ReceiptContext | undefined> {
    const channel = this.digitalPost.channelOf(tenant.settings);
    if (channel === 'email' && (!email || !this.outbox.enabled)) return undefined;
    const municipality = await this.tenancy.bySlug(tenant.slug);
    if (!municipality) return undefined;
    const { name, contactEmail, contactPhone } = municipality;
    return { municipality: { name, contactEmail, contactPhone }, origin, channel };
  }

  /**
   * Queues the receipts of decisions being stored, in the transaction that stores them, each
   * naming the decision's audit entry (appended first in that transaction).
   */
  async enqueue(
    em: EntityManager,
    stored: readonly {
      request: DeferralRequest;
      receipt?: ReceiptContext;
      audit: AuditEntryName;
    }[],
  ): Promise<void> {
    await this.digitalPost.enqueueMany(
      em,
      stored.flatMap(({ request, receipt, audit }) =>
        receipt?.channel === 'digital-post' && request.pid
          ? [
              {
                municipalityId: request.municipalityId,
                subjectId: subjectOf(request),
                identityNumber: request.pid,
                letter: letterFor(request, receipt, audit),
              },
            ]
          : [],
      ),
    );
    await this.outbox.enqueueMany(
      em,
      stored.flatMap(({ request, receipt, audit }) =>
        receipt?.channel === 'email' && request.email
          ? [
              {
                municipalityId: request.municipalityId,
                subjectId: subjectOf(request),
                to: request.email,
                letter: letterFor(request, receipt, audit),
              },
            ]
          : [],
      ),
    );
  }
}

/** One letter per subject: the officer's decision is a second letter on the case. */
export function subjectOf(request: Pick<DeferralRequest, 'id' | 'decidedBy'>): string {
  return request.decidedBy ? `${request.id}:decided` : request.id;
}

/** The decision's audit entry as a receipt names it. */
export interface AuditEntryName {
  readonly seq: number;
  readonly hash: string;
}

function letterFor(
  request: DeferralRequest,
  context: ReceiptContext,
  audit: AuditEntryName,
): DeferralReceiptLetter {
  const language = (
    ['nb', 'nn', 'en'].includes(request.language) ? request.language : 'nb'
  ) as LetterLanguage;
  return {
    language,
    municipality: context.municipality,
    outcome: request.outcome,
    invoice: {
      number: request.invoiceNumber,
      title: request.invoiceTitle,
      amountOre: request.amountOre,
    },
    originalDueDate: request.originalDueDate,
    newDueDate: request.newDueDate,
    reasons: request.reasons.map((r) => r.text[language]),
    // As on the case page: none once an officer has decided, and no promise of a date gone by.
    notices: noticesStillTrue(request, todayInNorway()).map((n) => n.text[language]),
    reference: request.reference,
    caseUrl: `${context.origin}/saker/${request.reference}`,
    decidedBy: request.decidedBy ? 'officer' : 'policy',
    officerReason: request.officerReason,
    audit: { seq: audit.seq, hash: audit.hash },
  };
}
