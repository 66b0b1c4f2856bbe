import { MikroORM } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { municipalitiesWhere, type StaffMember } from '../auth';
import { DeferralRequest } from '../deferrals';
import { type CurrentMunicipality, TenancyService } from '../tenancy';
import {
  type ClosedHandover,
  type FailedWriteback,
  type HandedOverWriteback,
  RESOLUTION_NOTE_MAX,
  type ResolvedWriteback,
  WritebackService,
} from '../writeback';
import { caseReferenceOf, explainWritebackError } from './writeback-error-explanation';

/** The status message after a form that worked (`?ok=…`). */
export type WritebackNotice = 'retried' | 'resolved' | 'registered' | 'checked';
/** Why a form could not act on its job: 409 (not failed, not handed over) and 404. */
export type WritebackProblem = 'notFailed' | 'notHandedOver' | 'notFound';

/** What the officer's "check now" came to, for its status message. */
export interface CheckSummary {
  checked: number;
  closed: number;
}

/** A refused "resolved by hand" form: its row, the message beside the note, what was typed. */
export interface NoteRefusal {
  jobId: string;
  messageKey: string;
  value: string;
}

export interface WritebackPageOptions {
  /** A municipality's slug from the filter; anything else shows all the officer serves. */
  filter?: string;
  notice?: WritebackNotice;
  problem?: WritebackProblem;
  refusal?: NoteRefusal;
  checked?: CheckSummary;
}

/** How many of the latest jobs resolved by hand the page lists below the failed ones. */
export const RESOLVED_SHOWN = 20;
/** How many of the latest closed hand-overs the page lists below the open ones. */
export const CLOSED_HANDOVERS_SHOWN = 20;

/**
 * The page's model, for every municipality the officer serves as a finance officer (or the one
 * chosen): new due dates handed over for them to register, with the latest that closed; failed
 * write-backs, each error explained; and the latest ones resolved by hand.
 */
@Injectable()
export class WritebackPagePresenter {
  constructor(
    private readonly writeback: WritebackService,
    private readonly tenancy: TenancyService,
    private readonly orm: MikroORM,
  ) {}

  async model(staff: StaffMember, options: WritebackPageOptions = {}) {
    const served = municipalitiesWhere(staff, 'finance-officer');
    const municipalities = (await this.tenancy.all())
      .filter((m) => served.includes(m.id))
      .sort((a, b) => a.name.localeCompare(b.name, 'nb'));
    const byId = new Map(municipalities.map((m) => [m.id, m]));
    const chosen = municipalities.find((m) => m.slug === options.filter);
    const ids = chosen ? [chosen.id] : served;
    const [failed, resolved, handedOver, closedHandovers] = await Promise.all([
      this.writeback.listFailed(ids),
      this.writeback.listResolvedByHand(ids, RESOLVED_SHOWN),
      this.writeback.listHandedOver(ids),
      this.writeback.listClosedHandovers(ids, CLOSED_HANDOVERS_SHOWN),
    ]);
    const facts = await this.requestFacts([...handedOver, ...closedHandovers]);
    const refusal = options.refusal;
    return {
      titleKey: 'staffWriteback.title',
      several: municipalities.length > 1,
      municipalities: municipalities.map((m) => ({
        slug: m.slug,
        name: m.name,
        selected: m === chosen,
      })),
      noteMax: RESOLUTION_NOTE_MAX,
      noticeKey: options.notice ? `staffWriteback.ok.${options.notice}` : undefined,
      checked: options.checked,
      problemKey: options.problem ? `staffWriteback.problem.${options.problem}` : undefined,
      refusal,
      failed: failed.map((job) => ({
        ...common(job, byId),
        failedAt: job.failedAt,
        attempts: job.attempts,
        error: explainWritebackError(job.lastError),
        note: refusal?.jobId === job.jobId ? refusal : undefined,
      })),
      resolved: resolved.map((job: ResolvedWriteback) => ({
        ...common(job, byId),
        by: job.resolvedByName ?? job.resolvedBy,
        at: job.resolvedAt,
        note: job.resolvedNote,
      })),
      handover: {
        shown: handedOver.length + closedHandovers.length > 0,
        open: handedOver.map((job) => handoverRow(job, byId, facts)),
        closed: closedHandovers.map((job: ClosedHandover) => ({
          ...handoverRow(job, byId, facts),
          closedKey: `staffWriteback.handover.closedAs.${job.closedAs}`,
          closedBy: job.closedBy,
          closedAt: job.closedAt,
        })),
      },
    };
  }

  /** What the finance team needs to find the invoice, from the deferral request itself. */
  private async requestFacts(jobs: readonly HandedOverWriteback[]): Promise<Map<string, Facts>> {
    if (jobs.length === 0) return new Map();
    const requests = await this.orm.em
      .fork()
      .find(
        DeferralRequest,
        { id: { $in: [...new Set(jobs.map((job) => job.deferralRequestId))] } },
        { fields: ['id', 'reference', 'invoiceNumber', 'originalDueDate'] },
      );
    return new Map(requests.map((r) => [r.id, r]));
  }
}

type Facts = Pick<DeferralRequest, 'reference' | 'invoiceNumber' | 'originalDueDate'>;

function handoverRow(
  job: HandedOverWriteback,
  byId: Map<string, CurrentMunicipality>,
  facts: Map<string, Facts>,
) {
  const request = facts.get(job.deferralRequestId);
  return {
    ...common(job, byId),
    reference: request?.reference ?? caseReferenceOf(job.reason),
    invoiceNumber: request?.invoiceNumber ?? job.invoiceId,
    previousDueDate: request?.originalDueDate ?? null,
    handedOverAt: job.handedOverAt,
    checkedAt: job.checkedAt,
    seenDueDate: job.seenDueDate,
  };
}

function common(
  job: Pick<FailedWriteback, 'jobId' | 'deferralRequestId' | 'municipalityId' | 'reason'> &
    Pick<FailedWriteback, 'invoiceId' | 'newDueDate'>,
  byId: Map<string, CurrentMunicipality>,
) {
  return {
    jobId: job.jobId,
    deferralRequestId: job.deferralRequestId,
    municipality: byId.get(job.municipalityId)?.name ?? '',
    reference: caseReferenceOf(job.reason),
    invoiceId: job.invoiceId,
    newDueDate: job.newDueDate,
  };
}
