import { Injectable } from '@nestjs/common';
import { municipalitiesWhere, type StaffMember } from '../auth';
import { type CurrentMunicipality, TenancyService } from '../tenancy';
import {
  type FailedWriteback,
  RESOLUTION_NOTE_MAX,
  type ResolvedWriteback,
  WritebackService,
} from '../writeback';
import { caseReferenceOf, explainWritebackError } from './writeback-error-explanation';

/** The status message after a form that worked (`?ok=…`). */
export type WritebackNotice = 'retried' | 'resolved';
/** Why a form could not act on its job: 409 and 404. */
export type WritebackProblem = 'notFailed' | 'notFound';

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
}

/** How many of the latest jobs resolved by hand the page lists below the failed ones. */
export const RESOLVED_SHOWN = 20;

/**
 * The page's model: failed write-backs of every municipality the officer serves as a finance
 * officer (or the one chosen), each error explained, and the latest ones resolved by hand.
 */
@Injectable()
export class WritebackPagePresenter {
  constructor(
    private readonly writeback: WritebackService,
    private readonly tenancy: TenancyService,
  ) {}

  async model(staff: StaffMember, options: WritebackPageOptions = {}) {
    const served = municipalitiesWhere(staff, 'finance-officer');
    const municipalities = (await this.tenancy.all())
      .filter((m) => served.includes(m.id))
      .sort((a, b) => a.name.localeCompare(b.name, 'nb'));
    const byId = new Map(municipalities.map((m) => [m.id, m]));
    const chosen = municipalities.find((m) => m.slug === options.filter);
    const ids = chosen ? [chosen.id] : served;
    const [failed, resolved] = await Promise.all([
      this.writeback.listFailed(ids),
      this.writeback.listResolvedByHand(ids, RESOLVED_SHOWN),
    ]);
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
    };
  }
}

function common(job: FailedWriteback, byId: Map<string, CurrentMunicipality>) {
  return {
    jobId: job.jobId,
    deferralRequestId: job.deferralRequestId,
    municipality: byId.get(job.municipalityId)?.name ?? '',
    reference: caseReferenceOf(job.reason),
    invoiceId: job.invoiceId,
    newDueDate: job.newDueDate,
  };
}
