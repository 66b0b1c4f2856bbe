import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { MikroORM, UniqueConstraintViolationException } from '@mikro-orm/core';
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { type DatabaseConfig, databaseConfig } from '../../config/app.config';
import { isIsoDate } from '../../shared/calendar-date';
import { queryRows } from '../../database';
import { ActivePolicies } from '../versions/active-policies.service';
import { PastRequestsReader } from './past-requests.reader';
import { runSimulation, SimulationFailedError } from './simulation-runner';
import type { SimulationWorkerData } from './simulation-protocol';
import type {
  SimulationJobInfo,
  SimulationPeriod,
  SimulationStatus,
  SimulationVersions,
  StartSimulationResult,
  TryPolicyResult,
} from './simulation.types';
import { compilePolicyText, tryPolicy } from './try-policy';
import { startWorker } from './worker-thread';
import { PolicySimulation } from './policy-simulation.entity';
import { SimulationProgressWriter } from './simulation-progress-writer';

/** How long a finished simulation's result stays to be polled. */
export const SIMULATION_KEPT_MS = 30 * 60_000;
/** Past requests per database read and per message to the worker. */
export const SIMULATION_BATCH_SIZE = 2_000;
/** A running simulation's heartbeat is written at least this often. */
const HEARTBEAT_EVERY_MS = 5_000;
/** A running simulation whose heartbeat is older than this has stopped: its instance died. */
export const SIMULATION_STALE_MS = 30_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INSTANCE = `${hostname()}:${process.pid}`.slice(0, 200);
const STOPPED_ANSWERING = 'the simulation stopped: the instance running it stopped answering';

interface Job {
  status: SimulationStatus;
  /** Resolves when the job is done or failed. */
  settled?: Promise<void>;
  worker?: Worker;
  stopping?: string;
}

/** Where the worker thread's file is; a test may point it elsewhere. */
export interface SimulationWorkerFile {
  readonly dir: string;
  readonly name: string;
}

/**
 * Try a draft on one case, and simulate a draft over a municipality's past requests.
 *
 * A simulation runs in a worker thread (simulation.worker.ts) that this process feeds with keyset
 * batches read from the database, so the request thread only reads and forwards rows. Each one is
 * a row of `policy_simulations` (PolicySimulation), so any instance answers for it: its progress
 * while it runs (written as batches finish, and a heartbeat every few seconds), its result once
 * done, kept SIMULATION_KEPT_MS. One runs per municipality: starting again returns it, also from
 * another instance, and in the same instant on two (a partial unique index keeps one running row
 * per municipality; the second insert is refused and returns the first). One whose heartbeat
 * stopped for SIMULATION_STALE_MS is shown as failed, is stored as failed when another starts. The
 * instance running one also keeps it in memory, so its own pages need no database read.
 */
@Injectable()
export class SimulationService implements OnModuleDestroy {
  private readonly logger = new Logger('PolicySimulation');
  private readonly jobs = new Map<string, Job>();
  /** Overridable by tests (e.g. a worker that crashes) and the bench (batch size). */
  workerFile: SimulationWorkerFile = { dir: __dirname, name: 'simulation.worker' };
  batchSize = SIMULATION_BATCH_SIZE;

  constructor(
    private readonly orm: MikroORM,
    private readonly activePolicies: ActivePolicies,
    @Inject(databaseConfig.KEY) private readonly db: Pick<DatabaseConfig, 'kind'>,
  ) {}

