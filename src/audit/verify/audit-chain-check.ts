import { auditEntryHash, GENESIS_HASH, sha256Hex } from '../audit-hash';
import { canonicalJson } from '../../shared/canonical-json';

export type AuditProblem =
  | 'hash-mismatch'
  | 'broken-link'
  | 'gap-in-sequence'
  | 'head-mismatch'
  /** A signed checkpoint names another hash for an entry than the chain has (or no such entry). */
  | 'checkpoint-mismatch'
  /** A stored checkpoint's signature is by no trusted key, or its statement is not one. */
  | 'checkpoint-signature';

/** The checkpoint a chain contradicts, as an auditor can look it up in their own copies. */
export interface CheckpointReference {
  readonly id: string;
  readonly seq: number;
  readonly keyId: string;
  /** When it was signed, from the signed statement (ISO 8601), if it could be read. */
  readonly time?: string;
}

/**
 * The outcome of checking one chain. On failure `expected` is what the chain committed to (the
 * next seq, the previous entry's hash, the stored hash, the head) and `actual` what was found.
 */
export type AuditVerification =
  | {
      readonly ok: true;
      readonly municipalityId: string;
      readonly entries: number;
      readonly lastHash: string;
      /** Signed checkpoints of the chain that were checked and agree; present when there are any. */
      readonly checkpoints?: number;
      /** The last of them (the one that vouches for the most); present when there are any. */
      readonly latestCheckpoint?: CheckpointReference;
    }
  | {
      readonly ok: false;
      readonly municipalityId: string;
      /**
       * Entries that passed before the first bad one. For a checkpoint problem, the entries a
       * checkpoint that agreed vouches for (the chain itself was consistent throughout).
       */
      readonly entriesChecked: number;
      readonly firstBadSeq: number;
      readonly problem: AuditProblem;
      readonly expected: string;
      readonly actual: string;
      /** For a hash mismatch: whether the payload's hash or the entry's own hash disagrees. */
      readonly hashOf?: 'payload' | 'entry';
      /** For a checkpoint problem: the checkpoint. */
      readonly checkpoint?: CheckpointReference;
    };
export type AuditFailure = Extract<AuditVerification, { ok: false }>;

/** One stored entry as read for verification; `createdAt` is an ISO string or epoch milliseconds. */
export interface StoredAuditRow {
  readonly seq: number | string;
  readonly type: string;
  readonly subjectId: string;
  /** The stored JSON text of the payload. */
  readonly payload: string;
  readonly payloadHash: string;
  readonly prevHash: string;
  readonly hash: string;
  readonly createdAt: string | number;
}

/**
 * A row the database has checked already (PostgreSQL, where the payloads lie): it recomputed the
 * payload's sha256 and the entry hash from the stored fields and found both equal to the stored
 * ones. What is left to check here is the row's place in the chain: its seq and its link.
 */
export interface DatabaseCheckedRow {
  readonly seq: number | string;
  readonly prevHash: string;
  readonly hash: string;
  readonly checkedInDatabase: true;
}

export interface StoredChainHead {
  readonly seq: number | string;
  readonly hash: string;
}

/**
 * Walks one municipality's chain in seq order, one row at a time, keeping only the last link, so
 * memory stays constant however long the chain is. Feed rows with `next` until it returns a
 * failure, then call `finish` with the head row (or undefined if there is none).
 */
export class AuditChainCheck {
  private expectedSeq = 1;
  private lastHash = GENESIS_HASH;
  private checked = 0;
  /** Set in `resume` mode: where this part of the chain began, for joining it to the part before. */
  private start?: { seq: number; prevHash: string };

  /**
   * `resume`: check a later part of the chain on its own, starting at its first row whatever its
   * seq and previous hash; `AuditVerifier` then checks that the parts join. `after`: start after
   * a trusted point instead of at seq 1, e.g. a signed checkpoint's seq and hash.
   */
  constructor(
    readonly municipalityId: string,
    private readonly resume = false,
    after?: { readonly seq: number; readonly hash: string },
  ) {
    if (after) {
      this.expectedSeq = after.seq + 1;
      this.lastHash = after.hash;
    }
  }

  /** The first row's seq and previous hash in `resume` mode, once a row was seen. */
  get began(): { seq: number; prevHash: string } | undefined {
    return this.start;
  }

  get entriesChecked(): number {
    return this.checked;
  }

  /** The seq of the last entry that passed; 0 before the first. */
  get lastSeq(): number {
    return this.expectedSeq - 1;
  }

  /** The hash of the last entry that passed. */
  get lastGoodHash(): string {
    return this.lastHash;
  }

