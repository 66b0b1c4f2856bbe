import { randomBytes } from 'node:crypto';
import {
  closeSync,
  createWriteStream,
  fstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { CookieJar } from '../../dev/idporten/testing/browserless-login';
import { todayInNorway } from '../../src/shared/calendar-date';
import { MAIN_SLUG } from '../data/load';
import type { BenchContext } from '../lib/context';
import { type CpuShares, startCpuCount } from '../lib/cpu-usage';
import { connect } from '../lib/database';
import { stopPortal } from '../lib/lifecycle';
import { PROXY_HEADERS } from '../lib/login';
import { freePort, portalEnv, portalNodeArgs } from '../lib/portal';
import {
  type Child,
  describeExit,
  rssBytes,
  RssSampler,
  startNode,
  waitForOk,
} from '../lib/processes';
import { fmt, scenario, settle, type ScenarioResult } from '../lib/results';
import { loginStaff, startStaffIdporten } from '../lib/staff-login';
import { makeLocalhostCert, type SelfSignedCert } from '../lib/tls-cert';

const MB = 1024 * 1024;
/** The start-up scenario's memory target: an export must not need more than serving residents. */
const RSS_TARGET_MB = 300;
const RATE_TARGET = 20_000;
/** The smaller period, to show the peak does not grow with the size of the export. */
const SMALL_PERIOD = 100_000;
/** How much larger the whole chain's peak may be than the small period's and still count as flat. */
const GROWTH_ALLOWED = 1.2;
const SAMPLE_MS = 100;
const BASE = '/revisjon/eksport';

interface Download {
  label: string;
  format: 'jsonl' | 'csv';
  from: string;
  to: string;
  /** Entries in the file (the JSON Lines footer's count; CSV: its rows). */
  entries: number;
  bytes: number;
  seconds: number;
  /** Request to response headers: the audit entry of the export and the queries for its bounds. */
  firstByteS: number;
  entriesPerSecond: number;
  rssBeforeMB: number;
  rssPeakMB: number;
  rssAfterMB: number;
  /** CPU seconds the portal process used during the download. */
  portalCpuS: number;
  cores: CpuShares | undefined;
}

interface Verification {
  label: string;
  accepted: boolean;
  output: string;
  seconds: number;
  entriesPerSecond: number;
  rssPeakMB: number;
}

const r1 = (n: number) => Number(n.toFixed(1));
const mb = (bytes: number | undefined) => (bytes === undefined ? NaN : r1(bytes / MB));

/** Counts bytes and line feeds as they go by (no CSV cell holds a raw line feed: payloads are JSON). */
class Counter extends Transform {
  bytes = 0;
  lineFeeds = 0;
  override _transform(
    chunk: Buffer,
    _: BufferEncoding,
    done: (e?: Error | null, d?: Buffer) => void,
  ) {
    this.bytes += chunk.length;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) this.lineFeeds++;
    done(null, chunk);
  }
}

/** A GET with the jar's cookies through the proxy headers, its response as a Node stream. */
function get(url: string, jar: CookieJar): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = httpGet(
      url,
      { headers: { ...PROXY_HEADERS, cookie: jar.cookieHeader(new URL(url)) } },
      resolve,
    );
    request.once('error', reject);
  });
}

/** The last line of a file, read from its end (the JSON Lines footer). */
function lastLine(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, 4096);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    return buffer.toString('utf8').trimEnd().split('\n').at(-1) ?? '';
  } finally {
    closeSync(fd);
  }
}

