import type { AuditVerification } from '../../audit';

/** Which entries a run covers, fixed when it starts (see `verification-scope.ts`). */
export interface VerificationScope {
  /** The first entry checked: 1, or the one after the signed checkpoint it starts from. */
  readonly firstSeq: number;
  /** The last entry checked: the period's last, or the newest when the run started. */
  readonly lastSeq: number;
  /** The signed checkpoint the run starts from (its signature vouches for the chain up to it). */
  readonly anchor: { readonly seq: number; readonly at: string } | null;
  /** The entries made in the period asked for; null when no period was asked or it has none. */
  readonly period: { readonly firstSeq: number; readonly lastSeq: number } | null;
  /** The last entry checked was the chain's newest when the run started. */
  readonly toHead: boolean;
}

/**
 * What is wrong with the first entry that fails, as the page says it (the last part of an
 * `auditVerify.reasons.*` key): its payload or its own hash does not match, it does not link to
 * the entry before it, it links to another entry than the one before it (out of order), it is
 * missing, the chain ends elsewhere than its head says, or it contradicts a signed checkpoint (or
 * a checkpoint is not signed by a trusted key).
 */
export const FAILURE_REASONS = [
  'payload',
  'hash',
  'link',
  'order',
  'gap',
  'head',
  'checkpoint',
  'signature',
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

export interface CheckpointSeen {
  readonly id?: string;
  readonly seq: number;
  /** When it was signed (ISO 8601), if known. */
  readonly at: string | null;
  readonly keyId?: string;
}

/** A run's verdict as stored (JSON) and shown. */
export type VerificationOutcome =
  | {
      readonly verdict: 'sound';
      readonly entries: number;
      /** Signed checkpoints in the range, every one agreeing, and the latest of them. */
      readonly checkpoints: number;
      readonly latestCheckpoint: CheckpointSeen | null;
    }
  | {
      readonly verdict: 'failed';
      /** The first entry that fails (for a checkpoint problem, the checkpoint's entry). */
      readonly seq: number;
      readonly reason: FailureReason;
      /** The verifier's own words, as `npm run audit:verify` prints them. */
      readonly problem: string;
      readonly expected: string;
      readonly actual: string;
      readonly entriesChecked: number;
      readonly checkpoint: CheckpointSeen | null;
      /** Out of order: the seq of the entry this one links to instead of the one before it. */
      readonly linksTo: number | null;
      /** The decision the entry is about, for a link to its page. */
      readonly decision: { readonly id: string; readonly reference: string } | null;
    }
  | {
      readonly verdict: 'interrupted';
      /** `shutdown`: the instance running it stopped; `error`: the check itself failed. */
      readonly why: 'shutdown' | 'error';
    };

/** What the verifier said, before the failure's entry is looked up. */
export function outcomeOf(result: AuditVerification): VerificationOutcome {
  if (result.ok) {
    const latest = result.latestCheckpoint;
    return {
      verdict: 'sound',
      entries: result.entries,
      checkpoints: result.checkpoints ?? 0,
      latestCheckpoint: latest
        ? { id: latest.id, seq: latest.seq, at: latest.time ?? null, keyId: latest.keyId }
        : null,
    };
  }
  const c = result.checkpoint;
  return {
    verdict: 'failed',
    seq: result.firstBadSeq,
    reason: reasonOf(result),
    problem: result.problem,
    expected: result.expected,
    actual: result.actual,
    entriesChecked: result.entriesChecked,
    checkpoint: c ? { id: c.id, seq: c.seq, at: c.time ?? null, keyId: c.keyId } : null,
    linksTo: null,
    decision: null,
  };
}

function reasonOf(failure: Extract<AuditVerification, { ok: false }>): FailureReason {
  switch (failure.problem) {
    case 'hash-mismatch':
      return failure.hashOf === 'payload' ? 'payload' : 'hash';
    case 'broken-link':
      return 'link';
    case 'gap-in-sequence':
      return 'gap';
    case 'head-mismatch':
      return 'head';
    case 'checkpoint-mismatch':
      return 'checkpoint';
    case 'checkpoint-signature':
      return 'signature';
  }
}

/** A broken link to an entry elsewhere in the chain is an entry out of order. */
export function withLinkTarget(
  outcome: VerificationOutcome,
  linkedSeq: number | null,
): VerificationOutcome {
  if (outcome.verdict !== 'failed' || outcome.reason !== 'link' || linkedSeq === null)
    return outcome;
  if (linkedSeq === outcome.seq - 1) return outcome;
  return { ...outcome, reason: 'order', linksTo: linkedSeq };
}
