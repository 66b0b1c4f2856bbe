import http from 'node:http';
import autocannon from 'autocannon';
import { type CpuShares, ioCalls, startCpuCount, TICK } from './cpu-usage';
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
  /** `max`: as fast as `connections` closed-loop connections go; `fixed`: paced, open loop. */
  mode: 'max' | 'fixed';
  rate?: number;
  connections: number;
  durationS: number;
  /** Responses received. */
  requests: number;
  elapsedS: number;
  /** Responses per second over the run. */
  throughput: number;
  /**
   * At maximum rate autocannon's histogram; at a fixed rate each response's time from when its
   * request was due (the wait behind a slow answer included).
   */
  latencyMs: Percentiles;
  /** Every response's own time, nothing added. */
  rawLatencyMs: Percentiles;
  /**
   * Paced runs: how late the pacer sent each request after it was due (its own event loop's
   * delay). Large values would be the harness's latency, not the server's.
   */
  sendLagMs?: Percentiles;
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
  /**
   * The server's read- and write-type system calls per response (/proc/PID/io; Linux). On a VM
   * where one costs tens of microseconds, what a request costs depends on how many it makes.
   */
  syscallsPerRequest?: { reads: number; writes: number };
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
  /** Requests per second, paced evenly over at most `connections`; unset for maximum rate. */
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

/** What either load generator hands back for the common bookkeeping in `runLoad`. */
interface Generated {
  /** Every response's time from the moment its request was written. */
  raw: number[];
  /** The latency histogram the run reports first (see LoadRun.latencyMs). */
  latency: Percentiles;
  sent: number;
  sendLag?: Percentiles;
}

/**
 * One run; every response is checked with `ok`. At maximum rate autocannon drives `connections`
 * closed-loop connections. At a fixed rate the requests go out paced (`pacedRequests`): autocannon's
 * `-R` is a quota per connection and second, so all connections start each second together at full
 * speed and stop once their quota is used, and what it measured was a burst at the maximum rate.
 */
export async function runLoad(spec: LoadSpec): Promise<LoadRun> {
  const errorDetail: Record<string, number> = {};
  const count = (key: string, n = 1) => (errorDetail[key] = (errorDetail[key] ?? 0) + n);
  const samples: string[] = [];
  const check: Check = (status, headers, body) => {
    if (spec.ok(status, headers)) return;
    const location = headers.location
      ? ` → ${String(headers.location).split('?')[0].slice(0, 40)}`
      : '';
    count(`status ${status}${location}`);
    if (samples.length < 3)
      samples.push(
        `${status}: ${body()
          .replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/g, '')
          .replace(/<[^>]+>/g, ' ')
          .replace(/\s+/g, ' ')
          .trim()
          .slice(0, 400)}`,
      );
  };
  const connections =
    spec.available !== undefined
      ? Math.max(1, Math.min(spec.connections, spec.available))
      : spec.connections;
  const waits = spec.waitsFrom ? await PgWaitSampler.start(spec.waitsFrom) : undefined;
  const started = performance.now();
  const cpuCount = startCpuCount(spec.serverPid);
  const calls0 = spec.serverPid ? ioCalls(spec.serverPid) : undefined;
  const generated = spec.rate
    ? await pacedRequests(spec, spec.rate, connections, check, count)
    : await autocannonRequests(spec, connections, check, count);
  const { raw } = generated;
  const elapsedS = (performance.now() - started) / 1000;
  const cpu = cpuCount.stop();
  const calls1 = spec.serverPid ? ioCalls(spec.serverPid) : undefined;
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
  for (const key of Object.keys(errorDetail)) if (!errorDetail[key]) delete errorDetail[key];
  const errors = Object.values(errorDetail).reduce((a, b) => a + b, 0);
  const per = (n: number) => Number((n / raw.length).toFixed(1));
  const syscallsPerRequest =
    calls0 && calls1 && raw.length > 0
      ? { reads: per(calls1.reads - calls0.reads), writes: per(calls1.writes - calls0.writes) }
      : undefined;
  return {
    name: spec.name,
    mode: spec.rate ? 'fixed' : 'max',
    rate: spec.rate,
    connections,
    durationS: spec.durationS,
    requests: raw.length,
    elapsedS: Number(elapsedS.toFixed(2)),
    throughput: Number((raw.length / elapsedS).toFixed(1)),
    latencyMs: generated.latency,
    rawLatencyMs: percentiles(Float64Array.from(raw)),
    ...(generated.sendLag ? { sendLagMs: generated.sendLag } : {}),
    errors,
    errorDetail,
    errorSamples: samples,
    ...(pgWaits ? { pgWaits } : {}),
    ...(cpu ? { cpu } : {}),
    ...(cpuMsPerRequest ? { cpuMsPerRequest } : {}),
    ...(syscallsPerRequest ? { syscallsPerRequest } : {}),
    exhausted:
      spec.available !== undefined &&
      generated.sent >= spec.available &&
      elapsedS < spec.durationS * 0.97,
  };
}

