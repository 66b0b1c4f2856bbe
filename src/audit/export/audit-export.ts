import type { EntityManager } from '@mikro-orm/core';
import { BasePostgreSqlPlatform } from '@mikro-orm/sql';
import { addDays, type IsoDate } from '../../shared/calendar-date';
import { csvCell } from '../../shared/csv';
import { osloMidnight } from '../../shared/oslo-weeks';
import { AuditEntry } from '../audit-entry.entity';
import { GENESIS_HASH } from '../audit-hash';
import { AuditCheckpoint } from '../checkpoints/audit-checkpoint.entity';
import type { StoredAuditRow } from '../verify/audit-chain-check';
import { PAGE_POSTGRESQL, PAGE_SQLITE } from '../verify/audit-verify.sql';
import {
  EXPORT_FORMAT,
  EXPORT_VERSION,
  type ExportCheckpoint,
  type ExportHeader,
} from './export-format';

/** Entries read per query: a page at a time, so a year of entries never sits in memory at once. */
const PAGE = 1_000;

export interface ExportRequest {
  municipality: { id: string; slug: string };
  /** Oslo calendar dates, both included. */
  from: IsoDate;
  to: IsoDate;
}

export interface ExportOptions {
  /** The export's time, in its header. */
  now?: Date;
  /** Entries per query (tests make it small). */
  pageSize?: number;
}

/** The seqs an export covers, and the link before its first entry. */
interface ExportRange {
  /** False when the period holds no entry: nothing is exported but the header and footer. */
  any: boolean;
  fromSeq: number;
  /** The period's last entry; those after it are exported only to reach the covering checkpoint. */
  lastInPeriod: number;
  toSeq: number;
  prevHash: string;
}

/**
 * The entries made in the period, and after them the entries up to the first signed checkpoint at
 * or beyond the period's last entry, so the export carries the signature that vouches for all of it.
 */
async function exportRange(em: EntityManager, request: ExportRequest): Promise<ExportRange> {
  const municipalityId = request.municipality.id;
  const start = osloMidnight(request.from);
  const end = osloMidnight(addDays(request.to, 1));
  const [first] = await em.find(
    AuditEntry,
    { municipalityId, createdAt: { $gte: start, $lt: end } },
    { orderBy: { seq: 'asc' }, limit: 1 },
  );
  const [last] = await em.find(
    AuditEntry,
    { municipalityId, createdAt: { $gte: start, $lt: end } },
    { orderBy: { seq: 'desc' }, limit: 1 },
  );
  const [covering] = last
    ? await em.find(
        AuditCheckpoint,
        { municipalityId, seq: { $gte: last.seq } },
        { orderBy: { seq: 'asc' }, limit: 1 },
      )
    : [];
  const range: ExportRange = {
    any: first !== undefined,
    fromSeq: first?.seq ?? 0,
    lastInPeriod: last?.seq ?? -1,
    toSeq: covering?.seq ?? last?.seq ?? -1,
    prevHash: first?.prevHash ?? GENESIS_HASH,
  };
  em.clear();
  return range;
}

/**
 * The lines of an export (JSON Lines): a header, the entries of `exportRange`, every checkpoint in
 * that range, and a footer. Read a page at a time: memory stays at one page whatever the period.
 */
export async function* auditExportLines(
  em: EntityManager,
  request: ExportRequest,
  { now = new Date(), pageSize = PAGE }: ExportOptions = {},
): AsyncGenerator<string> {
  const { id: municipalityId, slug } = request.municipality;
  const range = await exportRange(em, request);
  const header: ExportHeader = {
    kind: 'header',
    format: EXPORT_FORMAT,
    v: EXPORT_VERSION,
    municipalityId,
    municipality: slug,
    period: { from: request.from, to: request.to },
    fromSeq: range.fromSeq,
    prevHash: range.prevHash,
    exportedAt: now.toISOString(),
  };
  yield JSON.stringify(header);
  let entries = 0;
  for await (const row of storedEntries(em, municipalityId, range, pageSize)) {
    yield entryLine(row, Number(row.seq) <= range.lastInPeriod);
    entries += 1;
  }
  const checkpoints = range.any
    ? await em.find(
        AuditCheckpoint,
        { municipalityId, seq: { $gte: range.fromSeq, $lte: range.toSeq } },
        { orderBy: { seq: 'asc' } },
      )
    : [];
  for (const checkpoint of checkpoints) {
    const line: ExportCheckpoint = {
      kind: 'checkpoint',
      statement: checkpoint.statement,
      signature: checkpoint.signature,
    };
    yield JSON.stringify(line);
  }
  yield JSON.stringify({ kind: 'footer', entries, checkpoints: checkpoints.length });
}

