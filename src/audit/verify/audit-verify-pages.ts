import type { DatabaseCheckedRow, StoredAuditRow } from './audit-chain-check';
import {
  PAGE_POSTGRESQL,
  PAGE_POSTGRESQL_DB_CHECK,
  PAGE_POSTGRESQL_SUMMARY,
  PAGE_SQLITE,
} from './audit-verify.sql';

export type Query = <T>(sql: string, params: unknown[]) => Promise<T>;

export type PageRow = StoredAuditRow | CheckedPageRow;

/** A row of `PAGE_POSTGRESQL_DB_CHECK`. */
export interface CheckedPageRow {
  readonly seq: number | string;
  readonly prevHash: string;
  readonly hash: string;
  readonly payloadOk: boolean | null;
  readonly hashOk: boolean | null;
}

/** The row of `PAGE_POSTGRESQL_SUMMARY`. */
interface PageSummary {
  readonly count: number;
  readonly sound: boolean;
  readonly firstSeq: number | string | null;
  readonly firstPrevHash: string | null;
  readonly firstHash: string | null;
  readonly lastSeq: number | string | null;
  readonly lastHash: string | null;
}

/** A page read: its rows one by one, or (PostgreSQL) a sound page as its summary. */
export type Page = { rows: PageRow[] } | { run: SoundRun };

export type PageKind = 'sqlite' | 'postgresql' | 'summary';

/** A sound page of `count` entries from `first` to `last`. */
interface SoundRun {
  readonly first: DatabaseCheckedRow;
  readonly count: number;
  readonly lastSeq: number;
  readonly lastHash: string;
}

/**
 * How a page is read: SQLite and `hashInDatabase: false` fetch every field of every row;
 * otherwise PostgreSQL answers a page with its summary, and only a page that is not sound is
 * read again entry by entry.
 */
export function pageReader(query: Query, municipalityId: string, kind: PageKind, limit: number) {
  const params = (a: number, b: number) => [municipalityId, a, b, limit];
  if (kind !== 'summary') {
    const sql = kind === 'sqlite' ? PAGE_SQLITE : PAGE_POSTGRESQL;
    return async (a: number, b: number): Promise<Page> => ({
      rows: await query<PageRow[]>(sql, params(a, b)),
    });
  }
  return async (a: number, b: number): Promise<Page> => {
    const [summary] = await query<PageSummary[]>(PAGE_POSTGRESQL_SUMMARY, params(a, b));
    const run = soundRun(summary);
    if (run) return { run };
    if (!summary || summary.count === 0) return { rows: [] };
    return { rows: await query<PageRow[]>(PAGE_POSTGRESQL_DB_CHECK, params(a, b)) };
  };
}

/** The summary as a run when the database found the whole page sound and its ends agree. */
function soundRun(summary: PageSummary | undefined): SoundRun | undefined {
  if (!summary?.sound || summary.count < 1) return undefined;
  const { firstSeq, firstPrevHash, firstHash, lastSeq, lastHash } = summary;
  if (firstSeq === null || firstPrevHash === null || firstHash === null) return undefined;
  if (lastSeq === null || lastHash === null) return undefined;
  if (Number(lastSeq) !== Number(firstSeq) + summary.count - 1) return undefined;
  return {
    first: { seq: firstSeq, prevHash: firstPrevHash, hash: firstHash, checkedInDatabase: true },
    count: summary.count,
    lastSeq: Number(lastSeq),
    lastHash,
  };
}
