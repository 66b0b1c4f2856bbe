import { canonicalJson } from '../shared/canonical-json';
import { type AuditLink, auditEntryHash, GENESIS_HASH, sha256Hex } from './audit-hash';

const link: AuditLink = {
  prevHash: GENESIS_HASH,
  seq: 1,
  municipalityId: '6a0d0e4e-1f0c-4c8e-9d5e-0000000000aa',
  type: 'deferral.decided',
  subjectId: 'req-1',
  createdAtIso: '2026-03-01T10:00:00.000Z',
  payloadHash: sha256Hex('{"a":1,"b":{"c":[true,null,"x"]}}'),
};

describe('audit-hash', () => {
  describe(canonicalJson.name, () => {
    it('gives the same text when only key order differs', () => {
      const a = {
        outcome: 'approved',
        facts: { amount: 1200, dueDate: '2026-04-01' },
        reasons: ['r1', 'r2'],
      };
      const b = {
        reasons: ['r1', 'r2'],
        facts: { dueDate: '2026-04-01', amount: 1200 },
        outcome: 'approved',
      };
      expect(canonicalJson(a)).toBe(canonicalJson(b));
    });

    it('keeps the exact format the stored hashes depend on when given awkward values', () => {
      // Pinned: if this changes, every existing chain stops verifying.
      const value = {
        é: 1,
        Z: -0,
        a: [0.1, 1e21, 1e-7, 12345678901234567890],
        '10': 'x',
        '9': '"\n\u2028',
      };
      expect(canonicalJson(value)).toBe(
        '{"10":"x","9":"\\"\\n\u2028","Z":0,"a":[0.1,1e+21,1e-7,12345678901234567000],"é":1}',
      );
    });

    it('keeps array order when arrays differ only in order', () => {
      expect(canonicalJson({ a: [1, 2] })).not.toBe(canonicalJson({ a: [2, 1] }));
    });
  });

  describe(auditEntryHash.name, () => {
    it('matches sha256 of the fields and the payload hash joined by line feeds when given a known entry', () => {
      // printf '%s\n…' <fields> | sha256sum
      expect(auditEntryHash(link)).toBe(
        'fb31f75c3ee34758e4f76ebcfeb8feee896f398dafe1296931649b08ff83f467',
      );
      expect(link.payloadHash).toBe(
        '5f2ac90393716e69c334b806fee49c1caca5f73d7f8476ec7dfa31f13483abb7',
      );
    });

    it.each([
      ['prevHash', { prevHash: '1'.repeat(64) }],
      ['seq', { seq: 2 }],
      ['municipalityId', { municipalityId: '6a0d0e4e-1f0c-4c8e-9d5e-0000000000ab' }],
      ['type', { type: 'writeback.failed' }],
      ['subjectId', { subjectId: 'req-2' }],
      ['createdAt', { createdAtIso: '2026-03-01T10:00:00.001Z' }],
      ['payload', { payloadHash: sha256Hex('{"a":2,"b":{"c":[true,null,"x"]}}') }],
    ])('changes when %s changes', (_field, change) => {
      expect(auditEntryHash({ ...link, ...change })).not.toBe(auditEntryHash(link));
    });

    it('is 64 lower-case hex characters when given any entry', () => {
      expect(auditEntryHash(link)).toMatch(/^[0-9a-f]{64}$/);
      expect(GENESIS_HASH).toMatch(/^0{64}$/);
    });
  });
});