  /**
   * Starts simulating `draftText` against the municipality's active version, or returns the
   * simulation already running for the municipality. A draft that does not load, or a period that
   * is not one, is refused here, before any thread starts.
   */
  async start(
    municipalityId: string,
    draftText: string,
    period: SimulationPeriod = {},
  ): Promise<StartSimulationResult> {
    await this.forgetExpired();
    const problem = periodProblem(period);
    if (problem) return { ok: false, refused: 'period', problem };
    const draft = compilePolicyText(draftText);
    if (!draft.ok) return { ok: false, refused: 'draft', errors: draft.errors };
    const running = await this.runningFor(municipalityId);
    if (running) return { ok: true, job: running, alreadyRunning: true };

    const active = await this.activePolicies.activeFor(municipalityId);
    const again = await this.runningFor(municipalityId);
    if (again) return { ok: true, job: again, alreadyRunning: true };
    const versions: SimulationVersions = {
      active: {
        versionId: active.versionId,
        policyId: active.compiled.policy.id,
        version: active.compiled.policy.version,
        hash: active.compiled.hash,
      },
      draft: {
        policyId: draft.compiled.policy.id,
        version: draft.compiled.policy.version,
        hash: draft.compiled.hash,
      },
    };
    const id = randomUUID();
    const info: SimulationJobInfo = {
      id,
      municipalityId,
      period: { ...period },
      versions,
      startedAt: new Date(),
    };
    const job: Job = { status: { ...info, state: 'running', done: 0, total: null } };
    // Known here before the insert awaits, so a second start on this instance returns it.
    this.jobs.set(id, job);
    try {
      await this.endStale(municipalityId);
      await this.orm.em.fork().insert(PolicySimulation, {
        id,
        municipalityId,
        period: info.period,
        versions,
        instanceId: INSTANCE,
        startedAt: info.startedAt,
        heartbeatAt: new Date(),
      });
    } catch (error) {
      this.jobs.delete(id);
      // Another instance inserted its run after the reads above (policy_simulations_one_running).
      if (error instanceof UniqueConstraintViolationException) {
        const theirs = await this.runningFor(municipalityId);
        if (theirs) return { ok: true, job: theirs, alreadyRunning: true };
      }
      throw error;
    }
    // The active version's own policy object: stringified it loads to the same hash.
    const data: SimulationWorkerData = {
      activeText: JSON.stringify(active.compiled.policy),
      draftText,
    };
    job.settled = this.run(job, info, data);
    return { ok: true, job: job.status, alreadyRunning: false };
  }

  /** The municipality's simulation, or undefined: unknown, expired, or another municipality's. */
  async status(municipalityId: string, jobId: string): Promise<SimulationStatus | undefined> {
    this.forgetExpiredHere();
    const job = this.jobs.get(jobId);
    if (job) return job.status.municipalityId === municipalityId ? job.status : undefined;
    if (!UUID.test(jobId)) return undefined;
    const row = await this.orm.em
      .fork()
      .findOne(PolicySimulation, { id: jobId.toLowerCase(), municipalityId });
    if (!row) return undefined;
    const status = statusOf(row);
    // Kept as long as this instance would keep it, even before the next start clears it away.
    if (status.state !== 'running' && Date.now() - status.finishedAt.getTime() > SIMULATION_KEPT_MS)
      return undefined;
    return status;
  }

