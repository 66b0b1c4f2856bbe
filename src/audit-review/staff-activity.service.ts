import { MikroORM } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { dateParam, fromJsonColumn, jsonFieldSql, queryRows, rowDate } from '../database';
import { addDays } from '../shared/calendar-date';
import { maskNationalId } from '../shared/national-identity-number';
import { osloMidnight } from '../shared/oslo-weeks';
import { placeholders } from '../shared/oslo-weeks-sql';
import { UUID } from './audit-query';
import { actorOf, entryView, type EntryView } from './chain-entries';
import { ACTIVITY_PAGE_SIZE, ACTIVITY_TYPES, type ActivityFilter } from './staff-activity.query';

/** Entries about a deferral request name it as their subject. */
const ABOUT_A_REQUEST = /^(case|audit|writeback)\./;

export interface ActivityRow extends EntryView {
  /** `staff:<sub>` (or what else made the entry), for the link that filters by the person. */
  actor: string | null;
  /** The resident's case the entry is about, if any: its reference and masked identity number. */
  request: { id: string; reference: string; pidMasked: string } | null;
}

export interface ActivityPage {
  rows: ActivityRow[];
  /** The seq to read older entries from, when there are more. */
  older: number | null;
}

interface EntryRow {
  seq: number | string;
  type: string;
  subject_id: string;
  payload: unknown;
  created_at: unknown;
}

/**
 * Staff activity from one municipality's audit chain, newest first, a page at a time by seq (the
 * chain's own order, on its (municipality_id, seq) key). Who acted is read from the entry's
 * payload, as each feature writes it (`actor`, `by`, `approvedBy`, `activatedBy`).
 */
@Injectable()
export class StaffActivityService {
  constructor(private readonly orm: MikroORM) {}

  async page(filter: ActivityFilter): Promise<ActivityPage> {
    const types = filter.type ? [filter.type] : ACTIVITY_TYPES;
    const conditions = ['municipality_id = ?', `type in (${placeholders(types.length)})`];
    const params: unknown[] = [filter.municipalityId, ...types];
    const add = (condition: string, value: unknown) => {
      conditions.push(condition);
      params.push(value);
    };
    if (filter.from) add('created_at >= ?', dateParam(this.orm, osloMidnight(filter.from)));
    if (filter.to) add('created_at < ?', dateParam(this.orm, osloMidnight(addDays(filter.to, 1))));
    if (filter.person) add(`${this.actorSql()} = ?`, filter.person);
    if (filter.before) add('seq < ?', filter.before);
    const rows = await queryRows<EntryRow>(
      this.orm,
      `select seq, type, subject_id, payload, created_at from audit_entries
       where ${conditions.join(' and ')} order by seq desc limit ?`,
      [...params, ACTIVITY_PAGE_SIZE + 1],
    );
    const shown = rows.slice(0, ACTIVITY_PAGE_SIZE).map((row) => ({
      seq: Number(row.seq),
      type: row.type,
      subjectId: row.subject_id,
      createdAt: rowDate(row.created_at),
      payload: fromJsonColumn<Record<string, unknown>>(row.payload),
    }));
    const requests = await this.requests(
      filter.municipalityId,
      shown.filter((e) => ABOUT_A_REQUEST.test(e.type)).map((e) => e.subjectId),
    );
    return {
      rows: shown.map((entry) => ({
        ...entryView(entry),
        actor: actorOf(entry.payload),
        request: ABOUT_A_REQUEST.test(entry.type) ? (requests.get(entry.subjectId) ?? null) : null,
      })),
      older: rows.length > ACTIVITY_PAGE_SIZE ? shown[shown.length - 1].seq : null,
    };
  }

  /** The requests the entries are about: their references, and whose (masked). */
  private async requests(municipalityId: string, ids: string[]) {
    const unique = [...new Set(ids.filter((id) => UUID.test(id)))];
    if (unique.length === 0) return new Map<string, ActivityRow['request']>();
    const rows = await queryRows<{ id: string; reference: string; pid: string }>(
      this.orm,
      `select id, reference, pid from deferral_requests
       where municipality_id = ? and id in (${placeholders(unique.length)})`,
      [municipalityId, ...unique],
    );
    return new Map(
      rows.map((r) => [
        r.id,
        { id: r.id, reference: r.reference, pidMasked: maskNationalId(r.pid) },
      ]),
    );
  }

  /** Who made an entry, in SQL: the first of the fields `actorOf` reads. */
  private actorSql(): string {
    const keys = ['actor', 'by', 'approvedBy', 'activatedBy'];
    const field = (key: string) => jsonFieldSql(this.orm, 'payload', key, 'jsonb');
    return `coalesce(${keys.map(field).join(', ')})`;
  }
}
