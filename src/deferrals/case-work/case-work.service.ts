import { EntityManager, MikroORM } from '@mikro-orm/core';
import { Injectable, Logger } from '@nestjs/common';
import { AuditService, saltedSha256 } from '../../audit';
import type { AuditAppend } from '../../audit';
import { ReceiptOutbox } from '../../mail';
import { TenancyService } from '../../tenancy';
import { WritebackService } from '../../writeback';
import { CaseMessage } from '../case-message.entity';
import { caseSettingsOf } from './case-settings';
import { DeferralRequest, OPEN_CASE_STATUSES, residentPidOf } from '../deferral-request.entity';
import { DeferralReceipts } from '../deferral-receipts';
import { caseQuestionLetter } from './case-question-letter';
import { officerDecisionPayload } from './officer-decision-payload';
import { auditSaltFor } from '../personal-data/audit-salt';

/** Who acts on a case: the member of staff's `staff:<sub>` and the name their provider gave. */
export interface CaseActor {
  actor: string;
  name?: string;
}

export type CaseActionRefusal =
  /** No such case in the municipalities the officer serves. */
  | 'not_found'
  /** The case is not in a state this step is for (decided already, waiting for the resident…). */
  | 'wrong_state'
  /** Another officer holds it (and their claim is not stale, or the takeover named someone else). */
  | 'held_by_other';

export type CaseActionResult = { ok: true } | { ok: false; refusal: CaseActionRefusal };

/** A case with its messages, for the officer's page. */
export interface OfficerCase {
  request: DeferralRequest;
  messages: CaseMessage[];
}

/**
 * The officer's side of a case that needs a person: the queue, taking a case (one officer at a
 * time; a stale claim may be taken over), deciding it (approval with any due date, through the
 * same write-back outbox; rejection with a reason the resident reads), or asking the resident.
 *
 * Every step is one conditional UPDATE naming the state it expects, so two officers acting at the
 * same moment cannot both succeed: the database lets one UPDATE match and the other find the row
 * changed. Each step's audit entry, e-mail and write-back job commit in the same transaction.
 */
@Injectable()
export class CaseWorkService {
  private readonly logger = new Logger('CaseWork');

  constructor(
    private readonly orm: MikroORM,
    private readonly audit: AuditService,
    private readonly writeback: WritebackService,
    private readonly receipts: DeferralReceipts,
    private readonly outbox: ReceiptOutbox,
    private readonly tenancy: TenancyService,
  ) {}

  /** The open cases of these municipalities, the longest waiting first. */
  async queue(municipalityIds: readonly string[], limit = 2000): Promise<DeferralRequest[]> {
    if (municipalityIds.length === 0) return [];
    return this.orm.em
      .fork()
      .find(
        DeferralRequest,
        { municipalityId: { $in: [...municipalityIds] }, status: { $in: [...OPEN_CASE_STATUSES] } },
        { orderBy: { sentToOfficerAt: 'asc', createdAt: 'asc' }, limit },
      );
  }

  /** A case of one of these municipalities, open or decided, with its messages. */
  async find(municipalityIds: readonly string[], id: string): Promise<OfficerCase | null> {
    if (municipalityIds.length === 0) return null;
    const em = this.orm.em.fork();
    const request = await em.findOne(DeferralRequest, {
      id,
      municipalityId: { $in: [...municipalityIds] },
    });
    if (!request) return null;
    const messages = await em.find(
      CaseMessage,
      { deferralRequestId: id },
      { orderBy: { createdAt: 'asc', id: 'asc' } },
    );
    return { request, messages };
  }

  /** "Who saw whose data, when": an officer opened the case page. */
  async recordOpened(request: DeferralRequest, by: CaseActor): Promise<void> {
    await this.orm.em
      .fork()
      .transactional((em) =>
        this.audit.append(em, this.entry(request, 'case.opened', by, { status: request.status })),
      );
  }