/** What Handlebars escaped in the page, as a person copying the key from it would read it. */
function unescapeHtml(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The chain's first day, and the day from which the newest SMALL_PERIOD entries were made (Oslo). */
async function periods(ctx: BenchContext, municipalityId: string) {
  const client = await connect(ctx.db!.url);
  try {
    const { rows } = await client.query<{ first: string; recent: string; head: string }>(
      `select to_char(min(created_at) at time zone 'Europe/Oslo', 'YYYY-MM-DD') as first,
              (select to_char(created_at at time zone 'Europe/Oslo', 'YYYY-MM-DD') from audit_entries
                where municipality_id = $1 order by created_at desc offset $2 limit 1) as recent,
              (select seq from audit_chain_heads where municipality_id = $1) as head
         from audit_entries where municipality_id = $1`,
      [municipalityId, SMALL_PERIOD],
    );
    return rows[0];
  } finally {
    await client.end();
  }
}

async function startExportPortal(ctx: BenchContext, cert: SelfSignedCert) {
  const port = await freePort();
  const idp = await startStaffIdporten('export', cert, '127.0.0.1', [port]);
  const env: Record<string, string> = {
    ...portalEnv(
      {
        databaseUrl: ctx.db!.url,
        sessionSecret: ctx.sessionSecret,
        oidcIssuer: idp.issuer,
        oidcClientId: idp.residentClientId,
        oidcClientSecret: idp.secrets.resident,
        caFile: cert.certFile,
        financeApiKey: randomBytes(24).toString('base64url'),
      },
      port,
    ),
    STAFF_OIDC_ISSUER: idp.issuer,
    STAFF_OIDC_CLIENT_ID: idp.staffClientId,
    STAFF_OIDC_CLIENT_SECRET: idp.secrets.staff,
    // The demo auditor's claim value, an auditor of the municipality whose chain was loaded.
    STAFF_ROLE_MAP: JSON.stringify({ 'audit-fjordvik': [`${MAIN_SLUG}:auditor`] }),
    WRITEBACK_WORKER: 'off',
  };
  const nodeArgs = portalNodeArgs();
  if (ctx.cpuProfileDir) {
    mkdirSync(ctx.cpuProfileDir, { recursive: true });
    nodeArgs.push(
      '--cpu-prof',
      `--cpu-prof-dir=${ctx.cpuProfileDir}`,
      `--cpu-prof-name=portal-export-${Date.now()}.cpuprofile`,
    );
  }
  const child = startNode('portal-export', 'src/main.js', env, nodeArgs);
  const url = `http://127.0.0.1:${port}`;
  await waitForOk(`${url}/health/ready`, { timeoutMs: 60_000, child, intervalMs: 20 });
  return { idp, child, url };
}

/** The export page's public key (as shown) and a checkpoint of the head signed through its button. */
async function keyAndCheckpoint(url: string, jar: CookieJar, pemFile: string): Promise<void> {
  const page = await jar.fetch(`${url}${BASE}`, { headers: PROXY_HEADERS });
  const html = await page.text();
  if (page.status !== 200) throw new Error(`${BASE} answered ${page.status}`);
  const pem = /(-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----)/.exec(html)?.[1];
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!pem || !csrf) throw new Error(`${BASE} shows no public key or no CSRF token`);
  writeFileSync(pemFile, `${unescapeHtml(pem)}\n`);
  const signed = await jar.fetch(`${url}${BASE}/kontrollpunkt`, {
    method: 'POST',
    headers: { ...PROXY_HEADERS, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: unescapeHtml(csrf) }).toString(),
  });
  await signed.arrayBuffer();
  if (signed.status !== 303)
    throw new Error(`signing a checkpoint answered ${signed.status}, not 303`);
}

/** One export downloaded to `file` as it arrives, the portal's RSS sampled every 100 ms. */
async function download(
  portal: { child: Child; url: string },
  jar: CookieJar,
  label: string,
  query: { from: string; to: string; format: 'jsonl' | 'csv' },
  file: string,
): Promise<Download> {
  const pid = portal.child.pid;
  const rssBefore = rssBytes(pid);
  const sampler = new RssSampler(SAMPLE_MS);
  sampler.watch('portal', pid);
  const cpu = startCpuCount(pid);
  const started = performance.now();
  const counter = new Counter();
  let firstByte = NaN;
  try {
    // node:http rather than fetch: undici's web streams cost the harness more CPU per byte than
    // the portal spends making them, and the figure is the portal's.
    const response = await get(
      `${portal.url}${BASE}/fil?fra=${query.from}&til=${query.to}&format=${query.format}`,
      jar,
    );
    firstByte = (performance.now() - started) / 1000;
    if (response.statusCode !== 200) {
      response.resume();
      throw new Error(`${label}: the export answered ${response.statusCode}`);
    }
    await pipeline(response, counter, createWriteStream(file));
  } finally {
    sampler.unwatch('portal');
  }
  const seconds = (performance.now() - started) / 1000;
  const cores = cpu.stop();
  let entries: number;
  if (query.format === 'jsonl') {
    const footer = JSON.parse(lastLine(file)) as { kind?: string; entries?: number };
    if (footer.kind !== 'footer' || typeof footer.entries !== 'number')
      throw new Error(`${label}: the file ends without its footer`);
    entries = footer.entries;
  } else entries = counter.lineFeeds - 1;
  return {
    label,
    ...query,
    entries,
    bytes: counter.bytes,
    seconds: Number(seconds.toFixed(2)),
    firstByteS: Number(firstByte.toFixed(2)),
    entriesPerSecond: Math.round(entries / seconds),
    rssBeforeMB: mb(rssBefore),
    rssPeakMB: mb(sampler.maxBytes('portal')),
    rssAfterMB: mb(rssBytes(pid)),
    portalCpuS: cores ? r1(cores.server * seconds) : NaN,
    cores,
  };
}

