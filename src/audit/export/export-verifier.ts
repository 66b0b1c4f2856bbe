import type { KeyObject } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { canonicalJson } from '../../shared/canonical-json';
import { auditEntryHash, sha256Hex } from '../audit-hash';
import { parseStatement, signedBy } from '../checkpoints/checkpoint-statement';
import {
  EXPORT_FORMAT,
  EXPORT_VERSION,
  type ExportCheckpoint,
  type ExportEntry,
  type ExportHeader,
} from './export-format';

export interface ExportReport {
  ok: boolean;
  municipality?: string;
  entries: number;
  /** Checkpoints whose signature verified and whose seq matched an exported entry's hash. */
  checkpointsVerified: number;
  /** The last seq vouched for by a verified checkpoint; entries after it are chained but unsigned. */
  signedUpTo: number | null;
  /** The first problem, naming the line and the entry. */
  problem?: string;
}

export interface VerifyExportOptions {
  /**
   * The seqs the file's checkpoints name (`checkpointSeqs`, from a first reading of the same file):
   * only those entries' hashes are kept for the checkpoints at the end, so memory stays flat
   * however long the file. Without it every entry's hash is kept.
   */
  checkpointSeqs?: ReadonlySet<number>;
}

/**
 * Checks an export offline, with nothing but the file and the municipality's public key(s): every
 * entry's payload hash and chain hash recomputed, each linked to the one before, every checkpoint's
 * signature, and each checkpoint's hash equal to the exported entry at its seq. An export whose
 * entries were all recomputed by someone with database access still fails here: the checkpoint
 * the auditor's key signed names the old hash. Reads one line at a time.
 */
export async function verifyExport(
  lines: AsyncIterable<string>,
  publicKeys: readonly KeyObject[],
  { checkpointSeqs }: VerifyExportOptions = {},
): Promise<ExportReport> {
  const report: ExportReport = { ok: false, entries: 0, checkpointsVerified: 0, signedUpTo: null };
  const fail = (lineNo: number, problem: string): ExportReport => ({
    ...report,
    ok: false,
    problem: `line ${lineNo}: ${problem}`,
  });
  let header: ExportHeader | undefined;
  let prevHash = '';
  let nextSeq = 0;
  const hashes = new Map<number, string>();
  const checkpoints: { line: number; value: ExportCheckpoint }[] = [];
  let footer = false;
  let lineNo = 0;
  for await (const raw of lines) {
    lineNo += 1;
    if (raw.trim() === '') continue;
    if (footer) return fail(lineNo, 'text after the footer');
    let line: Record<string, unknown>;
    try {
      line = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return fail(lineNo, 'not JSON');
    }
    if (!header) {
      if (line.kind !== 'header' || line.format !== EXPORT_FORMAT || line.v !== EXPORT_VERSION)
        return fail(lineNo, `not an audit export (${EXPORT_FORMAT} v${EXPORT_VERSION})`);
      header = line as unknown as ExportHeader;
      report.municipality = header.municipality;
      prevHash = header.prevHash;
      nextSeq = header.fromSeq;
      continue;
    }
    if (line.kind === 'entry') {
      const entry = line as unknown as ExportEntry;
      if (entry.seq !== nextSeq)
        return fail(
          lineNo,
          `entry ${String(entry.seq)} where entry ${nextSeq} was due (removed or reordered)`,
        );
      if (entry.prevHash !== prevHash)
        return fail(lineNo, `entry ${entry.seq} does not link to the entry before it`);
      const payloadHash = sha256Hex(canonicalJson(entry.payload));
      if (payloadHash !== entry.payloadHash)
        return fail(lineNo, `entry ${entry.seq}: its payload is not what was chained (altered)`);
      const hash = auditEntryHash({
        prevHash,
        seq: entry.seq,
        municipalityId: header.municipalityId,
        type: entry.type,
        subjectId: entry.subjectId,
        createdAtIso: entry.createdAt,
        payloadHash,
      });
      if (hash !== entry.hash)
        return fail(lineNo, `entry ${entry.seq}: its hash does not match (altered)`);
      if (!checkpointSeqs || checkpointSeqs.has(entry.seq)) hashes.set(entry.seq, hash);
      prevHash = hash;
      nextSeq += 1;
      report.entries += 1;
    } else if (line.kind === 'checkpoint') {
      checkpoints.push({ line: lineNo, value: line as unknown as ExportCheckpoint });
    } else if (line.kind === 'footer') {
      if (line.entries !== report.entries)
        return fail(
          lineNo,
          `the footer counts ${String(line.entries)} entries, the file holds ${report.entries}`,
        );
      footer = true;
    } else return fail(lineNo, `unknown line kind ${JSON.stringify(line.kind)}`);
  }
  if (!header) return fail(lineNo, 'empty file');
  if (!footer) return fail(lineNo, 'no footer: the export is cut short');
  for (const { line, value } of checkpoints) {
    const statement = parseStatement(value.statement);
    if (!statement) return fail(line, 'a checkpoint that is not a checkpoint statement');
    if (!signedBy(value.statement, value.signature, publicKeys))
      return fail(line, `checkpoint at entry ${statement.seq}: not signed by the given key`);
    if (statement.municipalityId !== header.municipalityId)
      return fail(line, `checkpoint at entry ${statement.seq}: of another municipality`);
    const exported = hashes.get(statement.seq);
    if (exported === undefined && checkpointSeqs && !checkpointSeqs.has(statement.seq))
      return fail(line, `checkpoint at entry ${statement.seq}: the file changed while it was read`);
    if (exported === undefined)
      return fail(line, `checkpoint at entry ${statement.seq}: that entry is not in the export`);
    if (exported !== statement.hash)
      return fail(
        line,
        `entry ${statement.seq} differs from the signed checkpoint (the chain was rewritten)`,
      );
    report.checkpointsVerified += 1;
    report.signedUpTo = Math.max(report.signedUpTo ?? 0, statement.seq);
  }
  return { ...report, ok: true };
}

/**
 * The first reading for `verifyExport`'s `checkpointSeqs`: the seq of every checkpoint line. Only a
 * line holding the word, or a \u escape that could spell it, can be one; the entries (nearly all
 * of a file) are not parsed.
 */
export async function checkpointSeqs(lines: AsyncIterable<string>): Promise<Set<number>> {
  const seqs = new Set<number>();
  for await (const raw of lines) {
    if (!raw.includes('checkpoint') && !raw.includes('\\u')) continue;
    let line: { kind?: unknown; statement?: unknown } | null;
    try {
      line = JSON.parse(raw) as typeof line;
    } catch {
      continue;
    }
    if (line?.kind !== 'checkpoint' || typeof line.statement !== 'string') continue;
    const statement = parseStatement(line.statement);
    if (statement) seqs.add(statement.seq);
  }
  return seqs;
}

/**
 * An export file checked in two readings, a line at a time each: the checkpoints' seqs first, then
 * everything, keeping only those entries' hashes. Memory stays flat however long the file.
 */
export async function verifyExportFile(
  path: string,
  publicKeys: readonly KeyObject[],
): Promise<ExportReport> {
  const lines = () => createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  const seqs = await checkpointSeqs(lines());
  // Only now: readline reads from the moment it is made, and lines no one awaits yet are lost.
  return verifyExport(lines(), publicKeys, { checkpointSeqs: seqs });
}
