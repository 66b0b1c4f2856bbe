import type { KeyObject } from 'node:crypto';
import { parseStatement, signedBy } from '../checkpoints/checkpoint-statement';
import type { AuditFailure, AuditVerification, CheckpointReference } from './audit-chain-check';

/** A stored checkpoint beside the hash the chain has at its seq (null: no entry there). */
export interface StoredCheckpointRow {
  readonly id: string;
  readonly seq: number | string;
  readonly hash: string;
  readonly keyId: string;
  readonly signature: string;
  readonly statement: string;
  readonly entryHash: string | null;
}

/**
 * Holds a chain that verified on its own against its signed checkpoints, in seq order: each must
 * be signed by a trusted key, say what its row says, and name the hash the chain has at that seq.
 * A chain recomputed consistently after a change passes every hash check but not this one, since
 * the attacker cannot sign. The first checkpoint that fails is named; `entriesChecked` is then
 * the seq of the last checkpoint that agreed, the part of the chain still vouched for.
 */
export function judgeCheckpoints(
  sound: Extract<AuditVerification, { ok: true }>,
  rows: readonly StoredCheckpointRow[],
  trustedKeys: readonly KeyObject[],
): AuditVerification {
  let vouched = 0;
  let latest: CheckpointReference | undefined;
  for (const row of rows) {
    const seq = Number(row.seq);
    const statement = parseStatement(row.statement);
    const ref: CheckpointReference = { id: row.id, seq, keyId: row.keyId, time: statement?.time };
    const fail = (
      problem: AuditFailure['problem'],
      expected: string,
      actual: string,
    ): AuditFailure => ({
      ok: false,
      municipalityId: sound.municipalityId,
      entriesChecked: vouched,
      firstBadSeq: seq,
      problem,
      expected,
      actual,
      checkpoint: ref,
    });
    if (trustedKeys.length === 0)
      return fail('checkpoint-signature', 'a trusted public key', 'none given');
    if (!signedBy(row.statement, row.signature, trustedKeys))
      return fail('checkpoint-signature', 'a signature by a trusted key', `key ${row.keyId}`);
    if (!statement) return fail('checkpoint-signature', 'a checkpoint statement', 'another text');
    const said = `${statement.municipalityId} ${statement.seq}:${statement.hash} ${statement.keyId}`;
    const stored = `${sound.municipalityId} ${seq}:${row.hash} ${row.keyId}`;
    // The signed text is the checkpoint; columns that disagree with it were changed afterwards.
    if (said !== stored) return fail('checkpoint-mismatch', said, stored);
    if (row.entryHash !== statement.hash)
      return fail('checkpoint-mismatch', statement.hash, row.entryHash ?? 'no entry');
    vouched = seq;
    latest = ref;
  }
  return latest ? { ...sound, checkpoints: rows.length, latestCheckpoint: latest } : sound;
}