/** The offline verifier (`npm run audit:verify-export`'s script) on a file, its RSS sampled. */
async function verify(
  label: string,
  file: string,
  pemFile: string,
  entries: number,
): Promise<Verification> {
  const started = performance.now();
  const child = startNode(
    'verify-export',
    'src/verify-audit-export.cli.js',
    {},
    [],
    [file, '--public-key', pemFile],
  );
  const sampler = new RssSampler(SAMPLE_MS);
  sampler.watch('verifier', child.pid);
  const exit = await child.exited;
  sampler.unwatch('verifier');
  const seconds = (performance.now() - started) / 1000;
  const output = child.tail(5);
  return {
    label,
    accepted: exit.code === 0 && /^VERIFIED:/m.test(output),
    output: exit.code === 0 ? output : `${describeExit(exit)}: ${output}`,
    seconds: Number(seconds.toFixed(2)),
    entriesPerSecond: Math.round(entries / seconds),
    rssPeakMB: mb(sampler.maxBytes('verifier')),
  };
}

/**
 * The auditors' export (GET /revisjon/eksport/fil) of the loaded chain, as an auditor signed in
 * through the real staff login downloads it: a checkpoint of the head signed through the page's
 * button first (with CSRF), then the newest 100,000 entries as JSON Lines, the whole chain as JSON
 * Lines and as CSV, each streamed to a file on disk while the portal's RSS is sampled every 100 ms;
 * then the offline verifier on both JSON Lines files with the key the page shows.
 */
