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
import {
  BEYOND,
  BOUNDS,
  CHECKPOINT_AT,
  CHECKPOINTS,
  HEAD,
  ROW_POSTGRESQL,
} from './audit-verify.sql';

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

/**
 * A stretch of the chain to check instead of the whole of it, and how to follow the check.
 */
export interface VerifyRange {
  /**
   * Start after the signed checkpoint at this seq, from the hash it names: its signature vouches
   * for the chain up to there. It is judged with the others (a trusted key, its entry's hash).
   */
  afterCheckpoint?: number;
  /**
   * The last entry to check; the entry after it, if there is one, must link to it, and otherwise
   * the head must name it. Only checkpoints up to it are held against the chain. On SQLite the
   * stretch is then read a page at a time outside one transaction (its single connection is the
   * whole portal's): entries up to this seq never change, and appends meanwhile come after it.
   */
  upTo?: number;
  /** Told after each page: the entries checked so far and how many the stretch holds. */
  onProgress?: (checked: number, total: number) => void;
  /** Stops the check at the next page, rejecting with the signal's reason. */
  signal?: AbortSignal;
}

interface PartResult {
  check: AuditChainCheck;
  failure?: AuditFailure;
}

/** Where a check starts: after this seq, whose entry has this hash (0 and genesis: the start). */
interface Start {
  seq: number;
  hash: string;
}

/** Counts the entries checked across the parts and tells `onProgress`. */
class Progress {
  private checked = 0;

  constructor(
    private readonly range: VerifyRange,
    readonly total: number,
  ) {}

  page(entries: number): void {
    this.range.signal?.throwIfAborted();
    if (entries <= 0) return;
    this.checked += entries;
    this.range.onProgress?.(this.checked, this.total);
  }
}

