import { type EntityManager, QueryOrder } from '@mikro-orm/core';
import type { AuditService } from '../audit';
import type { Invoice } from '../finance';
import { maskNationalId } from '../shared/national-identity-number';
import type { WritebackActor } from './writeback-follow-up';
import { WritebackJob } from './writeback-job.entity';

/** A new due date waiting for the finance team to register it: no identity number in it. */
export interface HandedOverWriteback {
  jobId: string;
  municipalityId: string;
  deferralRequestId: string;
  invoiceId: string;
  /** YYYY-MM-DD. */
  newDueDate: string;
  /** What the job would have sent with the change; holds the case reference. */
  reason: string;
  handedOverAt: Date;
  /** The latest read of the invoice that worked, and the due date it showed; null before one. */
  checkedAt: Date | null;
  seenDueDate: string | null;
}

/** A hand-over as it was handed over, for the letter to the finance team. */
export interface HandoverNotice extends HandedOverWriteback {
  /** The birth-date part of the resident's identity number (`128385*****`). */
  residentMasked: string;
}

/** How a hand-over closed: the date was read back, an officer said so, or the invoice was paid. */
export type HandoverClosure = 'done' | 'registered_by_hand' | 'not_needed';

/** A hand-over that closed, as the officers' page lists it under the open ones. */
export interface ClosedHandover extends HandedOverWriteback {
  closedAs: HandoverClosure;
  closedAt: Date;
  /** The officer who marked it registered, for `registered_by_hand`. */
  closedBy: string | null;
}

/** What a read of the invoice says about an open hand-over. */
export type HandoverVerdict =
  | { kind: 'registered'; dueDate: string }
  | { kind: 'paid'; dueDate: string | null }
  | { kind: 'open'; dueDate: string | null };

/**
 * The new date is registered when the invoice's due date is that date, whatever else happened
 * since. Otherwise a paid invoice needs no new date any more; anything else (the old date, another
 * date someone typed, a claim gone to collection) stays for the finance team.
 */
export function handoverVerdict(
  newDueDate: string,
  invoice: Pick<Invoice, 'dueDate' | 'status'>,
): HandoverVerdict {
  if (invoice.dueDate === newDueDate) return { kind: 'registered', dueDate: newDueDate };
  if (invoice.status === 'PAID') return { kind: 'paid', dueDate: invoice.dueDate };
  return { kind: 'open', dueDate: invoice.dueDate };
}

export function handedOverView(job: WritebackJob): HandedOverWriteback {
  return {
    jobId: job.id,
    municipalityId: job.municipalityId,
    deferralRequestId: job.deferralRequestId,
    invoiceId: job.invoiceId,
    newDueDate: job.newDueDate,
    reason: job.reason,
    handedOverAt: job.handedOverAt ?? job.createdAt,
    checkedAt: job.checkedAt,
    seenDueDate: job.seenDueDate,
  };
}

export function handoverNotice(job: WritebackJob): HandoverNotice {
  // Handed over jobs keep their identity number: the retention job waits for them to close.
  return { ...handedOverView(job), residentMasked: maskNationalId(job.pid ?? '') };
}

/** Open hand-overs of these municipalities, oldest first. */
export async function listHandedOverJobs(
  em: EntityManager,
  municipalityIds: readonly string[],
): Promise<HandedOverWriteback[]> {
  if (municipalityIds.length === 0) return [];
  const jobs = await em.find(
    WritebackJob,
    { municipalityId: { $in: [...municipalityIds] }, status: 'handed_over' },
    { orderBy: [{ handedOverAt: QueryOrder.ASC }, { id: QueryOrder.ASC }] },
  );
  return jobs.map(handedOverView);
}

