import { randomUUID } from 'node:crypto';
import type { Worker } from 'node:worker_threads';
import { MikroORM } from '@mikro-orm/core';
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

/** How long a finished simulation's result stays to be polled. */
export const SIMULATION_KEPT_MS = 30 * 60_000;
/** Past requests per database read and per message to the worker. */
export const SIMULATION_BATCH_SIZE = 2_000;

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
 * batches read from the database, so the request thread only reads and forwards rows. Jobs live in
 * this process's memory: one running per municipality (starting again returns it), a finished one
 * kept SIMULATION_KEPT_MS. Another instance does not know them: a page polling through a load
 * balancer needs sticky sessions, and shows "not found, start again" for an unknown job.
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
    this.forgetExpired();
    const problem = periodProblem(period);
    if (problem) return { ok: false, refused: 'period', problem };
    const draft = compilePolicyText(draftText);
    if (!draft.ok) return { ok: false, refused: 'draft', errors: draft.errors };
    const running = this.runningFor(municipalityId);
    if (running) return { ok: true, job: running.status, alreadyRunning: true };

    const active = await this.activePolicies.activeFor(municipalityId);
    const again = this.runningFor(municipalityId);
    if (again) return { ok: true, job: again.status, alreadyRunning: true };
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
    this.jobs.set(id, job);
    // The active version's own policy object: stringified it loads to the same hash.
    const data: SimulationWorkerData = {
      activeText: JSON.stringify(active.compiled.policy),
      draftText,
    };
    job.settled = this.run(job, info, data);
    return { ok: true, job: job.status, alreadyRunning: false };
  }

  /** The municipality's simulation, or undefined: unknown here, expired, or another municipality's. */
  status(municipalityId: string, jobId: string): SimulationStatus | undefined {
    this.forgetExpired();
    const job = this.jobs.get(jobId);
    return job?.status.municipalityId === municipalityId ? job.status : undefined;
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
    if (job?.status.municipalityId !== municipalityId) return undefined;
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

  async onModuleDestroy(): Promise<void> {
    const stopping: Promise<number>[] = [];
    for (const job of this.jobs.values()) {
      job.stopping = 'the portal was shutting down';
      if (job.worker) stopping.push(job.worker.terminate());
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
    try {
      total = await reader.count();
      job.status = { ...info, state: 'running', done: 0, total };
      if (job.stopping) throw new SimulationFailedError(job.stopping);
      job.worker = startWorker(this.workerFile.dir, this.workerFile.name, data);
      const result = await runSimulation(job.worker, reader.batches(), (done) => {
        job.status = { ...info, state: 'running', done, total };
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
    }
  }

  private runningFor(municipalityId: string): Job | undefined {
    for (const job of this.jobs.values())
      if (job.status.municipalityId === municipalityId && job.status.state === 'running')
        return job;
    return undefined;
  }

  private forgetExpired(now = Date.now()): void {
    for (const [id, job] of this.jobs)
      if (
        job.status.state !== 'running' &&
        now - job.status.finishedAt.getTime() > SIMULATION_KEPT_MS
      )
        this.jobs.delete(id);
  }
}

function periodProblem(period: SimulationPeriod): string | undefined {
  for (const end of ['from', 'to'] as const)
    if (period[end] !== undefined && !isIsoDate(period[end]))
      return `${end} must be a date as YYYY-MM-DD`;
  if (period.from && period.to && period.from > period.to) return 'from must not be after to';
  return undefined;
}