  /**
   * Takes an open case. A case someone else holds can be taken over only when their claim is
   * stale (older than the municipality's `claimStaleHours`) and only from the holder the officer
   * saw (`from`), so two officers taking over at once do not both get it.
   */
  async take(
    municipalityIds: readonly string[],
    id: string,
    by: CaseActor,
    from?: string,
  ): Promise<CaseActionResult> {
    const found = await this.find(municipalityIds, id);
    if (!found) return refused('not_found');
    const { request } = found;
    if (request.status === 'decided') return refused('wrong_state');
    if (request.takenBy === by.actor) return { ok: true };
    const now = new Date();
    const municipality = await this.tenancy.byId(request.municipalityId);
    const staleHours = caseSettingsOf(municipality?.settings ?? {}).claimStaleHours;
    const staleBefore = new Date(now.getTime() - staleHours * 3_600_000);
    return this.orm.em.fork().transactional(async (em) => {
      const takingOver = request.status !== 'awaiting_officer';
      if (takingOver && (!from || from !== request.takenBy)) return refused('held_by_other');
      const updated = await em.nativeUpdate(
        DeferralRequest,
        takingOver
          ? {
              id,
              status: { $in: ['taken', 'awaiting_resident'] },
              takenBy: from,
              takenAt: { $lt: staleBefore },
            }
          : { id, status: 'awaiting_officer' },
        {
          ...(takingOver ? {} : { status: 'taken' as const }),
          takenBy: by.actor,
          takenByName: by.name ?? null,
          takenAt: now,
        },
      );
      if (updated !== 1) return refused('held_by_other');
      await this.audit.append(
        em,
        this.entry(request, 'case.taken', by, takingOver ? { takenOverFrom: from ?? null } : {}),
      );
      return { ok: true } as const;
    });
  }

  /** Puts a case the officer holds back in the queue for anyone (status awaiting_officer). */
  async release(
    municipalityIds: readonly string[],
    id: string,
    by: CaseActor,
  ): Promise<CaseActionResult> {
    return this.held(municipalityIds, id, by, ['taken'], async (em, request) => {
      await em.nativeUpdate(
        DeferralRequest,
        { id },
        { status: 'awaiting_officer', takenBy: null, takenByName: null, takenAt: null },
      );
      await this.audit.append(em, this.entry(request, 'case.taken', by, { released: true }));
    });
  }

  /**
   * Approves with the officer's due date: the same write-back outbox as an automatic approval,
   * the resident's e-mail, and a `case.decided` entry chained like the policy's decisions.
   */
  async approve(
    municipalityIds: readonly string[],
    id: string,
    by: CaseActor,
    input: { dueDate: string; message: string | null; origin: string },
  ): Promise<CaseActionResult> {
    return this.decide(municipalityIds, id, by, {
      outcome: 'approved',
      newDueDate: input.dueDate,
      reason: input.message,
      reasonCode: null,
      origin: input.origin,
    });
  }

  /** Rejects with the reason the resident reads (a standard text in their language, or the officer's). */
  async reject(
    municipalityIds: readonly string[],
    id: string,
    by: CaseActor,
    input: { reason: string; reasonCode: string | null; origin: string },
  ): Promise<CaseActionResult> {
    return this.decide(municipalityIds, id, by, {
      outcome: 'rejected',
      newDueDate: null,
      reason: input.reason,
      reasonCode: input.reasonCode,
      origin: input.origin,
    });
  }

  /** Asks the resident for information; the case waits for their answer on the case page. */
  async askResident(
    municipalityIds: readonly string[],
    id: string,
    by: CaseActor,
    input: { question: string; origin: string },
  ): Promise<CaseActionResult> {
    return this.held(municipalityIds, id, by, ['taken'], async (em, request) => {
      const now = new Date();
      await em.nativeUpdate(DeferralRequest, { id }, { status: 'awaiting_resident', takenAt: now });
      const message = em.create(CaseMessage, {
        municipalityId: request.municipalityId,
        deferralRequestId: request.id,
        author: 'officer',
        actor: by.actor,
        text: input.question,
        createdAt: now,
      });
      await em.insertMany(CaseMessage, [message]);
      await this.queueQuestion(em, request, message.id, input.question, input.origin);
      await this.audit.append(
        em,
        this.entry(request, 'case.info_requested', by, {
          messageId: message.id,
          // The question stays in its message row; the chain holds its salted hash only.
          questionSha256: saltedSha256(await auditSaltFor(em, request), input.question),
        }),
      );
    });
  }