  next(row: StoredAuditRow | DatabaseCheckedRow): AuditFailure | undefined {
    const seq = Number(row.seq);
    if (this.resume && !this.start) {
      this.start = { seq, prevHash: row.prevHash };
      this.expectedSeq = seq;
      this.lastHash = row.prevHash;
    }
    if (seq !== this.expectedSeq)
      return this.fail(
        this.expectedSeq,
        'gap-in-sequence',
        String(this.expectedSeq),
        String(row.seq),
      );
    if (row.prevHash !== this.lastHash)
      return this.fail(seq, 'broken-link', this.lastHash, row.prevHash);
    if ('checkedInDatabase' in row) return this.pass(row.hash);
    let payload = row.payload;
    let payloadHash = sha256Hex(payload);
    if (payloadHash !== row.payloadHash) {
      // The text was stored canonical; if something re-serialized it, judge the content instead.
      const recanonicalized = tryCanonicalize(payload);
      if (recanonicalized !== undefined && recanonicalized !== payload) {
        payload = recanonicalized;
        payloadHash = sha256Hex(payload);
      }
    }
    if (payloadHash !== row.payloadHash)
      return {
        ...this.fail(seq, 'hash-mismatch', row.payloadHash, payloadHash),
        hashOf: 'payload',
      };
    const hash = auditEntryHash({
      prevHash: row.prevHash,
      seq,
      municipalityId: this.municipalityId,
      type: row.type,
      subjectId: row.subjectId,
      createdAtIso:
        typeof row.createdAt === 'number' ? new Date(row.createdAt).toISOString() : row.createdAt,
      payloadHash,
    });
    if (hash !== row.hash)
      return { ...this.fail(seq, 'hash-mismatch', row.hash, hash), hashOf: 'entry' };
    return this.pass(hash);
  }

  /**
   * A run of `count` consecutive entries, from `first` to the one with `lastSeq` and `lastHash`,
   * that the database checked as a whole: each payload and entry hash recomputed and equal to the
   * stored ones, each seq one more than the one before it, each previous hash the hash of the entry
   * before it. What is left to check here is where the run joins the chain, at its first entry,
   * which may be the last entry already checked (pages overlap by one entry).
   */
  nextRun(
    first: DatabaseCheckedRow,
    count: number,
    lastSeq: number,
    lastHash: string,
  ): AuditFailure | undefined {
    if (!this.repeatsLast(first)) {
      const failure = this.next(first);
      if (failure) return failure;
    }
    const following = count - 1;
    if (following < 1) return undefined;
    if (lastSeq !== this.lastSeq + following)
      throw new Error(`a run of ${count} entries cannot end at seq ${lastSeq}`);
    this.expectedSeq = lastSeq + 1;
    this.lastHash = lastHash;
    this.checked += following;
    return undefined;
  }

  /** The row is the last entry checked again: pages overlap by one entry. */
  repeatsLast(row: { readonly seq: number | string; readonly hash: string }): boolean {
    return this.checked > 0 && Number(row.seq) === this.lastSeq && row.hash === this.lastHash;
  }

  private pass(hash: string): undefined {
    this.lastHash = hash;
    this.expectedSeq++;
    this.checked++;
    return undefined;
  }

  /** An entry with this seq exists after the chain seemed to end: a gap before it. */
  unexpected(seq: number | string): AuditFailure {
    return this.fail(this.expectedSeq, 'gap-in-sequence', String(this.expectedSeq), String(seq));
  }

  /** Compares the end of the chain with the head row, which catches entries cut off the end. */
  finish(head: StoredChainHead | undefined): AuditVerification {
    return judgeHead(this.municipalityId, this.checked, this.lastSeq, this.lastHash, head);
  }

  private fail(
    firstBadSeq: number,
    problem: AuditProblem,
    expected: string,
    actual: string,
  ): AuditFailure {
    return {
      ok: false,
      municipalityId: this.municipalityId,
      entriesChecked: this.checked,
      firstBadSeq,
      problem,
      expected,
      actual,
    };
  }
}

function tryCanonicalize(text: string): string | undefined {
  try {
    return canonicalJson(JSON.parse(text));
  } catch {
    return undefined;
  }
}

/** The end of a walked chain (its last seq and hash) against the head row. */
export function judgeHead(
  municipalityId: string,
  entries: number,
  lastSeq: number,
  lastHash: string,
  head: StoredChainHead | undefined,
): AuditVerification {
  const headSeq = head ? Number(head.seq) : 0;
  const headHash = head?.hash ?? GENESIS_HASH;
  if (headSeq === lastSeq && headHash === lastHash)
    return { ok: true, municipalityId, entries, lastHash };
  return {
    ok: false,
    municipalityId,
    entriesChecked: entries,
    firstBadSeq: headSeq === lastSeq ? lastSeq : Math.min(headSeq, lastSeq) + 1,
    problem: 'head-mismatch',
    expected: `${headSeq}:${headHash}`,
    actual: `${lastSeq}:${lastHash}`,
  };
}
