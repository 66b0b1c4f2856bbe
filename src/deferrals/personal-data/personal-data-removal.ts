import { type EntityManager, LockMode, MikroORM } from '@mikro-orm/core';
import { SqlitePlatform } from '@mikro-orm/sql';
import { Injectable } from '@nestjs/common';
import { dateParam, queryRows } from '../../database';
import { DigitalPostOutbox } from '../../digital-post';
import { ReceiptOutbox } from '../../mail';
import { WritebackService } from '../../writeback';
import { CaseMessage } from '../case-message.entity';
import { DeferralRequest } from '../deferral-request.entity';

/** What one batch removed, for its audit entry. */
export interface RemovedPersonalData {
  /** The requests, oldest decision first. */
  requestIds: string[];
  /** The oldest and newest decision (`decidedAt`, else `createdAt`) among them. */
  oldestDecision: Date;
  newestDecision: Date;
  messages: number;
  letters: number;
}

const decisionOf = (r: Pick<DeferralRequest, 'decidedAt' | 'createdAt'>) =>
  r.decidedAt ?? r.createdAt;

/**
 * The closed requests of a municipality decided before a cutoff whose personal data is still
 * there; its parameters are the municipality, then the cutoff twice. created_at < cutoff as well:
 * a decision never precedes its request, and it lets the (municipality, removed, created) index
 * bound the search.
 */
const EXPIRED = `from deferral_requests r
  where r.municipality_id = ? and r.personal_data_removed_at is null
    and r.created_at < ? and r.status = 'decided'
    and coalesce(r.decided_at, r.created_at) < ?
    and not exists (select 1 from writeback_jobs j where j.deferral_request_id = r.id
                    and j.status in ('pending', 'in_progress', 'handed_over'))
    and not exists (select 1 from digital_letter_jobs l
                    where l.subject_id in (cast(r.id as varchar(36)),
                                           cast(r.id as varchar(36)) || ':decided')
                    and l.status in ('pending', 'in_progress'))`;

/**
 * Removes the resident's personal data from closed requests: the identity number, the e-mail
 * address, the invoice's title (it may hold the property's address), the resident's messages, the
 * officer's reason and questions, and the salt their audit hashes were made with; the write-back's
 * identity number and note; and the letters sent. The rest of the request (reference, invoice
 * number, amounts, facts, outcome, dates, policy version, status) stays, so statistics, the
 * auditors' search and replay still work.
 *
 * Closed: decided, no write-back under way and no letter on its way by digital post (its job
 * holds the identity number it is addressed to). An open case, a decision whose due date is still
 * being written or whose letter is still being sent keeps everything.
 */
@Injectable()
export class PersonalDataRemoval {
  constructor(
    private readonly orm: MikroORM,
    private readonly writeback: WritebackService,
    private readonly outbox: ReceiptOutbox,
    private readonly digitalPost: DigitalPostOutbox,
  ) {}

  /** Up to `limit` closed requests of the municipality decided before `cutoff`, oldest first. */
  async expired(municipalityId: string, cutoff: Date, limit: number): Promise<string[]> {
    const before = dateParam(this.orm, cutoff);
    const rows = await queryRows<{ id: string }>(
      this.orm,
      `select r.id ${EXPIRED}
        order by coalesce(r.decided_at, r.created_at), r.id
        limit ?`,
      [municipalityId, before, before, limit],
    );
    return rows.map((row) => row.id);
  }

  /**
   * How many closed requests of the municipality decided before `cutoff` still hold personal
   * data: what a retention run with that cutoff would remove now (the operators' page shows it
   * before a shorter period is saved).
   */
  async countExpired(municipalityId: string, cutoff: Date): Promise<number> {
    const before = dateParam(this.orm, cutoff);
    const [row] = await queryRows<{ n: number | string }>(
      this.orm,
      `select count(*) as n ${EXPIRED}`,
      [municipalityId, before, before],
    );
    return Number(row?.n ?? 0);
  }

  /**
   * Removes the data of those of `ids` that are still closed and not yet removed, in the caller's
   * transaction; null when none was. On PostgreSQL the rows are locked first, skipping any another
   * instance is removing at the same moment, so two instances never remove (or audit) one twice;
   * SQLite has a single writer.
   */
  async remove(
    em: EntityManager,
    ids: readonly string[],
    at: Date,
  ): Promise<RemovedPersonalData | null> {
    if (ids.length === 0) return null;
    const rowLocks = !(em.getPlatform() instanceof SqlitePlatform);
    const locked = await em.find(
      DeferralRequest,
      { id: { $in: [...ids] }, personalDataRemovedAt: null, status: 'decided' },
      {
        fields: ['id', 'decidedAt', 'createdAt'],
        lockMode: rowLocks ? LockMode.PESSIMISTIC_PARTIAL_WRITE : undefined,
        disableIdentityMap: true,
      },
    );
    // A letter still on its way by digital post needs the identity number it is addressed to:
    // its request waits for the next run (checked before the write-back forgets anything).
    const sending = await this.digitalPost.unsent(
      em,
      locked.flatMap((r) => [r.id, `${r.id}:decided`]),
    );
    const quiet = locked.filter((r) => !sending.has(r.id) && !sending.has(`${r.id}:decided`));
    const busy = await this.writeback.forgetResidents(
      em,
      quiet.map((r) => r.id),
    );
    const closed = quiet
      .filter((r) => !busy.has(r.id))
      .sort(
        (a, b) => decisionOf(a).getTime() - decisionOf(b).getTime() || a.id.localeCompare(b.id),
      );
    if (closed.length === 0) return null;
    const requestIds = closed.map((r) => r.id);
    const removed = await em.nativeUpdate(
      DeferralRequest,
      { id: { $in: requestIds }, personalDataRemovedAt: null, status: 'decided' },
      {
        pid: null,
        email: null,
        invoiceTitle: '',
        officerMessage: null,
        officerReason: null,
        auditSalt: null,
        personalDataRemovedAt: at,
      },
    );
    // The rows are locked (or SQLite's one writer holds them): anything else is a bug, and the
    // batch must not be audited with a count that is not true.
    if (removed !== requestIds.length)
      throw new Error(`Retention removed ${removed} of ${requestIds.length} locked requests`);
    const officerMessages = await em.find(
      CaseMessage,
      { deferralRequestId: { $in: requestIds }, author: 'officer' },
      { fields: ['id', 'deferralRequestId'], disableIdentityMap: true },
    );
    const messages = await em.nativeUpdate(
      CaseMessage,
      { deferralRequestId: { $in: requestIds } },
      { text: null },
    );
    const letters = await this.outbox.discard(em, [
      ...requestIds.flatMap((id) => [id, `${id}:decided`, `${id}:handover`]),
      ...officerMessages.map((m) => `${m.deferralRequestId}:question:${m.id}`),
    ]);
    const digitalLetters = await this.digitalPost.discard(
      em,
      requestIds.flatMap((id) => [id, `${id}:decided`]),
    );
    return {
      requestIds,
      oldestDecision: decisionOf(closed[0]),
      newestDecision: decisionOf(closed[closed.length - 1]),
      messages,
      letters: letters + digitalLetters,
    };
  }
}
