import autocannon from 'autocannon';
import { type CpuShares, startCpuCount, TICK } from './cpu-usage';
import { PgWaitSampler } from './pg-waits';

export interface HttpRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface Percentiles {
  p50: number;
  p90: number;
  p99: number;
  p99_9: number;
  max: number;
  mean: number;
}

export interface LoadRun {
  name: string;
  /** `max`: as fast as `connections` closed-loop connections go; `fixed`: autocannon -R. */
  mode: 'max' | 'fixed';
  rate?: number;
  connections: number;
  durationS: number;
  /** Responses received. */
  requests: number;
  elapsedS: number;
  /** Responses per second over the run. */
  throughput: number;
  /** autocannon's histogram: with -R it adds the requests that coordinated omission hid. */
  latencyMs: Percentiles;
  /** Every response's own time, nothing added. */
  rawLatencyMs: Percentiles;
  /** Anything but the expected answer: other statuses, socket errors, timeouts. */
  errors: number;
  errorDetail: Record<string, number>;
  /** The first few unexpected answers, tags stripped. */
  errorSamples: string[];
  /** Average PostgreSQL connections per state/wait event during the run (when sampled). */
  pgWaits?: Record<string, number>;
  /** Cores kept busy during the run, by whom (Linux only). */
  cpu?: CpuShares;
  /**
   * CPU milliseconds per response: of the server under test (its one process) and of the bench
   * database's PostgreSQL backends (when the run samples the database; other databases left out).
   */
  cpuMsPerRequest?: { server: number; postgres?: number };
  /** The run stopped early because the prepared requests (e.g. distinct invoices) ran out. */
  exhausted: boolean;
}

function percentiles(values: Float64Array): Percentiles {
  if (values.length === 0) return { p50: 0, p90: 0, p99: 0, p99_9: 0, max: 0, mean: 0 };
  values.sort();
  const at = (q: number) => values[Math.min(values.length - 1, Math.ceil(q * values.length) - 1)];
  let sum = 0;
  for (const v of values) sum += v;
  const r = (v: number) => Number(v.toFixed(2));
  return {
    p50: r(at(0.5)),
    p90: r(at(0.9)),
    p99: r(at(0.99)),
    p99_9: r(at(0.999)),
    max: r(values[values.length - 1]),
    mean: r(sum / values.length),
  };
}

export interface LoadSpec {
  name: string;
  /** Base URL, e.g. http://127.0.0.1:3000 */
  url: string;
  connections: number;
  durationS: number;
  /** Requests per second over all connections (autocannon -R); unset for maximum rate. */
  rate?: number;
  /** How many requests `next` can still prepare; the run never asks for more. */
  available?: number;
  next: () => HttpRequest;
  ok: (status: number, headers: Record<string, string | string[]>) => boolean;
  /** Database URL to sample pg_stat_activity from during the run. */
  waitsFrom?: string;
  /** The server under load, for its share of the CPU. */
  serverPid?: number;
}

