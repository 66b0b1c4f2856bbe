import type { AuditVerification } from '../../audit';
import { outcomeOf, withLinkTarget } from './verification-outcome';

const MUNICIPALITY = '6a0d0e4e-1f0c-4c8e-9d5e-0000000000aa';

function failure(
  problem: Extract<AuditVerification, { ok: false }>['problem'],
  extra: Partial<Extract<AuditVerification, { ok: false }>> = {},
): AuditVerification {
  return {
    ok: false,
    municipalityId: MUNICIPALITY,
    entriesChecked: 4,
    firstBadSeq: 5,
    problem,
    expected: 'e',
    actual: 'a',
    ...extra,
  };
}

describe(outcomeOf.name, () => {
  it('keeps the count and the latest checkpoint when the chain is sound', () => {
    expect(
      outcomeOf({
        ok: true,
        municipalityId: MUNICIPALITY,
        entries: 12,
        lastHash: 'f'.repeat(64),
        checkpoints: 2,
        latestCheckpoint: { id: 'c2', seq: 10, keyId: 'k', time: '2026-12-06T10:00:00.000Z' },
      }),
    ).toEqual({
      verdict: 'sound',
      entries: 12,
      checkpoints: 2,
      latestCheckpoint: { id: 'c2', seq: 10, keyId: 'k', at: '2026-12-06T10:00:00.000Z' },
    });
  });

  it.each([
    ['hash-mismatch', { hashOf: 'payload' as const }, 'payload'],
    ['hash-mismatch', { hashOf: 'entry' as const }, 'hash'],
    ['broken-link', {}, 'link'],
    ['gap-in-sequence', {}, 'gap'],
    ['head-mismatch', {}, 'head'],
    ['checkpoint-mismatch', {}, 'checkpoint'],
    ['checkpoint-signature', {}, 'signature'],
  ] as const)('names %s (%o) as the reason %s', (problem, extra, reason) => {
    expect(outcomeOf(failure(problem, extra))).toMatchObject({
      verdict: 'failed',
      seq: 5,
      reason,
      problem,
      entriesChecked: 4,
    });
  });

  it('names the checkpoint a chain contradicts, with its time', () => {
    const checkpoint = { id: 'c1', seq: 7, keyId: 'portal-2026', time: '2026-12-06T09:00:00.000Z' };
    expect(outcomeOf(failure('checkpoint-mismatch', { checkpoint }))).toMatchObject({
      checkpoint: { id: 'c1', seq: 7, keyId: 'portal-2026', at: '2026-12-06T09:00:00.000Z' },
    });
  });
});

describe(withLinkTarget.name, () => {
  const link = outcomeOf(failure('broken-link'));

  it('calls a broken link out of order when it points at another entry of the chain', () => {
    expect(withLinkTarget(link, 6)).toMatchObject({ reason: 'order', linksTo: 6, seq: 5 });
  });

  it('leaves a broken link as it is when it points nowhere in the chain', () => {
    expect(withLinkTarget(link, null)).toEqual(link);
  });

  it('leaves other failures as they are', () => {
    const gap = outcomeOf(failure('gap-in-sequence'));
    expect(withLinkTarget(gap, 3)).toEqual(gap);
  });
});
