import { AuditChainCheck, type StoredAuditRow } from './audit-chain-check';
import { auditEntryHash, GENESIS_HASH, sha256Hex } from '../audit-hash';
import { canonicalJson } from '../../shared/canonical-json';

const MUNICIPALITY = '6a0d0e4e-1f0c-4c8e-9d5e-0000000000aa';

/** A sound chain of `n` rows as the database would return them. */
function chain(n: number): StoredAuditRow[] {
  const rows: StoredAuditRow[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const payload = canonicalJson({ outcome: seq % 2 ? 'approved' : 'rejected', n: seq });
    const createdAt = Date.UTC(2026, 2, 1, 10, 0, seq);
    const row = {
      seq,
      type: 'deferral.decided',
      subjectId: `req-${seq}`,
      payload,
      payloadHash: sha256Hex(payload),
      prevHash,
      createdAt,
    };
    const hash = auditEntryHash({
      ...row,
      municipalityId: MUNICIPALITY,
      createdAtIso: new Date(createdAt).toISOString(),
    });
    rows.push({ ...row, hash });
    prevHash = hash;
  }
  return rows;
}

function run(
  rows: readonly StoredAuditRow[],
  head?: { seq: number | string; hash: string } | null,
) {
  const check = new AuditChainCheck(MUNICIPALITY);
  for (const row of rows) {
    const failure = check.next(row);
    if (failure) return failure;
  }
  const last = rows.at(-1);
  return check.finish(
    head === null ? undefined : (head ?? (last ? { seq: last.seq, hash: last.hash } : undefined)),
  );
}