/**
 * The range's entries a page at a time, as rows rather than entities: the payload as its stored
 * text and the time already in ISO form (the verifier's page queries). Entities cost most of an
 * export's time: each payload was parsed, then serialized for the ORM's snapshot and again for the
 * line.
 */
async function* storedEntries(
  em: EntityManager,
  municipalityId: string,
  range: ExportRange,
  pageSize: number,
): AsyncGenerator<StoredAuditRow> {
  if (!range.any) return;
  const sql = em.getPlatform() instanceof BasePostgreSqlPlatform ? PAGE_POSTGRESQL : PAGE_SQLITE;
  const connection = em.getConnection();
  for (let cursor = range.fromSeq; cursor <= range.toSeq;) {
    const page = await connection.execute<StoredAuditRow[]>(
      sql,
      [municipalityId, cursor, range.toSeq + 1, pageSize],
      'all',
    );
    if (page.length === 0) return;
    cursor = Number(page[page.length - 1].seq) + 1;
    // Each row is let go once its line is made, rather than the whole page being held until its
    // last line: rows that outlive two young-generation collections are moved to the old one, and
    // the old generation's high-water mark is what the export's peak RSS follows.
    page.reverse();
    while (page.length > 0) yield page.pop()!;
  }
}

/** The stored payload text (canonical JSON, the bytes that were hashed), on one line. */
function payloadText(row: StoredAuditRow): string {
  // Only a hand-edited row can hold a line break; re-serialized, its entry stays one line.
  return /[\r\n]/.test(row.payload) ? JSON.stringify(JSON.parse(row.payload)) : row.payload;
}

function isoTime(row: StoredAuditRow): string {
  return typeof row.createdAt === 'number' ? new Date(row.createdAt).toISOString() : row.createdAt;
}

/** An entry's line (ExportEntry, its fields in that order) with the payload's text put in as it is. */
function entryLine(row: StoredAuditRow, inPeriod: boolean): string {
  const before = JSON.stringify({
    kind: 'entry',
    seq: Number(row.seq),
    type: row.type,
    subjectId: row.subjectId,
    createdAt: isoTime(row),
  });
  const after = JSON.stringify({
    payloadHash: row.payloadHash,
    prevHash: row.prevHash,
    hash: row.hash,
    inPeriod,
  });
  return `${before.slice(0, -1)},"payload":${payloadText(row)},${after.slice(1)}`;
}

const CSV_HEADER = [
  'seq',
  'type',
  'subject_id',
  'created_at',
  'payload_hash',
  'prev_hash',
  'hash',
  'in_period',
  'payload',
];

/**
 * The same export as CSV rows for a spreadsheet (`;`, CRLF, a byte order mark first): the entries
 * only, each payload as its canonical JSON in one cell. The JSON Lines export is the one to verify;
 * this is for reading.
 */
export async function* auditExportCsvRows(
  em: EntityManager,
  request: ExportRequest,
  { pageSize = PAGE }: ExportOptions = {},
): AsyncGenerator<string> {
  yield '\ufeff' + CSV_HEADER.join(';') + '\r\n';
  const range = await exportRange(em, request);
  for await (const row of storedEntries(em, request.municipality.id, range, pageSize)) {
    yield (
      [
        Number(row.seq),
        row.type,
        row.subjectId,
        isoTime(row),
        row.payloadHash,
        row.prevHash,
        row.hash,
        Number(row.seq) <= range.lastInPeriod ? 'yes' : 'no',
        payloadText(row),
      ]
        .map(csvCell)
        .join(';') + '\r\n'
    );
  }
}
