import { availableParallelism } from 'node:os';
import { type EntityManager, IsolationLevel } from '@mikro-orm/core';
import { BasePostgreSqlPlatform } from '@mikro-orm/sql';
import {
  AuditChainCheck,
  type AuditFailure,
  type AuditVerification,
  type StoredAuditRow,
  type StoredChainHead,
  judgeHead,
} from './audit-chain-check';
import { GENESIS_HASH } from './audit-hash';

export const VERIFY_PAGE_SIZE = 5000;

export interface VerifyOptions {
  /**
   * Parts of the chain checked side by side on their own connections (PostgreSQL only), each
   * in the same snapshot. Defaults to the number of CPU cores, at most 4.
   */
  parts?: number;
  /** A chain shorter than this many entries per part is checked in one part. */
  minPartEntries?: number;
  /**
   * PostgreSQL: let the database compute each payload's sha256 where the payload lies (the
   * built-in `pg_catalog.sha256`), so payloads are not shipped to the verifier; any row whose
   * hash disagrees is fetched whole and judged here. `false` hashes every payload here.
   */
  hashInDatabase?: boolean;
}

const COLUMNS =
  'id, seq, type, subject_id as "subjectId", payload_hash as "payloadHash", prev_hash as "prevHash", hash';
// Pages are seq ranges, not just LIMITs: a sound chain is dense, so a range holds at most a page of
// rows whatever plan the database picks (with stale statistics PostgreSQL would otherwise sort
// every remaining row for each page).
const RANGE =
  'from audit_entries where municipality_id = ? and seq >= ? and seq < ? order by seq limit ?';
