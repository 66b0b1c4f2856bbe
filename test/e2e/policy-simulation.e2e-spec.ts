import { DeferralRequest } from '../../src/deferrals/deferral-request.entity';
import { DeferralsService } from '../../src/deferrals/deferrals.service';
import { ActivePolicies } from '../../src/policy/versions/active-policies.service';
import { insertPastRequests } from '../../src/policy/simulation/past-requests.test-factory';
import {
  SIMULATION_STALE_MS,
  SimulationService,
} from '../../src/policy/simulation/simulation.service';
import { PolicySimulation } from '../../src/policy/simulation/policy-simulation.entity';
import { SimulationTally } from '../../src/policy/simulation/simulation-tally';
import type {
  SimulationPeriod,
  SimulationResult,
  SimulationStatus,
} from '../../src/policy/simulation/simulation.types';
import { tryPolicy } from '../../src/policy/simulation/try-policy';
import { defaultPolicyJson, setAt } from '../../src/policy/policy.test-factory';
import { bankingDayOnOrAfter } from '../../src/shared/banking-days';
import { addDays, todayInNorway } from '../../src/shared/calendar-date';
import type { Municipality } from '../../src/tenancy/municipality.entity';
import { createMunicipality } from '../support/factories';
import { KARI, seedLedgerFor } from '../support/ledger-fixtures';
import { startTestApp, startTestAppOn, type TestApp } from '../support/test-app';
import { createTestDatabase } from '../support/test-database';

function draftWithAmountLimit(maxAmountOre: number): string {
  const json = defaultPolicyJson();
  setAt(json, '/parameters/maxAmountOre/value', maxAmountOre);
  return JSON.stringify(json);
}

/** What the simulation must give: each of the municipality's requests in the period, evaluated directly. */
async function evaluatedDirectly(
  t: TestApp,
  municipality: Municipality,
  draft: string,
  period: SimulationPeriod = {},
): Promise<SimulationResult> {
  const { compiled } = await t.app.get(ActivePolicies).activeFor(municipality.id);
  const rows = await t
    .em()
    .find(DeferralRequest, { municipalityId: municipality.id }, { orderBy: { reference: 'asc' } });
  const tally = new SimulationTally();
  for (const row of rows) {
    const day = row.facts.today;
    if ((period.from && day < period.from) || (period.to && day > period.to)) continue;
    const tried = await tryPolicy(draft, compiled, row.facts);
    if (!tried.ok) throw new Error(`refused: ${JSON.stringify(tried)}`);
    tally.add(
      {
        reference: row.reference,
        pid: row.pid ?? row.reference,
        amountOre: row.amountOre,
        recordedOutcome: row.outcome,
        requestedOn: day,
      },
      tried.active.outcome,
      tried.draft.outcome,
    );
  }
  return tally.result();
}