/** One autocannon run; every response is checked with `ok`. */
export async function runLoad(spec: LoadSpec): Promise<LoadRun> {
  const errorDetail: Record<string, number> = {};
  const count = (key: string) => (errorDetail[key] = (errorDetail[key] ?? 0) + 1);
  const raw: number[] = [];
  const samples: string[] = [];
  let sent = 0;
  const connections =
    spec.available !== undefined
      ? Math.max(1, Math.min(spec.connections, spec.available))
      : spec.connections;
  const waits = spec.waitsFrom ? await PgWaitSampler.start(spec.waitsFrom) : undefined;
  const started = performance.now();
  const cpuCount = startCpuCount(spec.serverPid);
  const instance = autocannon({
    url: spec.url,
    connections,
    duration: spec.durationS,
    ...(spec.rate ? { overallRate: spec.rate } : {}),
    ...(spec.available !== undefined ? { maxOverallRequests: spec.available } : {}),
    timeout: 10,
    requests: [
      {
        setupRequest: (request) => {
          sent++;
          const next = spec.next();
          return {
            ...request,
            method: next.method,
            path: next.path,
            headers: { ...request.headers, ...next.headers },
            body: next.body ?? '',
          };
        },
        onResponse: (status, body, _context, rawHeaders) => {
          // autocannon keeps header names as sent (Express: "Location"; node:http as written).
          const headers: Record<string, string | string[]> = {};
          for (const [name, value] of Object.entries(rawHeaders))
            headers[name.toLowerCase()] = value;
          if (!spec.ok(status, headers)) {
            const location = headers.location
              ? ` → ${String(headers.location).split('?')[0].slice(0, 40)}`
              : '';
            count(`status ${status}${location}`);
            if (samples.length < 3)
              samples.push(
                `${status}: ${String(body)
                  .replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/g, '')
                  .replace(/<[^>]+>/g, ' ')
                  .replace(/\s+/g, ' ')
                  .trim()
                  .slice(0, 400)}`,
              );
          }
        },
      },
    ],
  });
  instance.on(
    'response',
    (_client: unknown, _status: number, _bytes: number, responseTime: number) =>
      raw.push(responseTime),
  );
  const result = await instance;
  const elapsedS = (performance.now() - started) / 1000;
  const cpu = cpuCount.stop();
  const sampled = await waits?.stop();
  const pgWaits = sampled?.waits;
  let cpuMsPerRequest: LoadRun['cpuMsPerRequest'];
  if (cpu && raw.length > 0) {
    const perRequest = (ms: number) => Number((ms / raw.length).toFixed(3));
    if (sampled)
      cpu.postgresBenchDb = Number((sampled.backendTicks / TICK / cpu.seconds).toFixed(2));
    cpuMsPerRequest = {
      server: perRequest(cpu.server * cpu.seconds * 1000),
      ...(sampled ? { postgres: perRequest((sampled.backendTicks * 1000) / TICK) } : {}),
    };
  }
  if (result.errors) errorDetail['socket errors'] = result.errors - result.timeouts;
  if (result.timeouts) errorDetail.timeouts = result.timeouts;
  for (const key of Object.keys(errorDetail)) if (!errorDetail[key]) delete errorDetail[key];
  const errors = Object.values(errorDetail).reduce((a, b) => a + b, 0);
  const latency = result.latency;
  const r = (v: number) => Number((v ?? 0).toFixed(2));
  return {
    name: spec.name,
    mode: spec.rate ? 'fixed' : 'max',
    rate: spec.rate,
    connections,
    durationS: spec.durationS,
    requests: raw.length,
    elapsedS: Number(elapsedS.toFixed(2)),
    throughput: Number((raw.length / elapsedS).toFixed(1)),
    latencyMs: {
      p50: r(latency.p50),
      p90: r(latency.p90),
      p99: r(latency.p99),
      p99_9: r(latency.p99_9),
      max: r(latency.max),
      mean: r(latency.mean),
    },
    rawLatencyMs: percentiles(Float64Array.from(raw)),
    errors,
    errorDetail,
    errorSamples: samples,
    ...(pgWaits ? { pgWaits } : {}),
    ...(cpu ? { cpu } : {}),
    ...(cpuMsPerRequest ? { cpuMsPerRequest } : {}),
    exhausted:
      spec.available !== undefined && sent >= spec.available && elapsedS < spec.durationS * 0.97,
  };
}

/** The higher of autocannon's p99 and the raw one; targets are judged on it. */
export function p99Of(run: LoadRun): number {
  return Math.max(run.latencyMs.p99, run.rawLatencyMs.p99);
}

/** A side's best round: the highest rate among its max-rate runs, the lowest p99 among fixed-rate ones. */
export function bestRun(runs: readonly LoadRun[], mode: 'max' | 'fixed'): LoadRun | undefined {
  return runs
    .filter((r) => r.mode === mode)
    .sort((a, b) => (mode === 'max' ? b.throughput - a.throughput : p99Of(a) - p99Of(b)))[0];
}

/** `, CPU per request: node 1.02 ms, PostgreSQL (bench db) 0.95 ms` for a run's log line. */
export function cpuText(run: LoadRun): string {
  const ms = run.cpuMsPerRequest;
  if (!ms) return '';
  return `, CPU per request: node ${ms.server.toFixed(2)} ms, PostgreSQL (bench db) ${ms.postgres?.toFixed(2) ?? '—'} ms`;
}