// PostgreSQL: created_at already in Date#toISOString form.
const PG_CREATED_AT_ISO = `to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const PG_CREATED_AT = `${PG_CREATED_AT_ISO} as "createdAt"`;
const PAGE_POSTGRESQL = `select ${COLUMNS}, payload::text as payload, ${PG_CREATED_AT} ${RANGE}`;
// PostgreSQL's own sha256 over the json column's exact text, and over the entry's fields as
// `auditEntryHash` joins them, each compared with the stored hash where the rows lie: only seq,
// the links and two flags travel. The verifier still walks every seq and link itself, and a row
// whose flags are not both true is fetched whole and judged here.
const PG_SHA256 = (bytes: string) =>
  `pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(${bytes}, 'UTF8')), 'hex')`;
const PAGE_POSTGRESQL_DB_CHECK = `select seq, prev_hash as "prevHash", hash,
  ${PG_SHA256('payload::text')} = payload_hash as "payloadOk",
  ${PG_SHA256(`prev_hash || E'\\n' || seq::text || E'\\n' || municipality_id::text || E'\\n' || type || E'\\n' || subject_id || E'\\n' || ${PG_CREATED_AT_ISO} || E'\\n' || payload_hash`)} = hash as "hashOk"
  ${RANGE}`;
// The row a page flagged: by seq and stored hash (a second row with that seq, only possible with
// the unique key dropped, has its own hash or is judged as the same entry).
const ROW_POSTGRESQL = `select ${COLUMNS}, payload::text as payload, ${PG_CREATED_AT} from audit_entries where municipality_id = ? and seq = ? and hash = ? limit 1`;

type PageRow = StoredAuditRow | CheckedPageRow;

/** A row of `PAGE_POSTGRESQL_DB_CHECK`. */
interface CheckedPageRow {
  readonly seq: number | string;
  readonly prevHash: string;
  readonly hash: string;
  readonly payloadOk: boolean | null;
  readonly hashOk: boolean | null;
}
// SQLite keeps the payload as text and datetimes as epoch milliseconds; formatting them in SQL is
// exact (integer arithmetic) and cheaper than a Date per row.
const PAGE_SQLITE = `select ${COLUMNS}, payload,
  strftime('%Y-%m-%dT%H:%M:%S', created_at / 1000, 'unixepoch') || '.' || substr('00' || (created_at % 1000), -3) || 'Z' as "createdAt"
  ${RANGE}`;
const BEYOND =
  'select seq from audit_entries where municipality_id = ? and seq > ? order by seq limit 1';
const HEAD = 'select seq, hash from audit_chain_heads where municipality_id = ?';
const BOUNDS =
  'select min(seq) as "first", max(seq) as "last" from audit_entries where municipality_id = ?';

interface PartResult {
  check: AuditChainCheck;
  failure?: AuditFailure;
}

type Query = <T>(sql: string, params: unknown[]) => Promise<T>;

/**
 * Re-computes every hash of a municipality's chain and checks each link, the sequence and the head.
 * Reads raw rows in seq-ordered pages (no entities, no identity map) inside one read-only snapshot,
 * so entries appended meanwhile cannot make a sound chain look broken. On PostgreSQL a long chain
 * is cut into parts checked side by side, each on its own connection in that same snapshot
 * (`pg_export_snapshot`), and the parts are then joined: each must begin where the one before
 * ended, with that entry's hash as its previous hash.
 */
export class AuditVerifier {
  private readonly pageSize: number;
  private readonly options: Required<VerifyOptions>;

  constructor(
    private readonly em: EntityManager,
    pageSize = VERIFY_PAGE_SIZE,
    options: VerifyOptions = {},
  ) {
    this.pageSize = Math.max(2, pageSize);
    this.options = {
      parts: Math.max(1, options.parts ?? Math.min(4, availableParallelism())),
      minPartEntries: options.minPartEntries ?? 4 * this.pageSize,
      hashInDatabase: options.hashInDatabase ?? true,
    };
  }

  async verify(municipalityId: string): Promise<AuditVerification> {
    const em = this.em.fork();
    if (!(em.getPlatform() instanceof BasePostgreSqlPlatform)) {
      return em.transactional(
        async (tem) => {
          const part = await this.walk(
            queryOn(tem),
            municipalityId,
            PAGE_SQLITE,
            1,
            Infinity,
            false,
          );
          return this.finish(queryOn(tem), municipalityId, [part]);
        },
        { readOnly: true },
      );
    }
    const pageSql = this.options.hashInDatabase ? PAGE_POSTGRESQL_DB_CHECK : PAGE_POSTGRESQL;
    return em.transactional(
      async (tem) => {
        const query = queryOn(tem);
        const [bounds] = await query<{ first: string | null; last: string | null }[]>(BOUNDS, [
          municipalityId,
        ]);
        const starts = this.partStarts(Number(bounds?.first ?? 0), Number(bounds?.last ?? 0));
        if (starts.length === 1) {
          const part = await this.walk(query, municipalityId, pageSql, 1, Infinity, false);
          return this.finish(query, municipalityId, [part]);
        }
        const [{ snapshot }] = await query<{ snapshot: string }[]>(
          'select pg_export_snapshot() as snapshot',
          [],
        );
        const parts = await Promise.all(
          starts.map((from, i) => {
            const to = i + 1 < starts.length ? starts[i + 1] : Infinity;
            if (i === 0) return this.walk(query, municipalityId, pageSql, from, to, false);
            return this.em.fork().transactional(
              async (pem) => {
                const partQuery = queryOn(pem);
                await partQuery(`set transaction snapshot '${snapshot.replace(/'/g, '')}'`, []);
                return this.walk(partQuery, municipalityId, pageSql, from, to, true);
              },
              { readOnly: true, isolationLevel: IsolationLevel.REPEATABLE_READ },
            );
          }),
        );
        return this.finish(query, municipalityId, parts);
      },
      { readOnly: true, isolationLevel: IsolationLevel.REPEATABLE_READ },
    );
  }

  /** Where each part begins: the first one at seq 1 (so a missing start shows), the rest evenly. */
  private partStarts(first: number, last: number): number[] {
    const length = last - Math.min(first, 1) + 1;
    const parts = Math.min(this.options.parts, Math.floor(length / this.options.minPartEntries));
    if (parts <= 1) return [1];
    const size = Math.ceil(length / parts);
    return Array.from({ length: parts }, (_, i) => (i === 0 ? 1 : 1 + i * size));
  }

  /** Checks the rows with `from <= seq < to`; a later part starts wherever its first row is. */
  private async walk(
    query: Query,
    municipalityId: string,
    pageSql: string,
    from: number,
    to: number,
    resume: boolean,
  ): Promise<PartResult> {
    const check = new AuditChainCheck(municipalityId, resume);
    const bound = (n: number) => Math.min(n, to === Infinity ? Number.MAX_SAFE_INTEGER : to);
    const page = (a: number, b: number) => {
      const rows = query<PageRow[]>(pageSql, [municipalityId, a, bound(b), this.pageSize + 2]);
      rows.catch(() => undefined); // awaited below; this only keeps an early return from leaving it unhandled
      return rows;
    };
    // Each range starts at the last good seq again, so a second row with that seq (only possible
    // with the unique constraint dropped) shows up as a gap instead of falling between pages.
    let upTo = (from === 1 ? 1 : from) + this.pageSize;
    let pending: Promise<PageRow[]> | undefined = page(
      from === 1 ? Number.MIN_SAFE_INTEGER : from,
      upTo,
    );
    while (pending) {
      const rows = await pending;
      pending = undefined;
      // A full range means there may be more: ask for the next one while hashing this one.
      const last = rows.length > 0 ? Number(rows[rows.length - 1].seq) : 0;
      if (last === upTo - 1 && upTo < to) {
        const next = last;
        upTo = last + 1 + this.pageSize;
        pending = page(next, upTo);
      }
      let i = 0;
      if (
        check.entriesChecked > 0 &&
        rows.length > 0 &&
        Number(rows[0].seq) === check.lastSeq &&
        rows[0].hash === check.lastGoodHash
      )
        i = 1;
      for (; i < rows.length; i++) {
        const row = rows[i];
        const failure = check.next(
          !('payloadOk' in row)
            ? row
            : row.payloadOk === true && row.hashOk === true
              ? { seq: row.seq, prevHash: row.prevHash, hash: row.hash, checkedInDatabase: true }
              : await this.whole(query, municipalityId, row),
        );
        if (failure) {
          await pending?.catch(() => undefined);
          return { check, failure };
        }
      }
    }
    return { check };
  }

  /** A row whose hashes the database found wrong is judged here, on its whole text. */
  private async whole(
    query: Query,
    municipalityId: string,
    row: CheckedPageRow,
  ): Promise<StoredAuditRow> {
    const [found] = await query<StoredAuditRow[]>(ROW_POSTGRESQL, [
      municipalityId,
      row.seq,
      row.hash,
    ]);
    // Gone since the page was read is impossible inside the snapshot; judge it as empty if so.
    return (
      found ?? {
        ...row,
        type: '',
        subjectId: '',
        payload: '',
        payloadHash: '',
        createdAt: '',
      }
    );
  }

  /** Joins the parts in order, then checks that nothing lies beyond the end and the head agrees. */
  private async finish(
    query: Query,
    municipalityId: string,
    parts: readonly PartResult[],
  ): Promise<AuditVerification> {
    let lastSeq = 0;
    let lastHash = GENESIS_HASH;
    let checked = 0;
    const fail = (
      firstBadSeq: number,
      problem: AuditFailure['problem'],
      expected: string,
      actual: string,
    ): AuditFailure => ({
      ok: false,
      municipalityId,
      entriesChecked: checked,
      firstBadSeq,
      problem,
      expected,
      actual,
    });
    for (const { check, failure } of parts) {
      const began = check.began;
      if (began && began.seq !== lastSeq + 1)
        return fail(lastSeq + 1, 'gap-in-sequence', String(lastSeq + 1), String(began.seq));
      if (began && began.prevHash !== lastHash)
        return fail(began.seq, 'broken-link', lastHash, began.prevHash);
      if (failure) return { ...failure, entriesChecked: checked + failure.entriesChecked };
      if (check.entriesChecked === 0) continue;
      checked += check.entriesChecked;
      lastSeq = check.lastSeq;
      lastHash = check.lastGoodHash;
    }
    // The chain ended inside the last range; anything further on is a gap, however far away.
    const [beyond] = await query<{ seq: number | string }[]>(BEYOND, [municipalityId, lastSeq]);
    if (beyond)
      return fail(lastSeq + 1, 'gap-in-sequence', String(lastSeq + 1), String(beyond.seq));
    const [head] = await query<StoredChainHead[]>(HEAD, [municipalityId]);
    return judgeHead(municipalityId, checked, lastSeq, lastHash, head);
  }
}

function queryOn(em: EntityManager): Query {
  const connection = em.getConnection();
  const ctx = em.getTransactionContext();
  return <T>(sql: string, params: unknown[]) =>
    connection.execute(sql, params, 'all', ctx) as Promise<T>;
}
