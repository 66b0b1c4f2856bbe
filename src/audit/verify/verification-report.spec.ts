import { formatVerification } from './verification-report';

describe('verification-report', () => {
  describe(formatVerification.name, () => {
    it('names the count and last hash, and that no checkpoint vouches, when the chain is sound', () => {
      const line = formatVerification(
        'fjordvik',
        { ok: true, municipalityId: 'm', entries: 3, lastHash: 'ab' },
        0.1234,
      );
      expect(line).toBe('fjordvik: ok, 3 entries, last hash ab (0.12 s); no signed checkpoints');
    });

    it('counts the signed checkpoints that agree when there are some', () => {
      const line = formatVerification(
        'fjordvik',
        { ok: true, municipalityId: 'm', entries: 3, lastHash: 'ab', checkpoints: 2 },
        0.1234,
      );
      expect(line).toBe(
        'fjordvik: ok, 3 entries, last hash ab (0.12 s); 2 signed checkpoints agree',
      );
    });

    it('says one checkpoint agrees when one does', () => {
      const line = formatVerification(
        'fjordvik',
        { ok: true, municipalityId: 'm', entries: 3, lastHash: 'ab', checkpoints: 1 },
        0,
      );
      expect(line).toMatch(/; 1 signed checkpoint agrees$/);
    });

    it('names a checkpoint no trusted key signed', () => {
      const line = formatVerification(
        'nordhavn',
        {
          ok: false,
          municipalityId: 'm',
          entriesChecked: 0,
          firstBadSeq: 5,
          problem: 'checkpoint-signature',
          expected: 'a signature by a trusted key',
          actual: 'key k9',
          checkpoint: { id: 'c-2', seq: 5, keyId: 'k9' },
        },
        0,
      );
      expect(line).toContain(
        ': checkpoint c-2 (seq 5, time unreadable, key k9) is not signed by a trusted key; checkpoints vouch for the chain up to seq 0',
      );
    });

    it('names the checkpoint a chain contradicts, and how far the checkpoints vouch', () => {
      const line = formatVerification(
        'nordhavn',
        {
          ok: false,
          municipalityId: 'm',
          entriesChecked: 2,
          firstBadSeq: 5,
          problem: 'checkpoint-mismatch',
          expected: 'aa',
          actual: 'bb',
          checkpoint: { id: 'c-1', seq: 5, keyId: 'k1', time: '2026-12-06T03:00:00.000Z' },
        },
        1,
      );
      expect(line).toBe(
        'nordhavn: FAILED, checkpoint-mismatch at seq 5 (expected aa, found bb): the chain contradicts checkpoint c-1 (seq 5, 2026-12-06T03:00:00.000Z, key k1); checkpoints vouch for the chain up to seq 2 (1.00 s)',
      );
    });

    it('names the problem, the first bad seq and both values when the chain is broken', () => {
      const line = formatVerification(
        'nordhavn',
        {
          ok: false,
          municipalityId: 'm',
          entriesChecked: 3,
          firstBadSeq: 4,
          problem: 'gap-in-sequence',
          expected: '4',
          actual: '5',
        },
        2,
      );
      expect(line).toBe(
        'nordhavn: FAILED, gap-in-sequence at seq 4 (expected 4, found 5) after 3 good entries (2.00 s)',
      );
    });
  });
});