async function finished(
  service: SimulationService,
  municipalityId: string,
  jobId: string,
  seen: SimulationStatus[],
): Promise<SimulationStatus> {
  for (;;) {
    const status = await service.status(municipalityId, jobId);
    if (!status) throw new Error('the job is gone');
    seen.push(status);
    if (status.state !== 'running') return status;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('Simulating a draft policy over past requests (e2e)', () => {
  let t: TestApp;
  let service: SimulationService;
  let home: Municipality;
  let other: Municipality;

  beforeAll(async () => {
    t = await startTestApp({ WRITEBACK_WORKER: 'off' });
    service = t.app.get(SimulationService);
    const em = t.em();
    home = await createMunicipality(em);
    other = await createMunicipality(em);
    t.refreshTenants();
    for (const [municipality, count, seed] of [
      [home, 3_000, 11],
      [other, 500, 12],
    ] as const) {
      const active = await t.app.get(ActivePolicies).activeFor(municipality.id);
      await insertPastRequests(t.em(), {
        municipalityId: municipality.id,
        count,
        seed,
        policy: active.compiled,
        policyVersionId: active.versionId,
      });
    }
    // And one request decided today the way a resident's is, through the deferrals service.
    const ledger = await seedLedgerFor(t.em(), home);
    const invoice = ledger
      .find((e) => e.pid === KARI)!
      .invoices.find(
        (i) =>
          i.status === 'UNPAID' && i.dueDate === i.originalDueDate && i.dueDate > todayInNorway(),
      )!;
    await t.app
      .get(DeferralsService)
      .request(
        { id: home.id, slug: home.slug, settings: { ...home.settings } },
        { pid: KARI, language: 'nb', origin: t.url },
        invoice.id,
        { newDueDate: bankingDayOnOrAfter(addDays(invoice.dueDate, 7)) },
      );
  }, 120_000);
  afterAll(() => t?.close());

  it("reports progress, and a result equal to evaluating each of the municipality's requests directly", async () => {
    service.batchSize = 500;
    const draft = draftWithAmountLimit(300_000);
    const started = await service.start(home.id, draft);
    if (!started.ok) throw new Error('refused');
    expect(started.alreadyRunning).toBe(false);
    const seen: SimulationStatus[] = [];
    const status = await finished(service, home.id, started.job.id, seen);
    if (status.state !== 'done') throw new Error(JSON.stringify(status));

    const running = seen.filter((s) => s.state === 'running');
    expect(running.some((s) => s.total === 3_001 && s.done > 0 && s.done < 3_001)).toBe(true);
    const expected = await evaluatedDirectly(t, home, draft);
    expect(status.result).toEqual(expected);
    expect(status.result.total).toBe(3_001);
    expect(status.result.changed.count).toBeGreaterThan(0);
    // The other municipality's requests (SIM-12-…) are neither counted nor listed.
    expect(status.result.changed.cases.some((c) => c.reference.startsWith('SIM-12-'))).toBe(false);
  });

  it('simulates only the requests of the period, by request date in Oslo', async () => {
    const period = { from: '2026-03-01', to: '2026-05-31' };
    const draft = draftWithAmountLimit(300_000);
    const started = await service.start(home.id, draft, period);
    if (!started.ok) throw new Error('refused');
    const status = await finished(service, home.id, started.job.id, []);
    if (status.state !== 'done') throw new Error(JSON.stringify(status));
    const expected = await evaluatedDirectly(t, home, draft, period);
    expect(status.result).toEqual(expected);
    expect(status.result.total).toBeGreaterThan(500);
    expect(status.result.total).toBeLessThan(1_200);
    expect(
      status.result.changed.cases.every(
        (c) => c.requestedOn >= '2026-03-01' && c.requestedOn <= '2026-05-31',
      ),
    ).toBe(true);
  });

  it("tries a draft on a past request of the municipality's own, and finds no other's", async () => {
    const draft = draftWithAmountLimit(300_000);
    const tried = await service.tryOnRequest(home.id, draft, 'SIM-11-000007');
    expect(tried).toMatchObject({ ok: true });
    expect(await service.tryOnRequest(home.id, draft, 'SIM-12-000007')).toBeUndefined();
    expect(await service.tryOnRequest(other.id, draft, 'SIM-12-000007')).toMatchObject({
      ok: true,
    });
  });
});

// Several instances need a shared server: SQLite is one process (the unit tests cover two services
// on one SQLite database).
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
(onPostgres ? describe : describe.skip)(
  'A simulation seen from another instance, on PostgreSQL (e2e)',
  () => {
    let a: TestApp;
    let b: TestApp;
    let home: Municipality;

    beforeAll(async () => {
      const db = await createTestDatabase();
      a = await startTestAppOn(db, { WRITEBACK_WORKER: 'off' });
      // The second instance shares the database; the first one drops it.
      b = await startTestAppOn({ ...db, drop: async () => undefined }, { WRITEBACK_WORKER: 'off' });
      home = await createMunicipality(a.em());
      a.refreshTenants();
      b.refreshTenants();
      const active = await a.app.get(ActivePolicies).activeFor(home.id);
      await insertPastRequests(a.em(), {
        municipalityId: home.id,
        count: 3_000,
        seed: 21,
        policy: active.compiled,
        policyVersionId: active.versionId,
      });
    }, 120_000);
    afterAll(async () => {
      await b?.close();
      await a?.close();
    });

    /**
     * A simulation run on `a`, then its row made as if `a` had died mid-run: still running, its
     * heartbeat long ago. Waits first for the run's end to be stored: `a` shows it done a moment
     * before its row says so, and that write must not land over this one. Returns its id.
     */
    async function runOnADyingInstance(): Promise<string> {
      const runner = a.app.get(SimulationService);
      const started = await runner.start(home.id, draftWithAmountLimit(200_000));
      if (!started.ok) throw new Error('refused');
      const id = started.job.id;
      await finished(runner, home.id, id, []);
      while ((await a.em().findOneOrFail(PolicySimulation, { id })).state === 'running')
        await new Promise((resolve) => setTimeout(resolve, 10));
      const long = new Date(Date.now() - SIMULATION_STALE_MS - 1_000);
      await a
        .em()
        .nativeUpdate(
          PolicySimulation,
          { id },
          { state: 'running', finishedAt: null, heartbeatAt: long },
        );
      return id;
    }

    it('shows the progress and the result the running instance stores, and starts no second one', async () => {
      const runner = a.app.get(SimulationService);
      runner.batchSize = 200;
      const elsewhere = b.app.get(SimulationService);
      const started = await runner.start(home.id, draftWithAmountLimit(300_000));
      if (!started.ok) throw new Error('refused');

      const again = await elsewhere.start(home.id, draftWithAmountLimit(100_000));
      expect(again).toMatchObject({ ok: true, alreadyRunning: true, job: { id: started.job.id } });
      const seen: SimulationStatus[] = [];
      const there = await finished(elsewhere, home.id, started.job.id, seen);
      const here = await runner.status(home.id, started.job.id);
      if (there.state !== 'done' || here?.state !== 'done')
        throw new Error(JSON.stringify([there, here]));
      expect(seen.some((s) => s.state === 'running')).toBe(true);
      expect(there.result).toEqual(here.result);
      expect(there.result.total).toBe(3_000);
      expect(there.startedAt.getTime()).toBe(here.startedAt.getTime());
      expect(await elsewhere.waitFor(home.id, started.job.id, 1)).toMatchObject({ state: 'done' });
    });

    it('runs one simulation when two instances start one in the same instant', async () => {
      // A race: a few rounds, so that the two starts' reads and inserts interleave in some of them
      // (before the database refused a second running row, two instances both ran in ~2 of 3).
      for (let round = 0; round < 5; round++) {
        const drafts = [draftWithAmountLimit(300_000), draftWithAmountLimit(100_000)];
        const [first, second] = await Promise.all(
          [a, b].map((t, i) => t.app.get(SimulationService).start(home.id, drafts[i])),
        );
        if (!first.ok || !second.ok) throw new Error('refused');
        expect([first.alreadyRunning, second.alreadyRunning].sort()).toEqual([false, true]);
        expect(second.job.id).toBe(first.job.id);
        const rows = await a
          .em()
          .find(PolicySimulation, { municipalityId: home.id, state: 'running' });
        expect(rows.map((r) => r.id)).toEqual([first.job.id]);
        for (const t of [a, b])
          await finished(t.app.get(SimulationService), home.id, first.job.id, []);
      }
    });

    it('starts a new one where the one running had stopped answering, and marks that one failed', async () => {
      const dead = await runOnADyingInstance();
      const fresh = await b.app
        .get(SimulationService)
        .start(home.id, draftWithAmountLimit(250_000));
      if (!fresh.ok) throw new Error('refused');
      expect(fresh.alreadyRunning).toBe(false);
      expect(fresh.job.id).not.toBe(dead);
      const stale = await a.em().findOneOrFail(PolicySimulation, { id: dead });
      expect(stale).toMatchObject({
        state: 'failed',
        error: 'the simulation stopped: the instance running it stopped answering',
      });
      await finished(b.app.get(SimulationService), home.id, fresh.job.id, []);
    });

    it('shows one whose instance stopped while it ran as failed once its heartbeat is stale', async () => {
      const dead = await runOnADyingInstance();
      expect(await b.app.get(SimulationService).status(home.id, dead)).toMatchObject({
        state: 'failed',
        error: 'the simulation stopped: the instance running it stopped answering',
      });
    });
  },
);
