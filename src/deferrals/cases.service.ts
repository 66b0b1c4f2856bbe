import { type EntityManager, MikroORM } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { AuditService, saltedSha256 } from '../audit';
import { DigitalPostOutbox } from '../digital-post';
import { ReceiptOutbox } from '../mail';
import { TenancyService } from '../tenancy';
import { type WritebackJobView, WritebackService, type WritebackStatus } from '../writeback';
import { CaseMessage } from './case-message.entity';
import { caseSettingsOf } from './case-work/case-settings';
import { DeferralRequest } from './deferral-request.entity';
import { subjectOf } from './deferral-receipts';
import { auditSaltFor } from './personal-data/audit-salt';

export const OFFICER_MESSAGE_MAX = 1000;

export type WritebackState =
  | 'waiting'
  | 'done'
  | 'failed'
  | 'resolved_by_hand'
  | 'handed_over'
  | 'not_needed'
  | 'not_applicable';

/** What the resident is told of each write-back status; a date registered by hand reads alike. */
const WRITEBACK_STATE: Readonly<Record<WritebackStatus, WritebackState>> = {
  pending: 'waiting',
  in_progress: 'waiting',
  done: 'done',
  failed: 'failed',
  resolved_by_hand: 'resolved_by_hand',
  handed_over: 'handed_over',
  registered_by_hand: 'resolved_by_hand',
  not_needed: 'not_needed',
};

export interface CaseView {
  request: DeferralRequest;
  writeback: WritebackState;
  writebackCompletedAt: Date | null;
  /** The resident may ask a person to look at it (an automatic rejection), or add their message (manual review). */
  canSendToOfficer: boolean;
  /** The officer asked a question and waits for the resident's answer. */
  canAnswer: boolean;
  messages: CaseMessage[];
  /** The municipality's usual answer time for cases with a person, in days. */
  usualAnswerDays: number;
  /** Where the case's latest receipt went by e-mail; only on the case's own page. */
  receipt?: ReceiptView;
}

/**
 * The address the resident gave (null: none) and what became of the receipt to it: on its way,
 * sent, given up on, or never queued (e-mail off when the decision was made).
 */
export type ReceiptView =
  | { to: null }
  | { to: string; state: 'sending' | 'sent' | 'failed' | 'not_sent'; sentAt: Date | null }
  | { to: 'digital-post'; state: 'sending' | 'sent' | 'failed'; sentAt: Date | null };

/** "Mine saker": a resident's own requests, their decisions and how the write-back is going. */
@Injectable()
export class CasesService {
  constructor(
    private readonly orm: MikroORM,
    private readonly writeback: WritebackService,
    private readonly audit: AuditService,
    private readonly tenancy: TenancyService,
    private readonly outbox: ReceiptOutbox,
    private readonly digitalPost: DigitalPostOutbox,
  ) {}

  async list(municipalityId: string, pid: string): Promise<CaseView[]> {
    const requests = await this.orm.em
      .fork()
      .find(
        DeferralRequest,
        { municipalityId, pid },
        { orderBy: { createdAt: 'desc' }, limit: 200 },
      );
    return this.withWriteback(municipalityId, requests, new Map());
  }

  async get(municipalityId: string, pid: string, reference: string): Promise<CaseView | null> {
    const em = this.orm.em.fork();
    const request = await em.findOne(DeferralRequest, { municipalityId, pid, reference });
    if (!request) return null;
    const messages = await em.find(
      CaseMessage,
      { deferralRequestId: request.id },
      { orderBy: { createdAt: 'asc', id: 'asc' } },
    );
    const [view] = await this.withWriteback(
      municipalityId,
      [request],
      new Map([[request.id, messages]]),
    );
    return { ...view, receipt: await this.receiptOf(em, request) };
  }

  /**
   * The receipt of the latest decision: an officer's has a letter of its own (`:decided`). Where
   * the municipality sends decision letters as digital post, that letter, address or not.
   */
  private async receiptOf(em: EntityManager, request: DeferralRequest): Promise<ReceiptView> {
    const subject = subjectOf(request);
    const digital = await this.digitalPost.stateOf(em, subject);
    if (digital) return { to: 'digital-post', ...digital };
    if (!request.email) return { to: null };
    const letter = await this.outbox.stateOf(em, subject);
    return letter
      ? { to: request.email, ...letter }
      : { to: request.email, state: 'not_sent', sentAt: null };
  }

