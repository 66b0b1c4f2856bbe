import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from 'pg';

/** How much of some relations' files the OS holds in its page cache. */
export interface PageCacheResidency {
  residentBytes: number;
  totalBytes: number;
}

/**
 * The share of a table's files (with its TOAST table and indexes) in the OS page cache, from
 * util-linux's `fincore` on the files under PostgreSQL's data directory: possible only when the
 * bench runs on the database's machine with read access to its files (as root here), otherwise
 * undefined. Why it is reported: the AMD VMs run DAMON with a `pageout` scheme for unmapped
 * pages (`/sys/kernel/mm/damon/admin/kdamonds/0`), which drops page-cache pages unread for a few
 * seconds, so a table read minutes after it was loaded comes partly from disk (bench/results/NOTES.md,
 * 2026-12-07 noon).
 */
export async function pageCacheResidency(
  client: Client,
  table: string,
): Promise<PageCacheResidency | undefined> {
  try {
    const dir = (await client.query<{ data_directory: string }>('show data_directory')).rows[0]
      .data_directory;
    const { rows } = await client.query<{ path: string }>(
      `select pg_relation_filepath(oid) as path from pg_class
        where oid = $1::regclass
           or oid = (select reltoastrelid from pg_class where oid = $1::regclass)
           or oid in (select indexrelid from pg_index where indrelid = $1::regclass)`,
      [table],
    );
    // A relation's file, then its 1 GB segments `.1`, `.2`, … while they exist.
    const files = rows
      .filter((r) => r.path)
      .flatMap((r) => {
        const base = join(dir, r.path);
        const segments: string[] = [];
        for (let n = 0; existsSync(n === 0 ? base : `${base}.${n}`); n++)
          segments.push(n === 0 ? base : `${base}.${n}`);
        return segments;
      });
    if (files.length === 0) return undefined;
    const out = execFileSync(
      'fincore',
      ['--bytes', '--noheadings', '--output', 'RES,SIZE', ...files],
      {
        encoding: 'utf8',
      },
    );
    let residentBytes = 0;
    let totalBytes = 0;
    for (const line of out.trim().split('\n')) {
      const [res, size] = line.trim().split(/\s+/).map(Number);
      residentBytes += res;
      totalBytes += size;
    }
    return totalBytes > 0 ? { residentBytes, totalBytes } : undefined;
  } catch {
    return undefined;
  }
}