/** Checks an answer; the body is decoded only for an unexpected one (a page is ~20–40 kB). */
type Check = (
  status: number,
  headers: Record<string, string | string[]>,
  body: () => string,
) => void;

/** Closed-loop connections as fast as the server answers (autocannon). */
async function autocannonRequests(
  spec: LoadSpec,
  connections: number,
  check: Check,
  count: (key: string, n?: number) => void,
): Promise<Generated> {
  const raw: number[] = [];
  let sent = 0;
  const instance = autocannon({
    url: spec.url,
    connections,
    duration: spec.durationS,
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
          check(status, headers, () => String(body));
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
  count('socket errors', result.errors - result.timeouts);
  count('timeouts', result.timeouts);
  const latency = result.latency;
  const r = (v: number) => Number((v ?? 0).toFixed(2));
  return {
    raw,
    sent,
    latency: {
      p50: r(latency.p50),
      p90: r(latency.p90),
      p99: r(latency.p99),
      p99_9: r(latency.p99_9),
      max: r(latency.max),
      mean: r(latency.mean),
    },
  };
}

const TIMEOUT_MS = 10_000;

/**
 * An open-loop load at `rate`: request i is due at start + i / rate and goes out then, over at
 * most `connections` keep-alive connections (node:http's agent queues it while all are busy).
 * Its latency is counted from when it was due, so a server that falls behind is charged for the
 * wait of every request behind it (no coordinated omission, as wrk2 counts); the raw time is from
 * its last byte written to the answer's last byte.
 */
async function pacedRequests(
  spec: LoadSpec,
  rate: number,
  connections: number,
  check: Check,
  count: (key: string, n?: number) => void,
): Promise<Generated> {
  const target = new URL(spec.url);
  // FIFO keeps every connection in turn (none idles long), and a connection idle for 4 s is closed
  // here before the server's 5 s keep-alive timeout can close it under a request being sent.
  const agent = new http.Agent({
    keepAlive: true,
    maxSockets: connections,
    scheduling: 'fifo',
    timeout: 4_000,
  });
  const planned = Math.round(rate * spec.durationS);
  const total = spec.available !== undefined ? Math.min(planned, spec.available) : planned;
  const interval = 1000 / rate;
  const raw: number[] = [];
  const fromDue: number[] = [];
  const lag: number[] = [];
  let sent = 0;
  let settled = 0;
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const done = () => {
      if (++settled === total) resolve();
    };
    const send = (due: number) => {
      lag.push(performance.now() - due);
      const next = spec.next();
      const body = next.body ?? '';
      let written = due;
      // One outcome per request: an error after its answer (or a second error) is not counted.
      let over = false;
      const finish = (): boolean => {
        if (over) return false;
        over = true;
        done();
        return true;
      };
      const req = http.request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          method: next.method,
          path: next.path,
          headers: {
            ...next.headers,
            ...(next.method === 'POST' ? { 'content-length': Buffer.byteLength(body) } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            if (over) return;
            const now = performance.now();
            raw.push(now - written);
            fromDue.push(now - due);
            // node:http gives the names in lower case already.
            const headers = res.headers as Record<string, string | string[]>;
            check(res.statusCode ?? 0, headers, () => Buffer.concat(chunks).toString('utf8'));
            finish();
          });
          res.on('error', (error: NodeJS.ErrnoException) => {
            if (finish()) count(`socket errors (${error.code ?? error.message})`);
          });
        },
      );
      req.on('finish', () => (written = performance.now()));
      req.setTimeout(TIMEOUT_MS, () => req.destroy(new Error('timeout')));
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (finish())
          count(
            error.message === 'timeout'
              ? 'timeouts'
              : `socket errors (${error.code ?? error.message})`,
          );
      });
      req.end(body);
    };
    const tick = () => {
      const now = performance.now();
      while (sent < total && start + sent * interval <= now) send(start + sent++ * interval);
      if (sent < total) setTimeout(tick, Math.min(1, start + sent * interval - now));
    };
    if (total === 0) resolve();
    else tick();
  });
  agent.destroy();
  return {
    raw,
    sent,
    latency: percentiles(Float64Array.from(fromDue)),
    sendLag: percentiles(Float64Array.from(lag)),
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

/**
 * `, CPU per request: node 1.02 ms, PostgreSQL (bench db) 0.95 ms` for a run's log line, and for a
 * paced run how late the pacer sent (p99).
 */
export function cpuText(run: LoadRun): string {
  const main = run.cpu?.serverMainThread
    ? `, main thread ${run.cpu.serverMainThread} cores (waited for a core ${run.cpu.serverMainThreadWaiting ?? '—'})`
    : '';
  const lag = `${main}${run.sendLagMs ? `, sent late by ≤ ${run.sendLagMs.p99} ms (p99)` : ''}`;
  const ms = run.cpuMsPerRequest;
  if (!ms) return lag;
  return `, CPU per request: node ${ms.server.toFixed(2)} ms, PostgreSQL (bench db) ${ms.postgres?.toFixed(2) ?? '—'} ms${lag}`;
}
