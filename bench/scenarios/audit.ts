import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import type { BenchContext } from '../lib/context';
import { startCpuCensus } from '../lib/cpu-usage';
import { connect } from '../lib/database';
import { pageCacheResidency } from '../lib/page-cache';
import { runNode } from '../lib/processes';
import { fmt, scenario, settle, type ScenarioResult } from '../lib/results';

/**
 * `node dist/src/verify-audit.cli.js --all` (the harness's compiled copy) over every chain in
 * the bench database: the main municipality's (the loaded history plus what the scenarios
 * appended) and the drain municipality's. Rate = entries verified / the command's wall time.
 */
export async function auditScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const result = scenario(
    'audit',
    'Audit chain verification (verify-audit.cli.js --all)',
    'entries/s',
  );
  try {
    if (!ctx.db) throw new Error('the audit scenario needs the database');
    const client = await connect(ctx.db.url);
    const size = await client.query<{ n: string; bytes: string; table_bytes: string }>(
      "select count(*) as n, coalesce(sum(length(payload::text)), 0) as bytes, pg_total_relation_size('audit_entries') as table_bytes from audit_entries",
    );
    // The scenarios before this one append ~50,000 entries and their write-back jobs, and
    // autovacuum is off on the bench machine: vacuumed first, as autovacuum would have by the
    // time anyone verifies (otherwise the verifier's reads set their hint bits and write those
    // pages back). The scenarios and the data load also leave gigabytes of dirty pages that the
    // checkpointer and the kernel write out over the next minutes, on the same two cores: written
    // out first, so the run times the verifier and not that flush (a first run straight after
    // the load took 6.1-6.4 s, the runs after it 4.4-4.9 s).
    await client.query('vacuum (analyze) audit_entries, audit_chain_heads, writeback_jobs');
    await client.query('checkpoint').catch(() => undefined);
    execFileSync('sync');
    // Not changed, only reported: how much of the chain the verifier will read from memory.
    const cached = await pageCacheResidency(client, 'audit_entries');
    await client.end();
    // Who else had the two cores meanwhile: the figure is the command's wall time.
    const census = startCpuCensus();
    const { output, ms } = await runNode(
      'verify-audit',
      'src/verify-audit.cli.js',
      {
        DATABASE_URL: ctx.db.url,
        NODE_ENV: 'production',
        SESSION_SECRET: ctx.sessionSecret,
        LOG_LEVEL: 'warn',
      },
      ['--all'],
    );
    const cpu = census.stop();
    const lines = output
      .trim()
      .split('\n')
      .filter((l) => /: ok, \d+ entries/.test(l) || /FAILED/.test(l));
    const failedChains = lines.filter((l) => l.includes('FAILED'));
    const entries = lines.reduce(
      (sum, line) => sum + Number(/: ok, (\d+) entries/.exec(line)?.[1] ?? 0),
      0,
    );
    const reportedS = lines.reduce(
      (sum, line) => sum + Number(/\(([\d.]+) s\)/.exec(line)?.[1] ?? 0),
      0,
    );
    if (failedChains.length > 0)
      throw new Error(`verification failed: ${failedChains.join(' | ')}`);
    const rows = Number(size.rows[0].n);
    if (entries !== rows)
      throw new Error(`verified ${entries} entries but the table holds ${rows}`);
    result.portal = Math.round(entries / (ms / 1000));
    result.details = {
      entries,
      chains: lines.length,
      wallS: Number((ms / 1000).toFixed(2)),
      verifyS: Number(reportedS.toFixed(2)),
      entriesPerSecondVerifyOnly: Math.round(entries / reportedS),
      averagePayloadBytes: Math.round(Number(size.rows[0].bytes) / Math.max(1, rows)),
      tableBytes: Number(size.rows[0].table_bytes),
      output: lines.map((l) => l.replace(/last hash \w+ /, '')),
      cpu: cpu ?? null,
      pageCacheBefore: cached
        ? {
            residentMb: Math.round(cached.residentBytes / 1e6),
            totalMb: Math.round(cached.totalBytes / 1e6),
          }
        : null,
    };
    if (cached)
      result.notes.push(
        `before the run ${Math.round(cached.residentBytes / 1e6)} of ${Math.round(cached.totalBytes / 1e6)} MB of the audit table and its indexes were in the OS page cache`,
      );
    if (cpu)
      result.notes.push(
        `during the command ${cpu.machine} of ${availableParallelism()} cores were busy: ${cpu.consumers
          .slice(0, 6)
          .map((c) => `${c.name} ${c.share}`)
          .join(', ')}`,
      );
    ctx.log(
      `audit: ${fmt(entries)} entries in ${(ms / 1000).toFixed(1)} s = ${fmt(result.portal)}/s`,
    );
    if (entries < 1_000_000 && ctx.options.auditEntries >= 1_000_000)
      result.notes.push(`the chain held ${entries} entries, fewer than asked`);
  } catch (error) {
    result.error = (error as Error).message;
  }
  result.targets = [
    {
      text: '≥ 200,000 entries/s',
      pass: result.portal === null || result.error ? null : result.portal >= 200_000,
      measured: `${fmt(result.portal)}/s`,
    },
  ];
  return settle(result);
}
