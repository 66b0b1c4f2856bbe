import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadRun } from './loadgen';
import type { Machine } from './machine';
import { PRODUCTION_NODE_ARGS } from './portal';
import { fmt, type ScenarioResult } from './results';

export interface BenchReport {
  date: string;
  command: string;
  totalSeconds: number;
  machine: Machine;
  settings: Record<string, unknown>;
  dataset: Record<string, unknown>;
  scenarios: ScenarioResult[];
  /** Top self-time functions per profiled portal run (BENCH_CPU_PROF=1). */
  profiles?: Record<string, { function: string; file: string; selfPercent: number }[]>;
}

function verdict(pass: boolean | null): string {
  return pass === true ? 'PASS' : pass === false ? 'FAIL' : '—';
}

function figure(result: ScenarioResult, value: number | null): string {
  if (value === null) return '—';
  return `${fmt(value)} ${result.unit}`;
}

/** `node 1.23 / PG 0.98` ms per request, or — when not measured. */
function cpuMs(ms: { server: number; postgres?: number } | undefined): string {
  if (!ms) return '—';
  return `${ms.server.toFixed(2)} / ${ms.postgres === undefined ? '—' : ms.postgres.toFixed(2)}`;
}

function summaryRows(report: BenchReport): string[][] {
  return report.scenarios.map((s) => [
    s.id,
    s.error && s.portal === null ? 'error' : figure(s, s.portal),
    figure(s, s.baseline),
    s.ratio === null ? '—' : s.ratio.toFixed(2),
    s.cpuMsPerRequest
      ? `${cpuMs(s.cpuMsPerRequest.portal)} | ${cpuMs(s.cpuMsPerRequest.baseline)}`
      : '—',
    s.targets.map((t) => `${t.text}: ${t.measured ?? '—'} ${verdict(t.pass)}`).join('; '),
    verdict(s.pass),
  ]);
}

