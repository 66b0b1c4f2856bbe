import type { RunStatus, VerificationRun } from './verification-run.entity';

/** A run whose heartbeat is older than this has lost the instance running it. */
export const HEARTBEAT_STALE_MS = 60_000;

/** How a run is shown: `interrupted` also when it still says running but its heartbeat stopped. */
export function shownStatus(run: VerificationRun, now: Date): RunStatus {
  if (run.status !== 'running') return run.status;
  return now.getTime() - run.heartbeatAt.getTime() > HEARTBEAT_STALE_MS ? 'interrupted' : 'running';
}

/** Whole percent done, rounded down (100 only when everything is checked). */
export function percentDone(checked: number, total: number): number {
  if (total <= 0) return 0;
  return Math.min(100, Math.floor((100 * checked) / total));
}

/** A run as the pages show it, in the list and on its own page. */
export function runView(
  run: VerificationRun,
  now: Date,
  municipalities: ReadonlyMap<string, { slug: string; name: string }>,
) {
  const status = shownStatus(run, now);
  const result = run.result;
  const municipality = municipalities.get(run.municipalityId);
  return {
    id: run.id,
    href: `/revisjon/verifiser/${run.id}`,
    status,
    municipality: municipality?.name ?? run.municipalityId,
    who: run.actorName ?? run.actor,
    from: run.periodFrom,
    to: run.periodTo,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    checked: run.checked,
    total: run.total,
    percent: percentDone(run.checked, run.total),
    scope: run.scope,
    /** No entries lay in the range: only the chain's joints around it were checked. */
    empty: run.scope.lastSeq < run.scope.firstSeq,
    sound: result?.verdict === 'sound' ? result : null,
    failed: result?.verdict === 'failed' ? result : null,
    /** Interrupted: stopped at shutdown, by an error, or (no word from it) its instance is gone. */
    interruptedWhy:
      status !== 'interrupted'
        ? null
        : result?.verdict === 'interrupted'
          ? result.why
          : ('stale' as const),
    /** The same run again, for the "start again" form. */
    again: {
      kommune: municipality?.slug ?? '',
      fra: run.periodFrom ?? '',
      til: run.periodTo ?? '',
    },
  };
}
export type RunView = ReturnType<typeof runView>;