describe(AuditChainCheck.name, () => {
  describe('next and finish', () => {
    it('reports ok with the count and last hash when the chain is sound', () => {
      const rows = chain(5);
      expect(run(rows)).toEqual({
        ok: true,
        municipalityId: MUNICIPALITY,
        entries: 5,
        lastHash: rows[4].hash,
      });
    });

    it('reports ok with the genesis hash when there are no entries and no head', () => {
      expect(run([], null)).toEqual({
        ok: true,
        municipalityId: MUNICIPALITY,
        entries: 0,
        lastHash: GENESIS_HASH,
      });
    });

    it('accepts seq as a string and createdAt as an ISO string when PostgreSQL returns them so', () => {
      const rows = chain(3).map((row) => ({
        ...row,
        seq: String(row.seq),
        createdAt: new Date(row.createdAt).toISOString(),
      }));
      expect(run(rows, { seq: '3', hash: rows[2].hash })).toMatchObject({ ok: true, entries: 3 });
    });

    it('accepts a payload when its stored text was re-serialized without changing its content', () => {
      const rows = chain(3);
      rows[1] = { ...rows[1], payload: JSON.stringify(JSON.parse(rows[1].payload), null, 2) };
      expect(run(rows)).toMatchObject({ ok: true, entries: 3 });
    });

    it('reports hash-mismatch at that seq when a payload was changed', () => {
      const rows = chain(5);
      rows[2] = { ...rows[2], payload: '{"n":3,"outcome":"rejected"}' };
      expect(run(rows)).toMatchObject({
        ok: false,
        problem: 'hash-mismatch',
        firstBadSeq: 3,
        entriesChecked: 2,
        expected: rows[2].payloadHash,
      });
    });

    it('says whether the payload or the entry hash disagrees when a hash does not match', () => {
      const rows = chain(4);
      const payload = [...rows];
      payload[1] = { ...rows[1], payload: '{"n":2,"outcome":"approved"}' };
      expect(run(payload)).toMatchObject({ problem: 'hash-mismatch', hashOf: 'payload' });
      const entry = [...rows];
      entry[1] = { ...rows[1], subjectId: 'req-other' };
      expect(run(entry)).toMatchObject({ problem: 'hash-mismatch', hashOf: 'entry' });
    });

    it('starts after a trusted point when given one, linking the first entry to its hash', () => {
      const rows = chain(6);
      const after = { seq: 3, hash: rows[2].hash };
      const check = new AuditChainCheck(MUNICIPALITY, false, after);
      for (const row of rows.slice(3)) expect(check.next(row)).toBeUndefined();
      expect(check.finish({ seq: 6, hash: rows[5].hash })).toMatchObject({ ok: true, entries: 3 });

      const elsewhere = new AuditChainCheck(MUNICIPALITY, false, { seq: 3, hash: 'c'.repeat(64) });
      expect(elsewhere.next(rows[3])).toMatchObject({ problem: 'broken-link', firstBadSeq: 4 });
      const later = new AuditChainCheck(MUNICIPALITY, false, after);
      expect(later.next(rows[4])).toMatchObject({ problem: 'gap-in-sequence', firstBadSeq: 4 });
    });

    it('reports hash-mismatch when a payload is no longer JSON', () => {
      const rows = chain(2);
      rows[0] = { ...rows[0], payload: '{"n":' };
      expect(run(rows)).toMatchObject({ ok: false, problem: 'hash-mismatch', firstBadSeq: 1 });
    });

    it.each([
      ['type', { type: 'writeback.failed' }],
      ['subjectId', { subjectId: 'req-other' }],
      ['createdAt', { createdAt: Date.UTC(2026, 2, 1, 10, 0, 4, 1) }],
      [
        'payloadHash and payload together',
        { payload: '{"n":4}', payloadHash: sha256Hex('{"n":4}') },
      ],
      ['hash', { hash: 'f'.repeat(64) }],
    ])('reports hash-mismatch at that seq when %s was changed', (_field, change) => {
      const rows = chain(6);
      rows[3] = { ...rows[3], ...change };
      expect(run(rows)).toMatchObject({
        ok: false,
        problem: 'hash-mismatch',
        firstBadSeq: 4,
        entriesChecked: 3,
      });
    });

    it('reports gap-in-sequence at the missing seq when an entry was removed', () => {
      const rows = chain(6);
      rows.splice(3, 1);
      expect(run(rows)).toMatchObject({
        ok: false,
        problem: 'gap-in-sequence',
        firstBadSeq: 4,
        expected: '4',
        actual: '5',
        entriesChecked: 3,
      });
    });

    it('reports gap-in-sequence when a seq appears twice', () => {
      const rows = chain(4);
      rows.splice(2, 0, rows[1]);
      expect(run(rows)).toMatchObject({
        ok: false,
        problem: 'gap-in-sequence',
        firstBadSeq: 3,
        actual: '2',
      });
    });

    it('reports gap-in-sequence at seq 1 when the chain does not start at 1', () => {
      expect(run(chain(3).slice(1))).toMatchObject({
        ok: false,
        problem: 'gap-in-sequence',
        firstBadSeq: 1,
        actual: '2',
      });
    });

    it('reports broken-link at the first moved seq when two entries swapped places', () => {
      const rows = chain(5);
      const [third, fourth] = [rows[2], rows[3]];
      rows[2] = { ...fourth, seq: 3 };
      rows[3] = { ...third, seq: 4 };
      expect(run(rows)).toMatchObject({
        ok: false,
        problem: 'broken-link',
        firstBadSeq: 3,
        expected: rows[1].hash,
        actual: third.hash,
      });
    });

    it('reports head-mismatch after the last entry when entries were cut off the end', () => {
      const rows = chain(5);
      expect(run(rows.slice(0, 3), { seq: 5, hash: rows[4].hash })).toMatchObject({
        ok: false,
        problem: 'head-mismatch',
        firstBadSeq: 4,
        entriesChecked: 3,
        expected: `5:${rows[4].hash}`,
        actual: `3:${rows[2].hash}`,
      });
    });

    it('reports head-mismatch at seq 1 when entries exist but the head is gone', () => {
      expect(run(chain(2), null)).toMatchObject({
        ok: false,
        problem: 'head-mismatch',
        firstBadSeq: 1,
        expected: `0:${GENESIS_HASH}`,
      });
    });

    it('reports head-mismatch after the head when entries go beyond it', () => {
      const rows = chain(4);
      expect(run(rows, { seq: 2, hash: rows[1].hash })).toMatchObject({
        ok: false,
        problem: 'head-mismatch',
        firstBadSeq: 3,
      });
    });

    it('reports head-mismatch at the last seq when the head hash differs', () => {
      expect(run(chain(4), { seq: 4, hash: 'a'.repeat(64) })).toMatchObject({
        ok: false,
        problem: 'head-mismatch',
        firstBadSeq: 4,
        entriesChecked: 4,
      });
    });
  });

  describe('nextRun', () => {
    const rows = chain(10);
    const checked = (row: StoredAuditRow) => ({
      seq: row.seq,
      prevHash: row.prevHash,
      hash: row.hash,
      checkedInDatabase: true as const,
    });
    const runOf = (from: number, to: number) =>
      [checked(rows[from - 1]), to - from + 1, to, rows[to - 1].hash] as const;

    it('takes pages that overlap by one entry as one sound chain', () => {
      const check = new AuditChainCheck(MUNICIPALITY);
      expect(check.nextRun(...runOf(1, 4))).toBeUndefined();
      expect(check.nextRun(...runOf(4, 10))).toBeUndefined();
      expect(check.finish({ seq: 10, hash: rows[9].hash })).toEqual({
        ok: true,
        municipalityId: MUNICIPALITY,
        entries: 10,
        lastHash: rows[9].hash,
      });
    });

    it('reports gap-in-sequence when a run begins after the next expected seq', () => {
      const check = new AuditChainCheck(MUNICIPALITY);
      check.nextRun(...runOf(1, 4));
      expect(check.nextRun(...runOf(6, 10))).toMatchObject({
        ok: false,
        problem: 'gap-in-sequence',
        firstBadSeq: 5,
        entriesChecked: 4,
      });
    });

    it('reports broken-link when a run begins with another previous hash', () => {
      const check = new AuditChainCheck(MUNICIPALITY);
      check.nextRun(...runOf(1, 4));
      const [first, count, lastSeq, lastHash] = runOf(5, 10);
      expect(
        check.nextRun({ ...first, prevHash: 'b'.repeat(64) }, count, lastSeq, lastHash),
      ).toMatchObject({
        ok: false,
        problem: 'broken-link',
        firstBadSeq: 5,
        actual: 'b'.repeat(64),
      });
    });

    it('refuses a run whose count does not reach its last seq', () => {
      const check = new AuditChainCheck(MUNICIPALITY);
      expect(() => check.nextRun(checked(rows[0]), 3, 4, rows[3].hash)).toThrow(/cannot end/);
    });
  });
});
