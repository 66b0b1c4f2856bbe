/**
 * An audit export is JSON Lines: a header, the chain's entries in order, the signed checkpoints
 * that cover them, and a footer with the count. Each line stands alone, so an export of a year can
 * be written and checked a line at a time, and a truncated file is told from a whole one by its
 * footer.
 */
export const EXPORT_FORMAT = 'minside-faktura/audit-export';
export const EXPORT_VERSION = 1;

export interface ExportHeader {
  readonly kind: 'header';
  readonly format: typeof EXPORT_FORMAT;
  readonly v: typeof EXPORT_VERSION;
  readonly municipalityId: string;
  readonly municipality: string;
  /** The period asked for (ISO dates, Oslo), for the reader; the entries say what they are. */
  readonly period: { readonly from: string; readonly to: string };
  /** The first entry's seq and the hash before it, so a chain that starts mid-way links up. */
  readonly fromSeq: number;
  readonly prevHash: string;
  readonly exportedAt: string;
}

export interface ExportEntry {
  readonly kind: 'entry';
  readonly seq: number;
  readonly type: string;
  readonly subjectId: string;
  readonly createdAt: string;
  readonly payload: unknown;
  readonly payloadHash: string;
  readonly prevHash: string;
  readonly hash: string;
  /** False for entries after the period, exported only to reach the covering checkpoint. */
  readonly inPeriod: boolean;
}

export interface ExportCheckpoint {
  readonly kind: 'checkpoint';
  /** The signed statement, exactly as signed (canonical JSON). */
  readonly statement: string;
  readonly signature: string;
}

export interface ExportFooter {
  readonly kind: 'footer';
  readonly entries: number;
  readonly checkpoints: number;
}

export type ExportLine = ExportHeader | ExportEntry | ExportCheckpoint | ExportFooter;
