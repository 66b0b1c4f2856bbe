import { type EntityManager, IsolationLevel } from '@mikro-orm/core';
import { BasePostgreSqlPlatform } from '@mikro-orm/sql';
import {
  AuditChainCheck,
  type AuditVerification,
  type StoredAuditRow,
  type StoredChainHead,
} from './audit-chain-check';

export const VERIFY_PAGE_SIZE = 5000;

const COLUMNS =
  'seq, type, subject_id as "subjectId", payload_hash as "payloadHash", prev_hash as "prevHash", hash';
// Pages are seq ranges, not just LIMITs: a sound chain is dense, so a range holds at most a page of
// rows whatever plan the database picks (with stale statistics PostgreSQL would otherwise sort
// every remaining row for each page).
const RANGE =
  'from audit_entries where municipality_id = ? and seq >= ? and seq < ? order by seq limit ?';
// PostgreSQL: the json column's exact text, and created_at already in Date#toISOString form.
const PAGE_POSTGRESQL = `select ${COLUMNS}, payload::text as payload,
  to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "createdAt" ${RANGE}`;
// SQLite keeps the payload as text and datetimes as epoch milliseconds; formatting them in SQL is
// exact (integer arithmetic) and cheaper than a Date per row.
const PAGE_SQLITE = `select ${COLUMNS}, payload,
  strftime('%Y-%m-%dT%H:%M:%S', created_at / 1000, 'unixepoch') || '.' || substr('00' || (created_at % 1000), -3) || 'Z' as "createdAt"
  ${RANGE}`;
const BEYOND =
  'select seq from audit_entries where municipality_id = ? and seq > ? order by seq limit 1';
const HEAD = 'select seq, hash from audit_chain_heads where municipality_id = ?';

/**
 * Re-computes every hash of a municipality's chain and checks each link, the sequence and the head.
 * Reads raw rows in seq-ordered pages (no entities, no identity map) inside one read-only snapshot,
 * so entries appended meanwhile cannot make a sound chain look broken.
 */
export class AuditVerifier {
  private readonly pageSize: number;

  constructor(
    private readonly em: EntityManager,
    pageSize = VERIFY_PAGE_SIZE,
  ) {
    this.pageSize = Math.max(2, pageSize);
  }

  async verify(municipalityId: string): Promise<AuditVerification> {
    const em = this.em.fork();
    const postgresql = em.getPlatform() instanceof BasePostgreSqlPlatform;
    return em.transactional(
      (tem) => this.walk(tem, municipalityId, postgresql ? PAGE_POSTGRESQL : PAGE_SQLITE),
      {
        readOnly: true,
        ...(postgresql ? { isolationLevel: IsolationLevel.REPEATABLE_READ } : {}),
      },
    );
  }

  private async walk(
    em: EntityManager,
    municipalityId: string,
    pageSql: string,
  ): Promise<AuditVerification> {
    const connection = em.getConnection();
    const ctx = em.getTransactionContext();
    const check = new AuditChainCheck(municipalityId);
    const page = (from: number, to: number) => {
      const rows = connection.execute<StoredAuditRow[]>(
        pageSql,
        [municipalityId, from, to, this.pageSize + 2],
        'all',
        ctx,
      );
      rows.catch(() => undefined); // awaited below; this only keeps an early return from leaving it unhandled
      return rows;
    };
    // Each range starts at the last good seq again, so a second row with that seq (only possible
    // with the unique constraint dropped) shows up as a gap instead of falling between pages.
    let to = 1 + this.pageSize;
    let pending: Promise<StoredAuditRow[]> | undefined = page(Number.MIN_SAFE_INTEGER, to);
    while (pending) {
      const rows = await pending;
      pending = undefined;
      // A full range means there may be more: ask for the next one while hashing this one.
      const last = rows.length > 0 ? Number(rows[rows.length - 1].seq) : 0;
      if (last === to - 1) {
        const from = last;
        to = last + 1 + this.pageSize;
        pending = page(from, to);
      }
      let i = 0;
      if (
        check.lastSeq > 0 &&
        rows.length > 0 &&
        Number(rows[0].seq) === check.lastSeq &&
        rows[0].hash === check.lastGoodHash
      )
        i = 1;
      for (; i < rows.length; i++) {
        const failure = check.next(rows[i]);
        if (failure) {
          await pending?.catch(() => undefined);
          return failure;
        }
      }
    }
    // The chain ended inside the last range; anything further on is a gap, however far away.
    const [beyond] = await connection.execute<{ seq: number | string }[]>(
      BEYOND,
      [municipalityId, check.lastSeq],
      'all',
      ctx,
    );
    if (beyond) return check.unexpected(beyond.seq);
    const [head] = await connection.execute<StoredChainHead[]>(HEAD, [municipalityId], 'all', ctx);
    return check.finish(head);
  }
}
