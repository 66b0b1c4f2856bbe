import type { VerificationRun } from './verification-run.entity';
import { HEARTBEAT_STALE_MS, percentDone, runView, shownStatus } from './verification-view';

const NOW = new Date('2026-12-06T12:00:00.000Z');

function run(overrides: Partial<VerificationRun> = {}): VerificationRun {
  return {
    id: 'r1',
    municipalityId: 'm1',
    actor: 'staff:runa',
    actorName: null,
    periodFrom: null,
    periodTo: '2026-12-05',
    status: 'running',
    checked: 0,
    total: 0,
    scope: { firstSeq: 1, lastSeq: 0, anchor: null, period: null, toHead: false },
    result: null,
    startedAt: NOW,
    finishedAt: null,
    heartbeatAt: NOW,
    ...overrides,
  };
}

describe(shownStatus.name, () => {
  it('shows a running run as running while its heartbeat is fresh', () => {
    const beat = new Date(NOW.getTime() - HEARTBEAT_STALE_MS);
    expect(shownStatus(run({ heartbeatAt: beat }), NOW)).toBe('running');
  });

  it('shows a running run as interrupted once its heartbeat is older than a minute', () => {
    const beat = new Date(NOW.getTime() - HEARTBEAT_STALE_MS - 1);
    expect(shownStatus(run({ heartbeatAt: beat }), NOW)).toBe('interrupted');
  });

  it('shows a finished run as it finished, however old its heartbeat', () => {
    expect(shownStatus(run({ status: 'sound', heartbeatAt: new Date(0) }), NOW)).toBe('sound');
  });
});

describe(percentDone.name, () => {
  it.each([
    [0, 0, 0],
    [1, 3, 33],
    [2, 3, 66],
    [3, 3, 100],
    [4, 3, 100],
  ])('gives %d of %d as %d %%', (checked, total, percent) => {
    expect(percentDone(checked, total)).toBe(percent);
  });
});

describe(runView.name, () => {
  it('says why a run was interrupted: its heartbeat stopped, or what it stored', () => {
    const names = new Map([['m1', { slug: 'nordby', name: 'Nordby' }]]);
    const stale = runView(run({ heartbeatAt: new Date(0) }), NOW, names);
    expect(stale).toMatchObject({
      status: 'interrupted',
      interruptedWhy: 'stale',
      municipality: 'Nordby',
      who: 'staff:runa',
      empty: true,
      again: { kommune: 'nordby', fra: '', til: '2026-12-05' },
    });
    const stopped = runView(
      run({ status: 'interrupted', result: { verdict: 'interrupted', why: 'shutdown' } }),
      NOW,
      names,
    );
    expect(stopped.interruptedWhy).toBe('shutdown');
    expect(runView(run(), NOW, names).interruptedWhy).toBeNull();
  });
});
