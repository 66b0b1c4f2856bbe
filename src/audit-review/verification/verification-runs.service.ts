import { MikroORM } from '@mikro-orm/core';
import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { AuditService, AuditVerifier } from '../../audit';
import type { StaffMember } from '../../auth';
import { diagnose } from './verification-diagnosis';
import { outcomeOf, type VerificationOutcome } from './verification-outcome';
import { ProgressWriter } from './progress-writer';
import { VerificationRun } from './verification-run.entity';
import { scopeFor, type VerificationPeriod } from './verification-scope';

/** How often a run beats while a page takes long, besides after every page (see `shownStatus`). */
const HEARTBEAT_EVERY_MS = 15_000;
/** How long shutdown waits for runs to stop at their next page before marking them itself. */
const SHUTDOWN_WAIT_MS = 5_000;

interface Running {
  readonly stop: AbortController;
  readonly done: Promise<void>;
}

/**
 * Verifications of audit chains started from the auditors' pages. A run is a row (so any instance
 * can show it) and a promise on the instance that started it, off the request: the page that
 * started it has redirected to the run's own page long before it ends. When it ends, the verdict
 * is stored and recorded in the chain it checked (`audit.verified`) in one transaction; appending
 * to a broken chain is allowed, and the entry says the chain failed.
 */
@Injectable()
export class VerificationRunsService implements OnModuleDestroy {
  private readonly logger = new Logger(VerificationRunsService.name);
  private readonly running = new Map<string, Running>();
  private stopping = false;

  constructor(
    private readonly orm: MikroORM,
    private readonly verifier: AuditVerifier,
    private readonly audit: AuditService,
  ) {}

  /** Stores a new run and starts it; resolves once it is stored, with its id. */
  async start(
    staff: StaffMember,
    municipalityId: string,
    period: VerificationPeriod,
  ): Promise<string> {
    const scope = await scopeFor(this.orm, municipalityId, period);
    const em = this.orm.em.fork();
    const run = em.create(VerificationRun, {
      municipalityId,
      actor: staff.actor,
      actorName: staff.name ?? null,
      periodFrom: period.from ?? null,
      periodTo: period.to ?? null,
      total: Math.max(0, scope.lastSeq - scope.firstSeq + 1),
      scope,
    });
    await em.flush();
    if (this.stopping) {
      await this.interrupt(run.id, 'shutdown');
      return run.id;
    }
    const stop = new AbortController();
    const done = this.execute(run, stop.signal).finally(() => this.running.delete(run.id));
    this.running.set(run.id, { stop, done });
    return run.id;
  }

  /** One run, if it is of one of these municipalities. */
  async find(id: string, municipalityIds: readonly string[]): Promise<VerificationRun | null> {
    return this.orm.em
      .fork()
      .findOne(VerificationRun, { id, municipalityId: { $in: [...municipalityIds] } });
  }

  /** The latest runs of these municipalities, newest first. */
  async recent(municipalityIds: readonly string[], limit = 10): Promise<VerificationRun[]> {
    return this.orm.em
      .fork()
      .find(
        VerificationRun,
        { municipalityId: { $in: [...municipalityIds] } },
        { orderBy: { startedAt: 'desc', id: 'asc' }, limit },
      );
  }

  /**
   * Stops the runs of this instance at their next page and marks them interrupted, so the
   * auditor sees "start again" instead of a run that never ends; the database is still open here
   * (the ORM closes after every module's destroy hook).
   */
  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    const runs = [...this.running.entries()];
    if (runs.length === 0) return;
    for (const [, run] of runs) run.stop.abort(new Error('the portal is shutting down'));
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, SHUTDOWN_WAIT_MS);
    });
    await Promise.race([Promise.all(runs.map(([, run]) => run.done)), late]);
    clearTimeout(timer);
    for (const [id] of runs) if (this.running.has(id)) await this.interrupt(id, 'shutdown');
  }

  private async execute(run: VerificationRun, signal: AbortSignal): Promise<void> {
    const { id, municipalityId, scope } = run;
    const progress = new ProgressWriter(this.orm, id, (error) =>
      this.logger.warn(`Verification ${id}: progress not stored (${(error as Error).name})`),
    );
    const beat = setInterval(() => progress.beat(), HEARTBEAT_EVERY_MS);
    beat.unref();
    try {
      const result = await this.verifier.verify(municipalityId, {
        afterCheckpoint: scope.anchor?.seq,
        upTo: scope.lastSeq,
        onProgress: (checked, total) => progress.update(checked, total),
        signal,
      });
      clearInterval(beat);
      await progress.drain();
      const outcome = await diagnose(this.orm, municipalityId, outcomeOf(result));
      const checked = result.ok ? result.entries : result.entriesChecked;
      await this.orm.em.fork().transactional(async (em) => {
        await em.nativeUpdate(
          VerificationRun,
          { id },
          {
            status: result.ok ? 'sound' : 'failed',
            checked,
            result: outcome,
            finishedAt: new Date(),
            heartbeatAt: new Date(),
          },
        );
        await this.audit.append(em, {
          municipalityId,
          type: 'audit.verified',
          subjectId: id,
          payload: {
            actor: run.actor,
            name: run.actorName,
            from: run.periodFrom,
            to: run.periodTo,
            firstSeq: scope.firstSeq,
            lastSeq: scope.lastSeq,
            verdict: outcome.verdict,
            entries: checked,
            ...(outcome.verdict === 'failed' ? { seq: outcome.seq, reason: outcome.reason } : {}),
          },
        });
      });
      this.logger.log(
        `Verification ${id}: ${outcome.verdict}, ${checked} entries${outcome.verdict === 'failed' ? `, first bad seq ${outcome.seq} (${outcome.reason})` : ''}`,
      );
    } catch (error) {
      clearInterval(beat);
      await progress.drain();
      const why = signal.aborted ? 'shutdown' : 'error';
      if (why === 'error')
        this.logger.warn(`Verification ${id} stopped: ${(error as Error).message}`);
      await this.interrupt(id, why);
    }
  }

  /** Marks a run that is still running as interrupted (it stays so if it got further). */
  private async interrupt(id: string, why: 'shutdown' | 'error'): Promise<void> {
    const result: VerificationOutcome = { verdict: 'interrupted', why };
    try {
      await this.orm.em
        .fork()
        .nativeUpdate(
          VerificationRun,
          { id, status: 'running' },
          { status: 'interrupted', result, finishedAt: new Date() },
        );
    } catch (error) {
      // Its heartbeat stops all the same: the page shows it interrupted a minute later.
      this.logger.warn(`Verification ${id}: not marked interrupted (${(error as Error).name})`);
    }
  }
}