  private async decide(
    municipalityIds: readonly string[],
    id: string,
    by: CaseActor,
    decision: {
      outcome: 'approved' | 'rejected';
      newDueDate: string | null;
      reason: string | null;
      reasonCode: string | null;
      origin: string;
    },
  ): Promise<CaseActionResult> {
    return this.held(municipalityIds, id, by, ['taken'], async (em, request) => {
      const decidedAt = new Date();
      await em.nativeUpdate(
        DeferralRequest,
        { id },
        {
          status: 'decided',
          outcome: decision.outcome,
          newDueDate: decision.newDueDate,
          decidedBy: by.actor,
          decidedByName: by.name ?? null,
          decidedAt,
          officerReason: decision.reason,
          officerReasonCode: decision.reasonCode,
        },
      );
      const decided: DeferralRequest = Object.assign(request, {
        status: 'decided' as const,
        outcome: decision.outcome,
        newDueDate: decision.newDueDate,
        decidedBy: by.actor,
        decidedByName: by.name ?? null,
        decidedAt,
        officerReason: decision.reason,
        officerReasonCode: decision.reasonCode,
      });
      if (decision.outcome === 'approved' && decision.newDueDate) {
        await this.writeback.enqueueMany(em, [
          {
            municipalityId: decided.municipalityId,
            deferralRequestId: decided.id,
            invoiceId: decided.invoiceId,
            pid: residentPidOf(decided),
            newDueDate: decision.newDueDate,
            reason: `Betalingsutsettelse ${decided.reference}`,
          },
        ]);
      }
      const entry = await this.audit.append(
        em,
        this.entry(
          decided,
          'case.decided',
          by,
          officerDecisionPayload(decided, await auditSaltFor(em, decided)),
        ),
      );
      // After the entry: the receipt names it (seq and hash).
      const municipality = await this.tenancy.byId(decided.municipalityId);
      if (municipality) {
        const receipt = await this.receipts.prepare(municipality, decided.email, decision.origin);
        await this.receipts.enqueue(em, [{ request: decided, receipt, audit: entry }]);
      }
      this.logger.log({ reference: decided.reference, outcome: decision.outcome }, 'Case decided');
    });
  }

  /**
   * Runs `step` in a transaction when the officer holds the case in one of `states`; the UPDATE
   * that claims the step re-checks holder and state, so a concurrent step of another officer (or a
   * takeover) makes this one refuse instead of deciding twice.
   */
  private async held(
    municipalityIds: readonly string[],
    id: string,
    by: CaseActor,
    states: readonly DeferralRequest['status'][],
    step: (em: EntityManager, request: DeferralRequest) => Promise<void>,
  ): Promise<CaseActionResult> {
    const found = await this.find(municipalityIds, id);
    if (!found) return refused('not_found');
    const { request } = found;
    if (!states.includes(request.status)) return refused('wrong_state');
    if (request.takenBy !== by.actor) return refused('held_by_other');
    return this.orm.em.fork().transactional(async (em) => {
      // Fences the step: the row still in the state seen, still held by this officer.
      const locked = await em.nativeUpdate(
        DeferralRequest,
        { id, status: { $in: [...states] }, takenBy: by.actor },
        { takenBy: by.actor },
      );
      if (locked !== 1) return refused('held_by_other');
      await step(em, request);
      return { ok: true } as const;
    });
  }

  private async queueQuestion(
    em: EntityManager,
    request: DeferralRequest,
    messageId: string,
    question: string,
    origin: string,
  ): Promise<void> {
    if (!request.email || !this.outbox.enabled) return;
    const municipality = await this.tenancy.byId(request.municipalityId);
    if (!municipality) return;
    await this.outbox.enqueueMany(em, [
      {
        municipalityId: request.municipalityId,
        // One letter per subject: each question is a letter of its own.
        subjectId: `${request.id}:question:${messageId}`,
        to: request.email,
        letter: caseQuestionLetter(request, municipality, question, origin),
      },
    ]);
  }

  private entry(
    request: DeferralRequest,
    type: AuditAppend['type'],
    by: CaseActor,
    extra: Record<string, unknown>,
  ): AuditAppend {
    return {
      municipalityId: request.municipalityId,
      type,
      subjectId: request.id,
      payload: JSON.parse(
        JSON.stringify({
          reference: request.reference,
          actor: by.actor,
          name: by.name ?? null,
          ...extra,
        }),
      ),
    };
  }
}

function refused(refusal: CaseActionRefusal): CaseActionResult {
  return { ok: false, refusal };
}