  /**
   * As `status`, but waits (up to `maxWaitMs`) for a running simulation to finish first: a page
   * without JavaScript can hold its request a few seconds and mostly answer with the result,
   * instead of refreshing itself (axe refuses `<meta http-equiv="refresh">` with a delay).
   */
  async waitFor(
    municipalityId: string,
    jobId: string,
    maxWaitMs: number,
  ): Promise<SimulationStatus | undefined> {
    const job = this.jobs.get(jobId);
    if (job) {
      if (job.status.municipalityId !== municipalityId) return undefined;
      if (job.status.state === 'running' && job.settled) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          job.settled,
          new Promise<void>((resolve) => (timer = setTimeout(resolve, maxWaitMs))),
        ]);
        clearTimeout(timer);
      }
      return this.status(municipalityId, jobId);
    }
    // Run by another instance: look again now and then until it ends or the wait runs out.
    const deadline = Date.now() + maxWaitMs;
    for (;;) {
      const status = await this.status(municipalityId, jobId);
      if (status?.state !== 'running' || Date.now() >= deadline) return status;
      await new Promise((resolve) => setTimeout(resolve, Math.min(250, deadline - Date.now())));
    }
  }

  /** The draft and the active version on facts entered by hand (checked as a decision checks them). */
  async tryOnFacts(
    municipalityId: string,
    draftText: string,
    facts: unknown,
  ): Promise<TryPolicyResult> {
    const active = await this.activePolicies.activeFor(municipalityId);
    return tryPolicy(draftText, active.compiled, facts);
  }

  /**
   * The draft and the active version on the facts recorded for one of the municipality's past
   * requests; undefined when the municipality has no request with that reference.
   */
  async tryOnRequest(
    municipalityId: string,
    draftText: string,
    reference: string,
  ): Promise<TryPolicyResult | undefined> {
    const [row] = await queryRows<{ facts: string }>(
      this.orm,
      `select cast(facts as text) as facts from deferral_requests
       where municipality_id = ? and reference = ?`,
      [municipalityId, reference],
    );
    if (!row) return undefined;
    return this.tryOnFacts(municipalityId, draftText, JSON.parse(row.facts));
  }

  /** Stops the simulations running here; each is recorded as failed before the database goes. */
  async onModuleDestroy(): Promise<void> {
    const stopping: Promise<unknown>[] = [];
    for (const job of this.jobs.values()) {
      if (job.status.state !== 'running') continue;
      job.stopping = 'the portal was shutting down';
      if (job.worker) stopping.push(job.worker.terminate());
      if (job.settled) stopping.push(job.settled);
    }
    await Promise.all(stopping);
  }

  private async run(job: Job, info: SimulationJobInfo, data: SimulationWorkerData): Promise<void> {
    const started = performance.now();
    const reader = new PastRequestsReader(
      this.orm,
      info.municipalityId,
      info.period,
      this.batchSize,
      this.db.kind,
    );
    let total: number | null = null;
    const progress = new SimulationProgressWriter(this.orm, info.id, (error) =>
      this.logger.warn(`Simulation ${info.id}: progress not stored (${describe(error)})`),
    );
    const beat = setInterval(() => progress.beat(), HEARTBEAT_EVERY_MS);
    beat.unref();
    try {
      total = await reader.count();
      job.status = { ...info, state: 'running', done: 0, total };
      progress.update(0, total);
      if (job.stopping) throw new SimulationFailedError(job.stopping);
      job.worker = startWorker(this.workerFile.dir, this.workerFile.name, data);
      const result = await runSimulation(job.worker, reader.batches(), (done) => {
        job.status = { ...info, state: 'running', done, total };
        progress.update(done, total);
      });
      const durationMs = Math.round(performance.now() - started);
      job.status = {
        ...info,
        state: 'done',
        done: result.total,
        total: result.total,
        result,
        finishedAt: new Date(),
        durationMs,
      };
      this.logger.log(
        `Simulation ${info.id} done: ${result.total} past requests in ${durationMs} ms, ${result.changed.count} change outcome`,
      );
    } catch (error) {
      const message = job.stopping
        ? `the simulation stopped: ${job.stopping}`
        : error instanceof SimulationFailedError
          ? error.message
          : `the simulation stopped: ${(error as Error).name}`;
      job.status = { ...info, state: 'failed', error: message, finishedAt: new Date() };
      this.logger.warn(`Simulation ${info.id} failed: ${message}`);
    } finally {
      job.worker = undefined;
      clearInterval(beat);
      await progress.drain();
      await this.storeEnd(job.status);
    }
  }

  /** The finished state, for the other instances; this one keeps it in memory all the same. */
  private async storeEnd(status: SimulationStatus): Promise<void> {
    if (status.state === 'running') return;
    try {
      await this.orm.em.fork().nativeUpdate(
        PolicySimulation,
        { id: status.id },
        status.state === 'done'
          ? {
              state: 'done',
              done: status.done,
              total: status.total,
              result: status.result,
              durationMs: status.durationMs,
              finishedAt: status.finishedAt,
              heartbeatAt: status.finishedAt,
            }
          : {
              state: 'failed',
              error: status.error.slice(0, 500),
              finishedAt: status.finishedAt,
              heartbeatAt: status.finishedAt,
            },
      );
    } catch (error) {
      // Its heartbeat stops all the same: elsewhere it shows as failed once it is stale.
      this.logger.warn(`Simulation ${status.id}: its end not stored (${describe(error)})`);
    }
  }

  /** The municipality's running simulation, from this instance or another (if still alive). */
  private async runningFor(municipalityId: string): Promise<SimulationStatus | undefined> {
    for (const job of this.jobs.values())
      if (job.status.municipalityId === municipalityId && job.status.state === 'running')
        return job.status;
    const rows = await this.orm.em.fork().find(
      PolicySimulation,
      {
        municipalityId,
        state: 'running',
        heartbeatAt: { $gt: new Date(Date.now() - SIMULATION_STALE_MS) },
      },
      { orderBy: { startedAt: 'desc' }, limit: 1 },
    );
    return rows.length > 0 ? statusOf(rows[0]) : undefined;
  }

  /**
   * The municipality's runs whose instance stopped answering (heartbeat stale) become failed, as
   * every page already shows them, so that the one running run a municipality may have
   * (policy_simulations_one_running) can be a new one.
   */
  private async endStale(municipalityId: string, now = Date.now()): Promise<void> {
    await this.orm.em.fork().nativeUpdate(
      PolicySimulation,
      {
        municipalityId,
        state: 'running',
        heartbeatAt: { $lte: new Date(now - SIMULATION_STALE_MS) },
      },
      { state: 'failed', error: STOPPED_ANSWERING, finishedAt: new Date(now) },
    );
  }

  private async forgetExpired(now = Date.now()): Promise<void> {
    this.forgetExpiredHere(now);
    const before = new Date(now - SIMULATION_KEPT_MS);
    await this.orm.em.fork().nativeDelete(PolicySimulation, {
      $or: [{ finishedAt: { $lt: before } }, { state: 'running', heartbeatAt: { $lt: before } }],
    });
  }

  private forgetExpiredHere(now = Date.now()): void {
    for (const [id, job] of this.jobs)
      if (
        job.status.state !== 'running' &&
        now - job.status.finishedAt.getTime() > SIMULATION_KEPT_MS
      )
        this.jobs.delete(id);
  }
}

