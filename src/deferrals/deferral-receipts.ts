import type { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
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
}

/**
 * The decision's receipt by e-mail when the resident gave an address: queued in the transaction
 * that stores the decision and sent by the mail worker, so the resident never waits for SMTP and
 * a mail server that is down delays the receipt without failing or losing it.
 */
@Injectable()
export class DeferralReceipts {
  constructor(
    private readonly outbox: ReceiptOutbox,
    private readonly tenancy: TenancyService,
  ) {}

  /** Undefined when no receipt goes out: no address given, or e-mail is off. */
  async prepare(
    tenant: FinanceTenant,
    email: string | null | undefined,
    origin: string,
  ): Promise<ReceiptContext | undefined> {
    if (!email || !this.outbox.enabled) return undefined;
    const municipality = await this.tenancy.bySlug(tenant.slug);
    if (!municipality) return undefined;
    const { name, contactEmail, contactPhone } = municipality;
    return { municipality: { name, contactEmail, contactPhone }, origin };
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
    await this.outbox.enqueueMany(
      em,
      stored.flatMap(({ request, receipt, audit }) =>
        receipt && request.email
          ? [
              {
                municipalityId: request.municipalityId,
                // One letter per subject: the officer's decision is a second letter on the case.
                subjectId: request.decidedBy ? `${request.id}:decided` : request.id,
                to: request.email,
                letter: letterFor(request, receipt, audit),
              },
            ]
          : [],
      ),
    );
  }
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