/**
 * Re-computes every hash of a municipality's chain and checks each link, the sequence and the head.
 * Reads raw rows in seq-ordered pages (no entities, no identity map) inside one read-only snapshot,
 * so entries appended meanwhile cannot make a sound chain look broken. On PostgreSQL a long chain
 * is cut into parts checked side by side, each on its own connection in that same snapshot
 * (`pg_export_snapshot`), and the parts are then joined: each must begin where the one before
 * ended, with that entry's hash as its previous hash. A chain that holds together is then held
 * against its signed checkpoints, read in the same snapshot. A `VerifyRange` checks a stretch
 * instead (from a signed checkpoint, up to an entry), tells the progress and can be stopped.
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

  async verify(municipalityId: string, range: VerifyRange = {}): Promise<AuditVerification> {
    range.signal?.throwIfAborted();
    const em = this.em.fork();
    if (!(em.getPlatform() instanceof BasePostgreSqlPlatform)) {
      if (range.upTo !== undefined) return this.verifyStretchOnSqlite(em, municipalityId, range);
      return em.transactional(
        async (tem) => {
          const query = queryOn(tem);
          const start = await this.start(query, municipalityId, range);
          if ('ok' in start) return start;
          const progress = await this.progress(query, municipalityId, range, start);
          const part = await this.walk(query, municipalityId, 'sqlite', start, Infinity, progress);
          return this.finish(query, municipalityId, start, [part], range);
        },
        { readOnly: true },
      );
    }
    const kind: PageKind = this.options.hashInDatabase ? 'summary' : 'postgresql';
    return em.transactional(
      async (tem) => {
        const query = queryOn(tem);
        const start = await this.start(query, municipalityId, range);
        if ('ok' in start) return start;
        const progress = await this.progress(query, municipalityId, range, start);
        const end = range.upTo !== undefined ? range.upTo + 1 : Infinity;
        const [bounds] = await query<{ first: string | null; last: string | null }[]>(BOUNDS, [
          municipalityId,
        ]);
        const last = Math.min(Number(bounds?.last ?? 0), end - 1);
        const starts = this.partStarts(start.seq, Number(bounds?.first ?? 0), last);
        if (starts.length === 1) {
          const part = await this.walk(query, municipalityId, kind, start, end, progress);
          return this.finish(query, municipalityId, start, [part], range);
        }
        const [{ snapshot }] = await query<{ snapshot: string }[]>(
          'select pg_export_snapshot() as snapshot',
          [],
        );
        const parts = await Promise.all(
          starts.map((from, i) => {
            const to = i + 1 < starts.length ? starts[i + 1] : end;
            if (i === 0) return this.walk(query, municipalityId, kind, start, to, progress);
            return this.em.fork().transactional(
              async (pem) => {
                const partQuery = queryOn(pem);
                await partQuery(`set transaction snapshot '${snapshot.replace(/'/g, '')}'`, []);
                return this.walk(partQuery, municipalityId, kind, from, to, progress);
              },
              { readOnly: true, isolationLevel: IsolationLevel.REPEATABLE_READ },
            );
          }),
        );
        return this.finish(query, municipalityId, start, parts, range);
      },
      { readOnly: true, isolationLevel: IsolationLevel.REPEATABLE_READ },
    );
  }

  /**
   * SQLite, a stretch ending at `upTo`: pages read one at a time, each on its own, so the portal
   * keeps answering between them; the end, the head and the checkpoints in one transaction.
   */
  private async verifyStretchOnSqlite(
    em: EntityManager,
    municipalityId: string,
    range: VerifyRange,
  ): Promise<AuditVerification> {
    const query = queryOn(em);
    const start = await this.start(query, municipalityId, range);
    if ('ok' in start) return start;
    const progress = await this.progress(query, municipalityId, range, start);
    const part = await this.walk(query, municipalityId, 'sqlite', start, range.upTo! + 1, progress);
    return em.transactional(
      (tem) => this.finish(queryOn(tem), municipalityId, start, [part], range),
      { readOnly: true },
    );
  }

  /**
   * Seq 0 and the genesis hash, or the signed checkpoint the range starts after, judged first (a
   * trusted key, its columns as signed, the chain's hash there): the walk starts from its hash.
   */
  private async start(
    query: Query,
    municipalityId: string,
    range: VerifyRange,
  ): Promise<Start | AuditFailure> {
    if (range.afterCheckpoint === undefined) return { seq: 0, hash: GENESIS_HASH };
    const seq = range.afterCheckpoint;
    const [found] = await query<StoredCheckpointRow[]>(CHECKPOINT_AT, [municipalityId, seq]);
    if (found) {
      const sound = { ok: true as const, municipalityId, entries: 0, lastHash: found.hash };
      const judged = judgeCheckpoints(sound, [found], this.options.publicKeys);
      return judged.ok ? { seq, hash: found.hash } : judged;
    }
    return {
      ok: false,
      municipalityId,
      entriesChecked: 0,
      firstBadSeq: seq,
      problem: 'checkpoint-mismatch',
      expected: `a checkpoint at seq ${seq}`,
      actual: 'none',
    };
  }

  /** How many entries the check covers: to `upTo`, or to the head when the whole chain is. */
  private async progress(
    query: Query,
    municipalityId: string,
    range: VerifyRange,
    start: Start,
  ): Promise<Progress> {
    if (!range.onProgress) return new Progress(range, 0);
    let end = range.upTo;
    if (end === undefined) {
      const [head] = await query<StoredChainHead[]>(HEAD, [municipalityId]);
      end = Number(head?.seq ?? 0);
    }
    return new Progress(range, Math.max(0, end - start.seq));
  }

  /**
   * Where each part begins: the first one just after the start (so a missing first entry shows),
   * the rest evenly up to `last`.
   */
  private partStarts(after: number, first: number, last: number): number[] {
    const begin = after + 1;
    const length = last - Math.min(first, begin) + 1;
    const parts = Math.min(this.options.parts, Math.floor(length / this.options.minPartEntries));
    if (parts <= 1) return [begin];
    const size = Math.ceil(length / parts);
    return Array.from({ length: parts }, (_, i) => begin + i * size);
  }

  /**
   * Checks the rows with `from <= seq < to`. Given a `Start`, the part begins right after it and
   * links to it; given a seq, it is a later part that starts wherever its first row is.
   */
  private async walk(
    query: Query,
    municipalityId: string,
    kind: PageKind,
    begin: Start | number,
    to: number,
    progress: Progress,
  ): Promise<PartResult> {
    const resume = typeof begin === 'number';
    const from = resume ? begin : begin.seq + 1;
    const check = new AuditChainCheck(municipalityId, resume, resume ? undefined : begin);
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
      const before = check.entriesChecked;
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
      try {
        progress.page(check.entriesChecked - before);
      } catch (stopped) {
        await pending?.catch(() => undefined);
        throw stopped;
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
   * Joins the parts in order, then checks the end of the chain (or of the range), the head and
   * the checkpoints.
   */
  private async finish(
    query: Query,
    municipalityId: string,
    start: Start,
    parts: readonly PartResult[],
    range: VerifyRange,
  ): Promise<AuditVerification> {
    let lastSeq = start.seq;
    let lastHash = start.hash;
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
    const [beyond] = await query<{ seq: number | string; prevHash: string }[]>(BEYOND, [
      municipalityId,
      lastSeq,
    ]);
    const [head] = await query<StoredChainHead[]>(HEAD, [municipalityId]);
    const upTo = range.upTo;
    if (upTo !== undefined && lastSeq < upTo)
      return fail(lastSeq + 1, 'gap-in-sequence', String(lastSeq + 1), beyondSeq(beyond));
    if (upTo !== undefined && Number(head?.seq ?? 0) > lastSeq) {
      // The chain goes on past the range: its next entry must link to the range's last one.
      if (!beyond || Number(beyond.seq) !== lastSeq + 1)
        return fail(lastSeq + 1, 'gap-in-sequence', String(lastSeq + 1), beyondSeq(beyond));
      if (beyond.prevHash !== lastHash)
        return fail(lastSeq + 1, 'broken-link', lastHash, beyond.prevHash);
    } else if (beyond) {
      return fail(lastSeq + 1, 'gap-in-sequence', String(lastSeq + 1), String(beyond.seq));
    } else {
      const chain = judgeHead(municipalityId, checked, lastSeq, lastHash, head);
      if (!chain.ok) return chain;
    }
    const sound = { ok: true as const, municipalityId, entries: checked, lastHash };
    const checkpoints = await query<StoredCheckpointRow[]>(CHECKPOINTS, [
      municipalityId,
      start.seq,
      upTo ?? Number.MAX_SAFE_INTEGER,
    ]);
    return judgeCheckpoints(sound, checkpoints, this.options.publicKeys);
  }
}

function beyondSeq(beyond: { seq: number | string } | undefined): string {
  return beyond ? String(beyond.seq) : 'none';
}

function queryOn(em: EntityManager): Query {
  const connection = em.getConnection();
  const ctx = em.getTransactionContext();
  return <T>(sql: string, params: unknown[]) =>
    connection.execute(sql, params, 'all', ctx) as Promise<T>;
}
