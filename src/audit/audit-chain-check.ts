import { auditEntryHash, canonicalJson, GENESIS_HASH, sha256Hex } from './audit-hash';

export type AuditProblem = 'hash-mismatch' | 'broken-link' | 'gap-in-sequence' | 'head-mismatch';

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
    }
  | {
      readonly ok: false;
      readonly municipalityId: string;
      /** Entries that passed before the first bad one. */
      readonly entriesChecked: number;
      readonly firstBadSeq: number;
      readonly problem: AuditProblem;
      readonly expected: string;
      readonly actual: string;
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

  constructor(readonly municipalityId: string) {}

  /** The seq of the last entry that passed; 0 before the first. */
  get lastSeq(): number {
    return this.expectedSeq - 1;
  }

  /** The hash of the last entry that passed. */
  get lastGoodHash(): string {
    return this.lastHash;
  }

  next(row: StoredAuditRow): AuditFailure | undefined {
    const seq = Number(row.seq);
    if (seq !== this.expectedSeq)
      return this.fail(
        this.expectedSeq,
        'gap-in-sequence',
        String(this.expectedSeq),
        String(row.seq),
      );
    if (row.prevHash !== this.lastHash)
      return this.fail(seq, 'broken-link', this.lastHash, row.prevHash);
    let payload = row.payload;
    let payloadHash = sha256Hex(payload);
    if (payloadHash !== row.payloadHash) {
      // The text was stored canonical; if something re-serialized it, judge the content instead.
      const recanonicalized = tryCanonicalize(payload);
      if (recanonicalized !== undefined && recanonicalized !== payload) {
        payload = recanonicalized;
        payloadHash = sha256Hex(payload);
      }
      if (payloadHash !== row.payloadHash)
        return this.fail(seq, 'hash-mismatch', row.payloadHash, payloadHash);
    }
    const hash = auditEntryHash({
      prevHash: row.prevHash,
      seq,
      municipalityId: this.municipalityId,
      type: row.type,
      subjectId: row.subjectId,
      createdAtIso:
        typeof row.createdAt === 'number' ? new Date(row.createdAt).toISOString() : row.createdAt,
      canonicalPayload: payload,
    });
    if (hash !== row.hash) return this.fail(seq, 'hash-mismatch', row.hash, hash);
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
    const headSeq = head ? Number(head.seq) : 0;
    const headHash = head?.hash ?? GENESIS_HASH;
    const lastSeq = this.lastSeq;
    if (headSeq === lastSeq && headHash === this.lastHash) {
      return {
        ok: true,
        municipalityId: this.municipalityId,
        entries: this.checked,
        lastHash: this.lastHash,
      };
    }
    const firstBadSeq = headSeq === lastSeq ? lastSeq : Math.min(headSeq, lastSeq) + 1;
    return this.fail(
      firstBadSeq,
      'head-mismatch',
      `${headSeq}:${headHash}`,
      `${lastSeq}:${this.lastHash}`,
    );
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