function loadRows(report: BenchReport): string[][] {
  const rows: string[][] = [];
  for (const s of report.scenarios) {
    if (!s.load) continue;
    for (const run of [...s.load.baseline, ...s.load.portal] as LoadRun[]) {
      const l = run.latencyMs;
      const r = run.rawLatencyMs;
      rows.push([
        `${s.id}: ${run.name}`,
        fmt(run.throughput, 1),
        fmt(run.requests),
        `${run.elapsedS}`,
        `${l.p50} / ${l.p90} / ${l.p99} / ${l.p99_9} / ${l.max}`,
        `${r.p50} / ${r.p90} / ${r.p99} / ${r.p99_9} / ${r.max}`,
        run.sendLagMs ? `${run.sendLagMs.p99} / ${run.sendLagMs.max}` : '—',
        cpuMs(run.cpuMsPerRequest),
        run.cpu
          ? `${run.cpu.server} (${run.cpu.serverMainThread ?? '—'}, waited ${run.cpu.serverMainThreadWaiting ?? '—'}; ${run.cpu.serverKernel ?? '—'}) / ${run.cpu.postgresBenchDb ?? '—'} (all ${run.cpu.postgres}) / ${run.cpu.loadgen} / ${run.cpu.machine} of ${run.cpu.cores}`
          : '—',
        run.syscallsPerRequest
          ? `${run.syscallsPerRequest.reads} / ${run.syscallsPerRequest.writes}`
          : '—',
        `${run.errors}${run.errors ? ` ${JSON.stringify(run.errorDetail)}` : ''}`,
      ]);
    }
  }
  return rows;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function markdownTable(header: string[], rows: string[][]): string {
  const esc = (c: string) => c.replace(/\|/g, '\\|');
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}

const SUMMARY_HEADER = [
  'scenario',
  'portal',
  'baseline',
  'ratio',
  'CPU ms per request, node / PG: portal | baseline',
  'targets',
  'result',
];
const LOAD_HEADER = [
  'run',
  'req/s',
  'requests',
  'seconds',
  'latency ms p50/p90/p99/p99.9/max (max: autocannon; paced: from when due)',
  'raw ms p50/p90/p99/p99.9/max',
  'paced: sent late ms p99/max',
  'CPU ms/req node / PG',
  'cores busy: server (main thread, its run-queue wait; kernel) / PG bench db (all PG) / load / machine',
  'server reads / writes per req',
  'errors',
];

export function terminalReport(report: BenchReport): string {
  const parts = [
    table(SUMMARY_HEADER, summaryRows(report)),
    '',
    table(LOAD_HEADER, loadRows(report)),
  ];
  for (const s of report.scenarios) {
    if (s.error) parts.push(`\n${s.id}: ${s.error}`);
    for (const note of s.notes) parts.push(`${s.id}: ${note}`);
  }
  return parts.join('\n');
}

/** The portal's flags beyond production's, when the run set BENCH_PORTAL_NODE_ARGS. */
function extraNodeArgs(report: BenchReport): string[] {
  const args = report.settings.portalNodeArgs;
  return Array.isArray(args) ? (args as string[]).slice(PRODUCTION_NODE_ARGS.length) : [];
}

export function markdownReport(report: BenchReport): string {
  const m = report.machine;
  const extraArgs = extraNodeArgs(report);
  const out = [
    '# minside-faktura benchmark: latest results',
    '',
    `${report.date}, \`${report.command}\`, ${Math.round(report.totalSeconds)} s in all. Each scenario measured once in this run, except \`decision\` and \`list\`: they alternate baseline and portal ${Number(report.settings.rounds ?? 1)} times and count each side's best round.`,
    ...(report.settings.cpuProfile
      ? [
          '',
          'Measured with `--cpu-prof` on the portal (BENCH_CPU_PROF=1): its figures are a little lower than without.',
        ]
      : []),
    ...(extraArgs.length > 0
      ? [
          '',
          `The portal ran with extra Node flags (BENCH_PORTAL_NODE_ARGS): \`${extraArgs.join(' ')}\`; not comparable with runs without them.`,
        ]
      : []),
    ...(typeof report.settings.portalEnv === 'string' && report.settings.portalEnv
      ? [
          '',
          `The portal ran with extra environment (BENCH_PORTAL_ENV): \`${report.settings.portalEnv}\`; not comparable with runs without it.`,
        ]
      : []),
    '',
    `Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGB} GB, ${m.os}; Node ${m.node}; ${m.postgresql ?? 'no PostgreSQL'}. Load average ${m.loadAverageAtStart} at start, ${m.loadAverageAtEnd ?? '?'} at end (other work on the machine shows here).`,
    '',
    '## Summary',
    '',
    markdownTable(SUMMARY_HEADER, summaryRows(report)),
    '',
    '## Load runs',
    '',
    'CPU: "node" is the server under test (the portal or a baseline, one process); "PG" the bench database\'s PostgreSQL backends only (their pids from pg_stat_activity, sampled before, every 100 ms during and after the run, utime + stime from /proc). "all PG" is every PostgreSQL process on the machine, other databases\' too.',
    '',
    "Load: \"max\" runs are autocannon's closed-loop connections, as fast as the server answers; their first latency column is autocannon's histogram. \"paced\" runs send one request every 1/rate seconds (open loop, over at most the run's connections) and count each response's latency from when its request was due, so a stall is charged to every request that waited behind it. \"raw\" is each response's time from its request's last byte written. Targets are judged on the higher p99 of the two. (Before commit 409fc59, 2026-12-06, the fixed-rate runs were autocannon `-R`, a quota per connection and second: every connection sent at full speed from the start of each second until its quota was used, so those p99s were taken in a burst at the server's maximum rate.)",
    '',
    markdownTable(LOAD_HEADER, loadRows(report)),
    '',
    '## Settings and data',
    '',
    '```json',
    JSON.stringify({ settings: report.settings, dataset: report.dataset }, null, 2),
    '```',
  ];
  const waits = report.scenarios.flatMap((s) =>
    [...(s.load?.baseline ?? []), ...(s.load?.portal ?? [])]
      .filter((run) => run.pgWaits && Object.keys(run.pgWaits).length > 0)
      .map((run) => [
        `${s.id}: ${run.name}`,
        Object.entries(run.pgWaits ?? {})
          .map(([k, v]) => `${k} ${v}`)
          .join(', '),
      ]),
  );
  const drainWaits = report.scenarios.find((s) => s.id === 'writeback')?.details.pgWaits as
    Record<string, number> | undefined;
  if (drainWaits)
    waits.push([
      'writeback: drain',
      Object.entries(drainWaits)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
    ]);
  if (waits.length) {
    out.push(
      '',
      '## PostgreSQL during the runs',
      '',
      'Average connections of the bench database per state and wait event (pg_stat_activity, sampled every 100 ms; idle connections left out). `Lock:tuple` / `Lock:transactionid`: waiting for a row lock; `idle in transaction`: holding a transaction open while the client works.',
      '',
      markdownTable(['run', 'connections by state/wait'], waits),
    );
  }
  const notes = report.scenarios.flatMap((s) => [
    ...(s.error ? [`- **${s.id}**: ${s.error}`] : []),
    ...s.notes.map((n) => `- ${s.id}: ${n}`),
  ]);
  if (notes.length) out.push('', '## Notes', '', ...notes);
  if (report.profiles) {
    out.push('', '## CPU profiles (top self time)');
    for (const [name, top] of Object.entries(report.profiles)) {
      out.push(
        '',
        `### ${name}`,
        '',
        markdownTable(
          ['self %', 'function', 'file'],
          top.map((t) => [t.selfPercent.toFixed(1), t.function, t.file]),
        ),
      );
    }
  }
  out.push(
    '',
    '## Details',
    '',
    '```json',
    JSON.stringify(Object.fromEntries(report.scenarios.map((s) => [s.id, s.details])), null, 2),
    '```',
    '',
  );
  return out.join('\n');
}

export function writeReport(dir: string, name: string, report: BenchReport): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(dir, `${name}.md`), markdownReport(report));
}
