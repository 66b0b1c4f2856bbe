import { spawn } from 'node:child_process';
import { Agent } from 'node:http';
import { join } from 'node:path';
import type { MikroORM } from '@mikro-orm/core';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { DeferralRequest } from '../../src/deferrals/deferral-request.entity';
import { financeAdmin } from '../../src/writeback/testing/writeback-test-node';
import { WritebackJob } from '../../src/writeback/writeback-job.entity';
import {
  createPortalWorld,
  exchange,
  type Exchange,
  FINANCE_KEY,
  openDeferralForm,
  type PortalWorld,
  type ResidentForm,
  startPortalProcess,
  submitDeferral,
} from '../support/portal-process';

const RESIDENTS = 40;
const VERIFY_JS = join(__dirname, '..', '..', 'dist', 'src', 'verify-audit.cli.js');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A connection the portal closed or refused before taking the request: nothing was done. */
const CLEAN_REFUSALS = ['ECONNREFUSED', 'ECONNRESET', 'EPIPE'];

describe('The portal on SIGTERM under load (e2e, real process)', () => {
  let world: PortalWorld;
  let orm: MikroORM | undefined;
  let portal: Awaited<ReturnType<typeof startPortalProcess>> | undefined;

  beforeAll(async () => {
    world = await createPortalWorld(RESIDENTS);
  }, 60_000);
  afterAll(async () => {
    portal?.child.kill('SIGKILL');
    await orm?.close();
    await world?.close();
  });

  it('answers or cleanly refuses every decision, audits every write-back it finished and exits 0', async () => {
    // Write-backs take a while, so that a batch is in flight when the signal comes.
    await financeAdmin(world.finance.url, FINANCE_KEY, '/admin/faults', {
      mode: 'slow',
      delayMs: 400,
      paths: ['/due-date'],
    });
    const running = await startPortalProcess(world, { WRITEBACK_POLL_MS: '200' });
    portal = running;
    // One at a time: the test ID-porten's login page keeps one interaction per browser.
    const forms: ResidentForm[] = [];
    for (const resident of world.residents) forms.push(await openDeferralForm(world.url, resident));

    // Idle keep-alive connections, and a client that keeps asking on its own.
    const idle = new Agent({ keepAlive: true });
    await Promise.all(
      Array.from({ length: 4 }, () => exchange(`${world.url}/health/live`, idle, 'GET')),
    );
    const poller = new Agent({ keepAlive: true, maxSockets: 1 });
    const polls: Exchange[] = [];
    let polling = true;
    const polled = (async () => {
      while (polling) {
        polls.push(await exchange(`${world.url}/health/live`, poller, 'GET'));
        await sleep(20);
      }
    })();

    const browsers = new Agent({ keepAlive: true, maxSockets: 8 });
    // First ten decisions, then wait until their write-back batch is in flight (its finance calls
    // take 400 ms each): the shutdown must then finish that batch and record it with its audit
    // entries. The other thirty go in at once, and the signal comes as soon as three are answered.
    const first = await Promise.all(
      forms.slice(0, 10).map((form) => submitDeferral(world.url, browsers, form)),
    );
    const watcher = await world.openOrm();
    for (let i = 0; i < 500; i++) {
      const claimed = await watcher.em
        .fork()
        .count(WritebackJob, { municipalityId: world.municipality.id, status: 'in_progress' });
      if (claimed > 0) break;
      await sleep(10);
    }
    await watcher.close();
    let answered = 0;
    let signalledAt = 0;
    const rest = await Promise.all(
      forms.slice(10).map((form) =>
        submitDeferral(world.url, browsers, form).then((outcome) => {
          if (++answered === 3) {
            signalledAt = Date.now();
            running.child.kill('SIGTERM');
          }
          return outcome;
        }),
      ),
    );
    const outcomes = [...first, ...rest];
    const run = await running.done;
    const shutdownMs = Date.now() - signalledAt;
    polling = false;
    await polled;
    for (const agent of [idle, poller, browsers]) agent.destroy();

    expect({ code: run.code, signal: run.signal, stderr: run.stderr }).toEqual({
      code: 0,
      signal: null,
      stderr: '',
    });
    // Well before the orchestrator would kill it (30 s by default on Kubernetes).
    expect(shutdownMs).toBeLessThan(20_000);

    // Each submission got its whole receipt redirect, or a clean 503 / connection refusal.
    const decided = outcomes.filter((o) => o.kind === 'answer' && o.status === 303);
    for (const outcome of outcomes) {
      if (outcome.kind === 'answer') {
        expect([303, 503]).toContain(outcome.status);
        if (outcome.status === 303) expect(outcome.location).toMatch(/^\/saker\/UTS-/);
      } else {
        expect(CLEAN_REFUSALS).toContain(outcome.code);
      }
    }
    // The signal came mid-way: some were decided, the rest refused.
    expect(decided.length).toBeGreaterThanOrEqual(10);
    expect(decided.length).toBeLessThan(forms.length);
    for (const poll of polls) {
      if (poll.kind === 'answer') expect([200, 503]).toContain(poll.status);
      else expect(CLEAN_REFUSALS).toContain(poll.code);
    }

    orm = await world.openOrm();
    const em = orm.em.fork();
    const requests = await em.find(DeferralRequest, { municipalityId: world.municipality.id });
    // A decision exists exactly for the submissions that were answered with one.
    const answeredInvoices = forms
      .filter(
        (_, i) =>
          outcomes[i].kind === 'answer' && (outcomes[i] as { status: number }).status === 303,
      )
      .map((f) => f.invoiceId)
      .sort();
    expect(requests.map((r) => r.invoiceId).sort()).toEqual(answeredInvoices);
    const decisionEntries = await em.count(AuditEntry, {
      municipalityId: world.municipality.id,
      type: 'deferral.decided',
    });
    expect(decisionEntries).toBe(requests.length);

    // Every write-back the portal finished has its audit entry.
    const jobs = await em.find(WritebackJob, { municipalityId: world.municipality.id });
    const finished = jobs.filter((j) => j.status === 'done' || j.status === 'failed');
    expect(finished.length).toBeGreaterThan(0);
    const writebackEntries = await em.find(AuditEntry, {
      municipalityId: world.municipality.id,
      type: { $in: ['writeback.succeeded', 'writeback.failed'] },
    });
    const audited = new Set(writebackEntries.map((e) => e.subjectId));
    expect(finished.filter((j) => !audited.has(j.deferralRequestId)).map((j) => j.id)).toEqual([]);
    await orm.close();
    orm = undefined;

    const verify = await runVerifier(world.env, ['--all']);
    expect(verify).toMatchObject({ code: 0, stderr: '' });
    expect(verify.stdout).toMatch(new RegExp(`^${world.municipality.slug}: ok, \\d+ entries`, 'm'));
    // A period: the built command loads the auditors' mapping of dates to seqs only then.
    const period = await runVerifier(world.env, [world.municipality.slug, '--from', '2000-01-01']);
    expect(period).toMatchObject({ code: 0, stderr: '' });
    expect(period.stdout).toMatch(
      new RegExp(
        `^${world.municipality.slug} 2000-01-01 to now \\(its entries 1-(\\d+); checked seq 1-\\1\\): ok, \\1 entries`,
      ),
    );
  }, 120_000);
});

function runVerifier(env: Record<string, string>, args: string[]) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [VERIFY_JS, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
