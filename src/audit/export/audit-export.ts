import type { EntityManager } from '@mikro-orm/core';
import { addDays, type IsoDate } from '../../shared/calendar-date';
import { canonicalJson } from '../../shared/canonical-json';
import { csvCell } from '../../shared/csv';
import { osloMidnight } from '../../shared/oslo-weeks';
import { AuditEntry } from '../audit-entry.entity';
import { GENESIS_HASH } from '../audit-hash';
import { AuditCheckpoint } from '../checkpoints/audit-checkpoint.entity';
import {
  EXPORT_FORMAT,
  EXPORT_VERSION,
  type ExportCheckpoint,
  type ExportEntry,
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

/**
 * The lines of an export (JSON Lines): the entries made in the period, and after them the entries
 * up to the first signed checkpoint at or beyond the period's last entry, so the export carries the
 * signature that vouches for all of it; then every checkpoint in that range. Paged by seq with the
 * entity manager cleared between pages: memory stays at one page whatever the period.
 */
export async function* auditExportLines(
  em: EntityManager,
  request: ExportRequest,
  now: Date = new Date(),
): AsyncGenerator<string> {
  const { id: municipalityId, slug } = request.municipality;
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
  const fromSeq = first?.seq ?? 0;
  const lastInPeriod = last?.seq ?? -1;
  const toSeq = covering?.seq ?? lastInPeriod;
  const header: ExportHeader = {
    kind: 'header',
    format: EXPORT_FORMAT,
    v: EXPORT_VERSION,
    municipalityId,
    municipality: slug,
    period: { from: request.from, to: request.to },
    fromSeq,
    prevHash: first?.prevHash ?? GENESIS_HASH,
    exportedAt: now.toISOString(),
  };
  em.clear();
  yield JSON.stringify(header);
  let entries = 0;
  for (let cursor = fromSeq; first && cursor <= toSeq;) {
    const page = await em.find(
      AuditEntry,
      { municipalityId, seq: { $gte: cursor, $lte: toSeq } },
      { orderBy: { seq: 'asc' }, limit: PAGE },
    );
    if (page.length === 0) break;
    for (const row of page) {
      const line: ExportEntry = {
        kind: 'entry',
        seq: row.seq,
        type: row.type,
        subjectId: row.subjectId,
        createdAt: row.createdAt.toISOString(),
        payload: row.payload,
        payloadHash: row.payloadHash,
        prevHash: row.prevHash,
        hash: row.hash,
        inPeriod: row.seq <= lastInPeriod,
      };
      yield JSON.stringify(line);
    }
    entries += page.length;
    cursor = page[page.length - 1].seq + 1;
    em.clear();
  }
  const checkpoints = first
    ? await em.find(
        AuditCheckpoint,
        { municipalityId, seq: { $gte: fromSeq, $lte: toSeq } },
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
): AsyncGenerator<string> {
  yield '\ufeff' + CSV_HEADER.join(';') + '\r\n';
  for await (const text of auditExportLines(em, request)) {
    const line = JSON.parse(text) as { kind: string } & Partial<ExportEntry>;
    if (line.kind !== 'entry') continue;
    const entry = line as ExportEntry;
    yield (
      [
        entry.seq,
        entry.type,
        entry.subjectId,
        entry.createdAt,
        entry.payloadHash,
        entry.prevHash,
        entry.hash,
        entry.inPeriod ? 'yes' : 'no',
        canonicalJson(entry.payload),
      ]
        .map(csvCell)
        .join(';') + '\r\n'
    );
  }
}