/** The latest hand-overs of these municipalities that closed, newest first. */
export async function listClosedHandovers(
  em: EntityManager,
  municipalityIds: readonly string[],
  limit: number,
): Promise<ClosedHandover[]> {
  if (municipalityIds.length === 0) return [];
  const jobs = await em.find(
    WritebackJob,
    {
      municipalityId: { $in: [...municipalityIds] },
      status: { $in: ['done', 'registered_by_hand', 'not_needed'] },
      handedOverAt: { $ne: null },
    },
    { orderBy: [{ completedAt: QueryOrder.DESC }, { id: QueryOrder.ASC }], limit },
  );
  return jobs.map((job) => ({
    ...handedOverView(job),
    closedAs: job.status as HandoverClosure,
    closedAt: job.completedAt ?? job.handedOverAt ?? job.createdAt,
    closedBy: job.status === 'registered_by_hand' ? (job.resolvedByName ?? job.resolvedBy) : null,
  }));
}

/**
 * An officer says the new date is registered in the finance system. Conditional on the job still
 * being handed over, so of an officer and a read closing it at once exactly one does (and is
 * audited); the other gets false.
 */
export async function registerHandoverByHand(
  em: EntityManager,
  audit: AuditService,
  jobId: string,
  municipalityIds: readonly string[],
  by: WritebackActor,
): Promise<boolean> {
  if (municipalityIds.length === 0) return false;
  return em.transactional(async (tx) => {
    const job = await tx.findOne(WritebackJob, {
      id: jobId,
      municipalityId: { $in: [...municipalityIds] },
      status: 'handed_over',
    });
    if (!job) return false;
    const updated = await tx.nativeUpdate(
      WritebackJob,
      { id: job.id, status: 'handed_over' },
      {
        status: 'registered_by_hand',
        completedAt: new Date(),
        resolvedBy: by.actor,
        resolvedByName: by.name?.slice(0, 200) ?? null,
      },
    );
    if (updated === 0) return false;
    await audit.append(tx, {
      municipalityId: job.municipalityId,
      type: 'writeback.registered_by_hand',
      subjectId: job.deferralRequestId,
      payload: {
        jobId: job.id,
        invoiceId: job.invoiceId,
        actor: by.actor,
        name: by.name ?? null,
        newDueDate: job.newDueDate,
        seenDueDate: job.seenDueDate,
      },
    });
    return true;
  });
}

/**
 * Records what a read of the invoice showed: a registered date closes the job as done, a paid
 * invoice as not needed, each audited with the date seen; an open one only notes the read. Returns
 * how the job closed, or null when it stays open or was closed by someone else meanwhile.
 */
export async function recordHandoverRead(
  em: EntityManager,
  audit: AuditService,
  job: Pick<
    WritebackJob,
    'id' | 'municipalityId' | 'deferralRequestId' | 'invoiceId' | 'newDueDate'
  >,
  verdict: HandoverVerdict,
  at: Date,
): Promise<'done' | 'not_needed' | null> {
  const seen = { checkedAt: at, seenDueDate: verdict.dueDate };
  if (verdict.kind === 'open') {
    await em.nativeUpdate(WritebackJob, { id: job.id, status: 'handed_over' }, seen);
    return null;
  }
  const status = verdict.kind === 'registered' ? 'done' : 'not_needed';
  return em.transactional(async (tx) => {
    const updated = await tx.nativeUpdate(
      WritebackJob,
      { id: job.id, status: 'handed_over' },
      { ...seen, status, completedAt: at },
    );
    if (updated === 0) return null;
    const common = { jobId: job.id, invoiceId: job.invoiceId, checkedAt: at.toISOString() };
    await audit.append(
      tx,
      verdict.kind === 'registered'
        ? {
            municipalityId: job.municipalityId,
            type: 'writeback.confirmed_by_read',
            subjectId: job.deferralRequestId,
            payload: { ...common, dueDate: verdict.dueDate },
          }
        : {
            municipalityId: job.municipalityId,
            type: 'writeback.not_needed',
            subjectId: job.deferralRequestId,
            payload: {
              ...common,
              newDueDate: job.newDueDate,
              dueDate: verdict.dueDate,
              invoiceStatus: 'PAID',
            },
          },
    );
    return status;
  });
}
