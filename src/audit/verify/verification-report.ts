import type { AuditVerification } from './audit-chain-check';
import type { UnauditedWriteback } from './writeback-audit-coverage';

/** One line for a person reading the verify command's output. */
export function formatVerification(
  label: string,
  result: AuditVerification,
  seconds: number,
): string {
  const time = `${seconds.toFixed(2)} s`;
  if (result.ok) {
    const n = result.checkpoints ?? 0;
    const signed =
      n === 0
        ? 'no signed checkpoints'
        : `${n} signed checkpoint${n === 1 ? ' agrees' : 's agree'}`;
    return `${label}: ok, ${result.entries} entries, last hash ${result.lastHash} (${time}); ${signed}`;
  }
  const failed = `${label}: FAILED, ${result.problem} at seq ${result.firstBadSeq} (expected ${result.expected}, found ${result.actual})`;
  if (!result.checkpoint) return `${failed} after ${result.entriesChecked} good entries (${time})`;
  const c = result.checkpoint;
  const named = `checkpoint ${c.id} (seq ${c.seq}, ${c.time ?? 'time unreadable'}, key ${c.keyId})`;
  const what =
    result.problem === 'checkpoint-signature'
      ? `${named} is not signed by a trusted key`
      : `the chain contradicts ${named}`;
  return `${failed}: ${what}; checkpoints vouch for the chain up to seq ${result.entriesChecked} (${time})`;
}

/** One line per finished write-back without its entry (the first few), then how many more. */
export function formatUnaudited(
  label: string,
  unaudited: { count: number; first: readonly UnauditedWriteback[] },
): string[] {
  const lines = unaudited.first.map(
    (u) =>
      `${label}: FAILED, write-back job ${u.jobId} (request ${u.deferralRequestId}) is ${u.status} without a ${u.expectedType} entry`,
  );
  const more = unaudited.count - unaudited.first.length;
  if (more > 0) lines.push(`${label}: FAILED, ${more} more write-back jobs without their entries`);
  return lines;
}
