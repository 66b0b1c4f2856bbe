import type { KeyObject } from 'node:crypto';
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
import { judgeCheckpoints, type StoredCheckpointRow } from './checkpoint-check';
import { GENESIS_HASH } from '../audit-hash';
import {
  type CheckedPageRow,
  type Page,
  type PageKind,
  type PageRow,
  pageReader,
  type Query,
} from './audit-verify-pages';
import { BEYOND, BOUNDS, CHECKPOINTS, HEAD, ROW_POSTGRESQL } from './audit-verify.sql';

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
   * PostgreSQL: let the database recompute the hashes where the rows lie (the built-in
   * `pg_catalog.sha256`) and check each page's links, so that a sound page travels as one
   * summary row; a page that is not sound is read again entry by entry and any row whose hashes
   * disagree is fetched whole and judged here. `false` hashes every payload here.
   */
  hashInDatabase?: boolean;
  /**
   * The public keys whose signed checkpoints are trusted. Every checkpoint of the chain must be
   * signed by one of them and agree with the chain; with none given, any checkpoint fails.
   */
  publicKeys?: readonly KeyObject[];
}

interface PartResult {
  check: AuditChainCheck;
  failure?: AuditFailure;
}

/**
 * Re-computes every hash of a municipality's chain and checks each link, the sequence and the head.
 * Reads raw rows in seq-ordered pages (no entities, no identity map) inside one read-only snapshot,
 * so entries appended meanwhile cannot make a sound chain look broken. On PostgreSQL a long chain
 * is cut into parts checked side by side, each on its own connection in that same snapshot
 * (`pg_export_snapshot`), and the parts are then joined: each must begin where the one before
 * ended, with that entry's hash as its previous hash. A chain that holds together is then held
 * against its signed checkpoints, read in the same snapshot.
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
      publicKeys: options.publicKeys ?? [],
    };
  }

  async verify(municipalityId: string): Promise<AuditVerification> {
    const em = this.em.fork();
    if (!(em.getPlatform() instanceof BasePostgreSqlPlatform)) {
      return em.transactional(
        async (tem) => {
          const part = await this.walk(queryOn(tem), municipalityId, 'sqlite', 1, Infinity, false);
          return this.finish(queryOn(tem), municipalityId, [part]);
        },
        { readOnly: true },
      );
    }
    const kind: PageKind = this.options.hashInDatabase ? 'summary' : 'postgresql';
    return em.transactional(
      async (tem) => {
        const query = queryOn(tem);
        const [bounds] = await query<{ first: string | null; last: string | null }[]>(BOUNDS, [
          municipalityId,
        ]);
        const starts = this.partStarts(Number(bounds?.first ?? 0), Number(bounds?.last ?? 0));
        if (starts.length === 1) {
          const part = await this.walk(query, municipalityId, kind, 1, Infinity, false);
          return this.finish(query, municipalityId, [part]);
        }
        const [{ snapshot }] = await query<{ snapshot: string }[]>(
          'select pg_export_snapshot() as snapshot',
          [],
        );
        const parts = await Promise.all(
          starts.map((from, i) => {
            const to = i + 1 < starts.length ? starts[i + 1] : Infinity;
            if (i === 0) return this.walk(query, municipalityId, kind, from, to, false);
            return this.em.fork().transactional(
              async (pem) => {
                const partQuery = queryOn(pem);
                await partQuery(`set transaction snapshot '${snapshot.replace(/'/g, '')}'`, []);
                return this.walk(partQuery, municipalityId, kind, from, to, true);
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
    kind: PageKind,
    from: number,
    to: number,
    resume: boolean,
  ): Promise<PartResult> {
    const check = new AuditChainCheck(municipalityId, resume);
    const bound = (n: number) => Math.min(n, to === Infinity ? Number.MAX_SAFE_INTEGER : to);
    const read = pageReader(query, municipalityId, kind, this.pageSize + 2);
    const page = (a: number, b: number) => {
      const got = read(a, bound(b));
      got.catch(() => undefined); // awaited below; this only keeps an early return from leaving it unhandled
      return got;
    };
    // Each range starts at the last good seq again, so a second row with that seq (only possible
    // with the unique constraint dropped) shows up as a gap instead of falling between pages.
    let upTo = (from === 1 ? 1 : from) + this.pageSize;
    let pending: Promise<Page> | undefined = page(
      from === 1 ? Number.MIN_SAFE_INTEGER : from,
      upTo,
    );
    while (pending) {
      const got = await pending;
      pending = undefined;
      // A full range means there may be more: ask for the next one while checking this one.
      const last =
        'run' in got ? got.run.lastSeq : got.rows.length > 0 ? Number(got.rows.at(-1)?.seq) : 0;
      if (last === upTo - 1 && upTo < to) {
        const next = last;
        upTo = last + 1 + this.pageSize;
        pending = page(next, upTo);
      }
      const failure =
        'run' in got
          ? check.nextRun(got.run.first, got.run.count, got.run.lastSeq, got.run.lastHash)
          : await this.walkRows(query, municipalityId, check, got.rows);
      if (failure) {
        await pending?.catch(() => undefined);
        return { check, failure };
      }
    }
    return { check };
  }

  /** Feeds a page's rows to the check one by one, up to the first failure. */
  private async walkRows(
    query: Query,
    municipalityId: string,
    check: AuditChainCheck,
    rows: readonly PageRow[],
  ): Promise<AuditFailure | undefined> {
    for (let i = rows.length > 0 && check.repeatsLast(rows[0]) ? 1 : 0; i < rows.length; i++) {
      const row = rows[i];
      const failure = check.next(
        !('payloadOk' in row)
          ? row
          : row.payloadOk === true && row.hashOk === true
            ? { seq: row.seq, prevHash: row.prevHash, hash: row.hash, checkedInDatabase: true }
            : await this.whole(query, municipalityId, row),
      );
      if (failure) return failure;
    }
    return undefined;
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

  /**
   * Joins the parts in order, then checks that nothing lies beyond the end, that the head agrees
   * and that the checkpoints do.
   */
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
    const chain = judgeHead(municipalityId, checked, lastSeq, lastHash, head);
    if (!chain.ok) return chain;
    const checkpoints = await query<StoredCheckpointRow[]>(CHECKPOINTS, [municipalityId]);
    return judgeCheckpoints(chain, checkpoints, this.options.publicKeys);
  }
}

function queryOn(em: EntityManager): Query {
  const connection = em.getConnection();
  const ctx = em.getTransactionContext();
  return <T>(sql: string, params: unknown[]) =>
    connection.execute(sql, params, 'all', ctx) as Promise<T>;
}