/** A stored simulation as a page sees it; a running one whose heartbeat stopped has failed. */
function statusOf(row: PolicySimulation, now = Date.now()): SimulationStatus {
  const info: SimulationJobInfo = {
    id: row.id,
    municipalityId: row.municipalityId,
    period: row.period,
    versions: row.versions,
    startedAt: row.startedAt,
  };
  if (row.state === 'done' && row.result && row.total !== null) {
    return {
      ...info,
      state: 'done',
      done: row.done,
      total: row.total,
      result: row.result,
      finishedAt: row.finishedAt ?? row.heartbeatAt,
      durationMs: row.durationMs ?? 0,
    };
  }
  if (row.state === 'running' && now - row.heartbeatAt.getTime() <= SIMULATION_STALE_MS)
    return { ...info, state: 'running', done: row.done, total: row.total };
  return {
    ...info,
    state: 'failed',
    error: row.state === 'failed' && row.error ? row.error : STOPPED_ANSWERING,
    finishedAt: row.finishedAt ?? row.heartbeatAt,
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

function periodProblem(period: SimulationPeriod): string | undefined {
  for (const end of ['from', 'to'] as const)
    if (period[end] !== undefined && !isIsoDate(period[end]))
      return `${end} must be a date as YYYY-MM-DD`;
  if (period.from && period.to && period.from > period.to) return 'from must not be after to';
  return undefined;
}
