import { formatVerification } from './verification-report';

describe('verification-report', () => {
  describe(formatVerification.name, () => {
    it('names the count and last hash when the chain is sound', () => {
      const line = formatVerification(
        'fjordvik',
        { ok: true, municipalityId: 'm', entries: 3, lastHash: 'ab' },
        0.1234,
      );
      expect(line).toBe('fjordvik: ok, 3 entries, last hash ab (0.12 s)');
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