export async function exportScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const result = scenario(
    'export',
    'Audit export (GET /revisjon/eksport/fil) streamed to disk; offline verifier',
    'entries/s',
  );
  const downloads: Download[] = [];
  const verifications: Verification[] = [];
  let cert: SelfSignedCert | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'mf-bench-export-'));
  const children: Child[] = [];
  try {
    if (!ctx.db || !ctx.dataset) throw new Error('needs the bench database and its data');
    await stopPortal(ctx);
    const { first, recent, head } = await periods(ctx, ctx.dataset.mainId);
    cert = makeLocalhostCert();
    const portal = await startExportPortal(ctx, cert);
    children.push(portal.idp.child, portal.child);
    const jar = await loginStaff(portal.url, 'auditor');
    const pemFile = join(dir, 'public-key.pem');
    await keyAndCheckpoint(portal.url, jar, pemFile);
    result.details.chain = { headBeforeExport: Number(head), firstDay: first, recentFrom: recent };

    // Small before large: a process's RSS seldom shrinks, so the larger run may only inherit.
    const to = todayInNorway();
    const plan = [
      { label: `newest ~${fmt(SMALL_PERIOD)}, JSON Lines`, from: recent, format: 'jsonl' },
      { label: 'whole chain, JSON Lines', from: first, format: 'jsonl' },
      { label: 'whole chain, CSV', from: first, format: 'csv' },
    ] as const;
    for (const [i, step] of plan.entries()) {
      const file = join(dir, `export-${i}.${step.format}`);
      const done = await download(
        portal,
        jar,
        step.label,
        { from: step.from, to, format: step.format },
        file,
      );
      downloads.push(done);
      ctx.log(
        `export ${done.label}: ${fmt(done.entries)} entries, ${fmt(done.bytes / MB)} MB in ${done.seconds} s = ${fmt(done.entriesPerSecond)}/s; portal RSS ${done.rssBeforeMB} MB before, peak ${done.rssPeakMB} MB, CPU ${done.portalCpuS} s`,
      );
      if (step.format === 'jsonl') {
        const checked = await verify(step.label, file, pemFile, done.entries);
        verifications.push(checked);
        ctx.log(
          `verifier on ${step.label}: ${checked.accepted ? 'accepted' : 'REFUSED'} in ${checked.seconds} s (${fmt(checked.entriesPerSecond)}/s), peak RSS ${checked.rssPeakMB} MB: ${checked.output.split('\n').at(-1)}`,
        );
      }
      rmSync(file, { force: true });
    }
  } catch (error) {
    result.error = (error as Error).message;
  } finally {
    for (const child of children.reverse()) await child.stop().catch(() => undefined);
    cert?.remove();
    rmSync(dir, { recursive: true, force: true });
  }
  result.details.downloads = downloads;
  result.details.verifications = verifications;
  result.runs = downloads.length;

  const [small, whole, csv] = downloads;
  const [smallChecked, wholeChecked] = verifications;
  result.portal = whole ? whole.entriesPerSecond : null;
  const peaks = [whole, csv].filter(Boolean).map((d) => d.rssPeakMB);
  const peak = peaks.length ? Math.max(...peaks) : null;
  result.targets = [
    {
      text: `portal peak RSS during the export ≤ ${RSS_TARGET_MB} MB`,
      pass: peak === null ? null : peak <= RSS_TARGET_MB,
      measured: whole
        ? `${whole.rssPeakMB} MB JSON Lines, ${csv ? `${csv.rssPeakMB} MB CSV` : 'CSV —'} (${whole.rssBeforeMB} MB before)`
        : '—',
    },
    {
      text: `peak RSS flat with size (whole chain ≤ ${GROWTH_ALLOWED} × the ${fmt(SMALL_PERIOD)}-entry period)`,
      pass: small && whole ? whole.rssPeakMB <= small.rssPeakMB * GROWTH_ALLOWED : null,
      measured:
        small && whole
          ? `${whole.rssPeakMB} MB for ${fmt(whole.entries)} entries, ${small.rssPeakMB} MB for ${fmt(small.entries)}`
          : '—',
    },
    {
      text: `≥ ${fmt(RATE_TARGET)} entries/s (JSON Lines and CSV, whole chain)`,
      pass:
        whole && csv ? Math.min(whole.entriesPerSecond, csv.entriesPerSecond) >= RATE_TARGET : null,
      measured: whole
        ? `${fmt(whole.entriesPerSecond)}/s JSON Lines, ${csv ? `${fmt(csv.entriesPerSecond)}/s CSV` : 'CSV —'}`
        : '—',
    },
    {
      text: 'the offline verifier accepts the export',
      pass: wholeChecked ? wholeChecked.accepted && (smallChecked?.accepted ?? false) : null,
      measured: wholeChecked
        ? `${wholeChecked.accepted ? 'accepted' : 'refused'} in ${wholeChecked.seconds} s, peak RSS ${wholeChecked.rssPeakMB} MB (${smallChecked?.rssPeakMB ?? '—'} MB for the smaller file)`
        : '—',
    },
  ];
  for (const d of downloads)
    result.notes.push(
      `${d.label} (${d.from} to ${d.to}): ${fmt(d.entries)} entries, ${fmt(d.bytes / MB)} MB in ${d.seconds} s (first byte after ${d.firstByteS} s) = ${fmt(d.entriesPerSecond)}/s; portal RSS ${d.rssBeforeMB} MB before, peak ${d.rssPeakMB} MB, ${d.rssAfterMB} MB after; portal CPU ${d.portalCpuS} s${d.cores ? ` (cores busy: portal ${d.cores.server}, PostgreSQL ${d.cores.postgres}, harness ${d.cores.loadgen}, machine ${d.cores.machine} of ${d.cores.cores})` : ''}`,
    );
  for (const v of verifications)
    result.notes.push(
      `verifier, ${v.label}: ${v.accepted ? 'accepted' : 'REFUSED'} in ${v.seconds} s (${fmt(v.entriesPerSecond)}/s), peak RSS ${v.rssPeakMB} MB; ${v.output.split('\n').at(-1)}`,
    );
  return settle(result);
}