  /**
   * Hands an automatic rejection to a person with the resident's message, or adds the message to a
   * case the policy sent to review. Returns false when that is not possible (approved, decided by
   * a person, already sent); the message is kept as given. Audited with a hash of the message.
   */
  async sendToOfficer(
    municipalityId: string,
    pid: string,
    reference: string,
    message: string,
  ): Promise<boolean> {
    return this.orm.em.fork().transactional(async (em) => {
      const request = await em.findOne(DeferralRequest, { municipalityId, pid, reference });
      if (!request) return false;
      const now = new Date();
      const updated = await em.nativeUpdate(
        DeferralRequest,
        {
          id: request.id,
          $or: [
            { status: 'decided', outcome: 'rejected', decidedBy: null },
            { status: 'awaiting_officer', outcome: 'manual_review', officerMessage: null },
          ],
        },
        request.status === 'decided'
          ? { status: 'awaiting_officer', officerMessage: message, sentToOfficerAt: now }
          : { officerMessage: message },
      );
      if (updated !== 1) return false;
      await this.audit.append(em, {
        municipalityId,
        type: 'case.sent_to_officer',
        subjectId: request.id,
        payload: {
          reference,
          by: 'resident',
          // The message is kept with the case; the entry ties it to the chain without copying it,
          // by a hash under the request's salt, which the retention job removes with the message.
          messageSha256: saltedSha256(await auditSaltFor(em, request), message),
          previousStatus: request.status,
        },
      });
      return true;
    });
  }

  /** The resident's answer to the officer's question: the case goes back to that officer. */
  async answer(
    municipalityId: string,
    pid: string,
    reference: string,
    text: string,
  ): Promise<boolean> {
    return this.orm.em.fork().transactional(async (em) => {
      const request = await em.findOne(DeferralRequest, { municipalityId, pid, reference });
      if (!request) return false;
      const now = new Date();
      const updated = await em.nativeUpdate(
        DeferralRequest,
        { id: request.id, status: 'awaiting_resident' },
        { status: 'taken', takenAt: now },
      );
      if (updated !== 1) return false;
      const message = em.create(CaseMessage, {
        municipalityId,
        deferralRequestId: request.id,
        author: 'resident',
        text,
        createdAt: now,
      });
      await em.insertMany(CaseMessage, [message]);
      await this.audit.append(em, {
        municipalityId,
        type: 'case.resident_answered',
        subjectId: request.id,
        payload: {
          reference,
          by: 'resident',
          messageId: message.id,
          messageSha256: saltedSha256(await auditSaltFor(em, request), text),
          heldBy: request.takenBy,
        },
      });
      return true;
    });
  }

  private async withWriteback(
    municipalityId: string,
    requests: DeferralRequest[],
    messages: Map<string, CaseMessage[]>,
  ): Promise<CaseView[]> {
    const approved = requests.filter((r) => r.outcome === 'approved').map((r) => r.id);
    const [jobs, municipality] = await Promise.all([
      approved.length
        ? this.writeback.jobsFor(municipalityId, approved)
        : new Map<string, WritebackJobView>(),
      this.tenancy.byId(municipalityId),
    ]);
    const { usualAnswerDays } = caseSettingsOf(municipality?.settings ?? {});
    return requests.map((request) => {
      const job = jobs.get(request.id);
      const writeback: WritebackState =
        request.outcome !== 'approved'
          ? 'not_applicable'
          : !job
            ? 'waiting'
            : WRITEBACK_STATE[job.status];
      return {
        request,
        writeback,
        writebackCompletedAt: job?.completedAt ?? null,
        canSendToOfficer:
          (request.status === 'decided' &&
            request.outcome === 'rejected' &&
            request.decidedBy === null) ||
          (request.status === 'awaiting_officer' &&
            request.outcome === 'manual_review' &&
            request.officerMessage === null),
        canAnswer: request.status === 'awaiting_resident',
        messages: messages.get(request.id) ?? [],
        usualAnswerDays,
      };
    });
  }
}
