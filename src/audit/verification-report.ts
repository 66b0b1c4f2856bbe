import type { AuditVerification } from './audit-chain-check';

/** One line for a person reading the verify command's output. */
export function formatVerification(
  label: string,
  result: AuditVerification,
  seconds: number,
): string {
  const time = `${seconds.toFixed(2)} s`;
  if (result.ok)
    return `${label}: ok, ${result.entries} entries, last hash ${result.lastHash} (${time})`;
  return (
    `${label}: FAILED, ${result.problem} at seq ${result.firstBadSeq} ` +
    `(expected ${result.expected}, found ${result.actual}) after ${result.entriesChecked} good entries (${time})`
  );
}
