import { generateKeyPairSync, randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import { AuditService } from '../../src/audit/audit.service';
import { AuditCheckpoints } from '../../src/audit/checkpoints/audit-checkpoints';
import { fromPrivateKey } from '../../src/audit/checkpoints/signing-key';
import { AuditVerifier, type VerifyOptions } from '../../src/audit/verify/audit.verifier';
import { appendDecisions, openAuditOrm } from '../../src/audit/audit.test-factory';
import { verifyAuditCommand } from '../../src/audit/verify/verify-audit.command';
import { scopeFor } from '../../src/audit-review';
import { WritebackJob } from '../../src/writeback/writeback-job.entity';
import { rewriteChainAsAttacker, tamperAsAttacker } from '../support/audit-tamper';
import { createMunicipality } from '../support/factories';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

// Integration tier: tampering with a real database behind the application's back, as someone with
// direct database access could, and checking that the verifier names the first bad entry.
let db: TestDatabase;
let orm: MikroORM;
const audit = new AuditService();

beforeAll(async () => {
  db = await createTestDatabase();
  orm = await openAuditOrm(db);
});

afterAll(async () => {
  await orm?.close(true);
  await db?.drop();
});

// Every change to the audit tables here is an attacker's: the database refuses them otherwise.
const tamper = (query: string, params: unknown[] = []) =>
  tamperAsAttacker(orm, async (sql) => {
    await sql(query, params);
  });
const where = 'where municipality_id = ? and seq = ?';

async function chainOf(count: number): Promise<{ id: string; hashes: string[] }> {
  const id = randomUUID();
  const appended = await appendDecisions(orm, audit, id, count);
  return { id, hashes: appended.map((e) => e.hash) };
}

// The same tampering, found by each way of reading the chain: in one part, cut into three parts
// checked side by side in one snapshot (PostgreSQL), and with every payload hashed by the
// verifier instead of the database.
const VARIANTS: [string, VerifyOptions][] = [
  ['in one part', {}],
  ['in three parts side by side', { parts: 3, minPartEntries: 1 }],
  ['hashing payloads in the verifier', { parts: 3, minPartEntries: 1, hashInDatabase: false }],
];

describe.each(VARIANTS)(`${AuditVerifier.name} (%s)`, (_name, options) => {
  const make = (pageSize?: number) => new AuditVerifier(orm.em, pageSize, options);
  describe('verify', () => {
    it('reports ok with no entries when the municipality has no chain', async () => {
      const id = randomUUID();
      expect(await make().verify(id)).toEqual({
        ok: true,
        municipalityId: id,
        entries: 0,
        lastHash: '0'.repeat(64),
      });
    });

    it('reports hash-mismatch at that seq when one payload was changed', async () => {
      const { id } = await chainOf(6);
      const other = await chainOf(2);
      await tamper(`update audit_entries set payload = ? ${where}`, [
        '{"invoice":{"amountOre":1,"number":"F-3"},"newDueDate":"2026-05-01","outcome":"approved"}',
        id,
        3,
      ]);
      expect(await make().verify(id)).toMatchObject({
        ok: false,
        problem: 'hash-mismatch',
        firstBadSeq: 3,
        entriesChecked: 2,
      });
      expect(await make().verify(other.id)).toMatchObject({ ok: true, entries: 2 });
    });

    it('reports ok when a payload was only re-formatted', async () => {
      const { id } = await chainOf(3);
      await tamper(`update audit_entries set payload = ? ${where}`, [
        '{ "outcome": "approved", "newDueDate": "2026-05-01", "invoice": { "number": "F-2", "amountOre": 125002 } }',
        id,
        2,
      ]);
      expect(await make().verify(id)).toMatchObject({ ok: true, entries: 3 });
    });

    it('reports hash-mismatch at that seq when created_at was moved by a millisecond', async () => {
      const { id } = await chainOf(4);
      const shift =
        db.kind === 'postgresql' ? "created_at + interval '1 millisecond'" : 'created_at + 1';
      await tamper(`update audit_entries set created_at = ${shift} ${where}`, [id, 2]);
      expect(await make().verify(id)).toMatchObject({
        ok: false,
        problem: 'hash-mismatch',
        firstBadSeq: 2,
      });
    });

    it('reports hash-mismatch at that seq when its stored hash was replaced', async () => {
      const { id, hashes } = await chainOf(4);
      await tamper(`update audit_entries set hash = ? ${where}`, ['e'.repeat(64), id, 2]);
      expect(await make().verify(id)).toMatchObject({
        ok: false,
        problem: 'hash-mismatch',
        firstBadSeq: 2,
        expected: 'e'.repeat(64),
        actual: hashes[1],
      });
    });

    it('reports gap-in-sequence at the missing seq when a row was deleted', async () => {
      const { id } = await chainOf(6);
      await tamper(`delete from audit_entries ${where}`, [id, 4]);
      expect(await make().verify(id)).toMatchObject({
        ok: false,
        problem: 'gap-in-sequence',
        firstBadSeq: 4,
        expected: '4',
        actual: '5',
        entriesChecked: 3,
      });
    });

    it('reports head-mismatch after the last row when the newest rows were deleted', async () => {
      const { id, hashes } = await chainOf(5);
      await tamper('delete from audit_entries where municipality_id = ? and seq > 3', [id]);
      expect(await make().verify(id)).toMatchObject({
        ok: false,
        problem: 'head-mismatch',
        firstBadSeq: 4,
        expected: `5:${hashes[4]}`,
        actual: `3:${hashes[2]}`,
      });
    });

    it('reports broken-link at the first moved seq when two rows were reordered', async () => {
      const { id, hashes } = await chainOf(5);
      await tamperAsAttacker(orm, async (sql) => {
        await sql(`update audit_entries set seq = -1 ${where}`, [id, 3]);
        await sql(`update audit_entries set seq = 3 ${where}`, [id, 4]);
        await sql(`update audit_entries set seq = 4 ${where}`, [id, -1]);
      });
      expect(await make().verify(id)).toMatchObject({
        ok: false,
        problem: 'broken-link',
        firstBadSeq: 3,
        expected: hashes[1],
        actual: hashes[2],
      });
    });

    it('finds the first bad seq on a later page when reading in small pages', async () => {
      const { id } = await chainOf(11);
      const paged = make(3);
      expect(await paged.verify(id)).toMatchObject({ ok: true, entries: 11 });
      await tamper(`delete from audit_entries ${where}`, [id, 8]);
      expect(await paged.verify(id)).toMatchObject({
        ok: false,
        problem: 'gap-in-sequence',
        firstBadSeq: 8,
        entriesChecked: 7,
      });
    });

    it('reports gap-in-sequence when a stray row lies far beyond the end of the chain', async () => {
      const { id } = await chainOf(3);
      await tamper(
        `insert into audit_entries (municipality_id, seq, type, subject_id, payload, payload_hash, prev_hash, hash, created_at)
         select municipality_id, 100000, type, subject_id, payload, payload_hash, prev_hash, hash, created_at from audit_entries ${where}`,
        [id, 3],
      );
      expect(await make().verify(id)).toMatchObject({
        ok: false,
        problem: 'gap-in-sequence',
        firstBadSeq: 4,
        expected: '4',
        actual: '100000',
      });
    });

    it('reports ok throughout when entries are appended while it verifies', async () => {
      const { id } = await chainOf(3);
      const appending = Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          orm.em.fork().transactional((em) =>
            audit.append(em, {
              municipalityId: id,
              type: 'deferral.decided',
              subjectId: `c-${i}`,
              payload: { i },
            }),
          ),
        ),
      );
      const results = await Promise.all(Array.from({ length: 10 }, () => make(2).verify(id)));
      await appending;
      for (const result of results) expect(result.ok).toBe(true);
      expect(await make().verify(id)).toMatchObject({ ok: true, entries: 13 });
    });
  });
});

describe.each(VARIANTS)(`${AuditVerifier.name} over a range (%s)`, (_name, options) => {
  const pair = generateKeyPairSync('ed25519');
  const signer = () =>
    new AuditCheckpoints(orm.em, fromPrivateKey(pair.privateKey, 'range-test', 'configured'));
  const make = (pageSize?: number) =>
    new AuditVerifier(orm.em, pageSize, { ...options, publicKeys: [pair.publicKey] });

  describe('verify', () => {
    it('checks up to upTo, telling the entries checked page by page, when the next entry links to it', async () => {
      const { id } = await chainOf(10);
      const seen: [number, number][] = [];
      const result = await make(3).verify(id, {
        upTo: 7,
        onProgress: (checked, total) => seen.push([checked, total]),
      });
      expect(result).toMatchObject({ ok: true, entries: 7 });
      expect(seen.length).toBeGreaterThan(1);
      expect(seen.at(-1)).toEqual([7, 7]);
      expect(seen.every(([checked], i) => i === 0 || checked > seen[i - 1][0])).toBe(true);
    });

    it('reports broken-link just after the range when the next entry does not link to its last', async () => {
      const { id, hashes } = await chainOf(10);
      await tamper(`update audit_entries set prev_hash = ? ${where}`, ['d'.repeat(64), id, 8]);
      expect(await make(3).verify(id, { upTo: 7 })).toMatchObject({
        ok: false,
        problem: 'broken-link',
        firstBadSeq: 8,
        expected: hashes[6],
        actual: 'd'.repeat(64),
      });
    });

    it('reports gap-in-sequence just after the range when the next entry is missing', async () => {
      const { id } = await chainOf(10);
      await tamper(`delete from audit_entries ${where}`, [id, 8]);
      expect(await make(3).verify(id, { upTo: 7 })).toMatchObject({
        ok: false,
        problem: 'gap-in-sequence',
        firstBadSeq: 8,
        actual: '9',
      });
    });

    it('reports gap-in-sequence inside the range when its last entries are missing', async () => {
      const { id } = await chainOf(10);
      await tamper('delete from audit_entries where municipality_id = ? and seq in (6, 7)', [id]);
      expect(await make(3).verify(id, { upTo: 7 })).toMatchObject({
        ok: false,
        problem: 'gap-in-sequence',
        firstBadSeq: 6,
      });
    });

    it('starts after a signed checkpoint, holding the chain to it and not reading the entries before it', async () => {
      const id = randomUUID();
      await appendDecisions(orm, audit, id, 4);
      const made = await signer().checkpointNow(id);
      if (made.kind !== 'created') throw new Error('no checkpoint');
      await appendDecisions(orm, audit, id, 4);
      await tamper(`update audit_entries set payload = ? ${where}`, [
        '{"outcome":"forged"}',
        id,
        2,
      ]);
      const seen: [number, number][] = [];
      expect(
        await make(2).verify(id, {
          afterCheckpoint: 4,
          onProgress: (checked, total) => seen.push([checked, total]),
        }),
      ).toMatchObject({ ok: true, entries: 4, checkpoints: 1, latestCheckpoint: { seq: 4 } });
      expect(seen.at(-1)).toEqual([4, 4]);
      // The whole chain is not sound: the altered entry lies before the checkpoint.
      expect(await make(2).verify(id)).toMatchObject({ ok: false, firstBadSeq: 2 });

      // A start after a checkpoint that is not stored is refused, naming its seq.
      expect(await make(2).verify(id, { afterCheckpoint: 3 })).toMatchObject({
        ok: false,
        problem: 'checkpoint-mismatch',
        firstBadSeq: 3,
      });
    });

    it('fails at the checkpoint it starts after when the chain there was recomputed', async () => {
      const id = randomUUID();
      await appendDecisions(orm, audit, id, 4);
      await signer().checkpointNow(id);
      await appendDecisions(orm, audit, id, 2);
      await rewriteChainAsAttacker(orm, id, 2, { outcome: 'approved' });
      expect(await make(2).verify(id, { afterCheckpoint: 4, upTo: 6 })).toMatchObject({
        ok: false,
        problem: 'checkpoint-mismatch',
        firstBadSeq: 4,
      });
    });

    it('stops at the next page when its signal is aborted', async () => {
      const { id } = await chainOf(12);
      const stop = new AbortController();
      await expect(
        make(3).verify(id, {
          upTo: 12,
          signal: stop.signal,
          onProgress: () => stop.abort(new Error('stopped by the test')),
        }),
      ).rejects.toThrow('stopped by the test');
    });
  });
});

describe(verifyAuditCommand.name, () => {
  async function run(args: string[]) {
    const lines: string[] = [];
    const errors: string[] = [];
    const code = await verifyAuditCommand(
      orm,
      args,
      { out: (l) => lines.push(l), err: (l) => errors.push(l) },
      [],
      scopeFor,
    );
    return { code, lines, errors };
  }

  /** `count` entries appended as if at noon UTC on `day`: only Date is faked, timers run. */
  async function appendOn(municipalityId: string, day: string, count: number) {
    jest.useFakeTimers({ now: new Date(`${day}T12:00:00Z`), doNotFake: [...TIMERS] });
    try {
      await appendDecisions(orm, audit, municipalityId, count);
    } finally {
      jest.useRealTimers();
    }
  }
  const TIMERS = [
    'hrtime',
    'nextTick',
    'performance',
    'queueMicrotask',
    'requestAnimationFrame',
    'cancelAnimationFrame',
    'requestIdleCallback',
    'cancelIdleCallback',
    'setImmediate',
    'clearImmediate',
    'setInterval',
    'clearInterval',
    'setTimeout',
    'clearTimeout',
  ] as const;

  it('prints ok and exits 0 when the named municipality has a sound chain', async () => {
    const municipality = await createMunicipality(orm.em.fork());
    await appendDecisions(orm, audit, municipality.id, 3);
    const { code, lines } = await run([municipality.slug]);
    expect(code).toBe(0);
    expect(lines).toEqual([
      expect.stringMatching(
        new RegExp(`^${municipality.slug}: ok, 3 entries, last hash [0-9a-f]{64} \\(`),
      ),
    ]);
  });

  it('prints a line per chain and exits 1 when one chain under --all is broken', async () => {
    const sound = await createMunicipality(orm.em.fork());
    const broken = await createMunicipality(orm.em.fork());
    await appendDecisions(orm, audit, sound.id, 2);
    await appendDecisions(orm, audit, broken.id, 3);
    await tamper(`delete from audit_entries ${where}`, [broken.id, 2]);
    const { code, lines } = await run(['--all']);
    expect(code).toBe(1);
    expect(lines).toContainEqual(
      expect.stringMatching(new RegExp(`^${sound.slug}: ok, 2 entries`)),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^${broken.slug}: FAILED, gap-in-sequence at seq 2 \\(expected 2, found 3\\) after 1 good entries`,
        ),
      ),
    );
    // Chains from the other tests have no municipality row and are still checked.
    expect(lines.some((line) => line.includes('(no municipality row)'))).toBe(true);
  });

  it('exits 1 naming the entry whose payload was altered, and the first of two reordered ones', async () => {
    const altered = await createMunicipality(orm.em.fork());
    const reordered = await createMunicipality(orm.em.fork());
    await appendDecisions(orm, audit, altered.id, 4);
    await appendDecisions(orm, audit, reordered.id, 4);
    await tamper(`update audit_entries set payload = ? ${where}`, [
      '{"outcome":"approved","forged":true}',
      altered.id,
      2,
    ]);
    await tamperAsAttacker(orm, async (sql) => {
      await sql(`update audit_entries set seq = -1 ${where}`, [reordered.id, 2]);
      await sql(`update audit_entries set seq = 2 ${where}`, [reordered.id, 3]);
      await sql(`update audit_entries set seq = 3 ${where}`, [reordered.id, -1]);
    });
    const one = await run([altered.slug]);
    expect(one.code).toBe(1);
    expect(one.lines[0]).toMatch(
      new RegExp(`^${altered.slug}: FAILED, hash-mismatch at seq 2 .* after 1 good entries`),
    );
    const other = await run([reordered.slug]);
    expect(other.code).toBe(1);
    expect(other.lines[0]).toMatch(
      new RegExp(`^${reordered.slug}: FAILED, broken-link at seq 2 .* after 1 good entries`),
    );
  });

  it('exits 1 naming each write-back that finished without its audit entry', async () => {
    const municipality = await createMunicipality(orm.em.fork());
    const em = orm.em.fork();
    const job = (status: WritebackJob['status']) => {
      const deferralRequestId = randomUUID();
      return em.create(WritebackJob, {
        municipalityId: municipality.id,
        deferralRequestId,
        idempotencyKey: `deferral-${deferralRequestId}`,
        invoiceId: 'F-1',
        pid: '12838512311',
        newDueDate: '2026-05-01',
        reason: 'UTS-TEST',
        status,
      });
    };
    const audited = job('done');
    const unauditedDone = job('done');
    const unauditedFailed = job('failed');
    const unauditedResolved = job('resolved_by_hand');
    // Resolved by hand after failing: its writeback.failed entry alone is not enough.
    const resolvedWithFailedOnly = job('resolved_by_hand');
    const auditedResolved = job('resolved_by_hand');
    // Not finished yet: no entry is owed.
    job('pending');
    job('in_progress');
    // An entry of the wrong kind does not count.
    const wrongKind = job('failed');
    await em.flush();
    await orm.em.fork().transactional(async (tem) => {
      await audit.append(tem, {
        municipalityId: municipality.id,
        type: 'writeback.succeeded',
        subjectId: audited.deferralRequestId,
        payload: { jobId: audited.id },
      });
      await audit.append(tem, {
        municipalityId: municipality.id,
        type: 'writeback.succeeded',
        subjectId: wrongKind.deferralRequestId,
        payload: { jobId: wrongKind.id },
      });
      await audit.append(tem, {
        municipalityId: municipality.id,
        type: 'writeback.failed',
        subjectId: resolvedWithFailedOnly.deferralRequestId,
        payload: { jobId: resolvedWithFailedOnly.id },
      });
      await audit.append(tem, {
        municipalityId: municipality.id,
        type: 'writeback.resolved_by_hand',
        subjectId: auditedResolved.deferralRequestId,
        payload: { jobId: auditedResolved.id },
      });
    });

    const { code, lines } = await run([municipality.slug]);
    expect(code).toBe(1);
    expect(lines[0]).toMatch(new RegExp(`^${municipality.slug}: ok, 4 entries`));
    expect(lines.slice(1).sort()).toEqual(
      [
        `${municipality.slug}: FAILED, write-back job ${unauditedDone.id} (request ${unauditedDone.deferralRequestId}) is done without a writeback.succeeded entry`,
        `${municipality.slug}: FAILED, write-back job ${unauditedFailed.id} (request ${unauditedFailed.deferralRequestId}) is failed without a writeback.failed entry`,
        `${municipality.slug}: FAILED, write-back job ${wrongKind.id} (request ${wrongKind.deferralRequestId}) is failed without a writeback.failed entry`,
        `${municipality.slug}: FAILED, write-back job ${unauditedResolved.id} (request ${unauditedResolved.deferralRequestId}) is resolved_by_hand without a writeback.resolved_by_hand entry`,
        `${municipality.slug}: FAILED, write-back job ${resolvedWithFailedOnly.id} (request ${resolvedWithFailedOnly.deferralRequestId}) is resolved_by_hand without a writeback.resolved_by_hand entry`,
      ].sort(),
    );
  });

  it('checks a period with --from and --to as the auditors’ page does: from the chain’s start to the period’s last entry', async () => {
    const municipality = await createMunicipality(orm.em.fork());
    await appendOn(municipality.id, '2026-03-10', 3);
    await appendOn(municipality.id, '2026-04-10', 3);
    await appendOn(municipality.id, '2026-05-10', 3);
    await tamper(`update audit_entries set payload = ? ${where}`, [
      '{"outcome":"approved","forged":true}',
      municipality.id,
      8,
    ]);

    const april = await run([municipality.slug, '--from', '2026-04-01', '--to', '2026-04-30']);
    expect(april.errors).toEqual([]);
    expect(april.code).toBe(0);
    expect(april.lines).toEqual([
      expect.stringMatching(
        new RegExp(
          `^${municipality.slug} 2026-04-01 to 2026-04-30 \\(its entries 4-6; checked seq 1-6\\): ok, 6 entries`,
        ),
      ),
    ]);
    const fromMay = await run([municipality.slug, '--from', '2026-05-01']);
    expect(fromMay.code).toBe(1);
    expect(fromMay.lines[0]).toMatch(
      new RegExp(
        `^${municipality.slug} 2026-05-01 to now \\(its entries 7-9; checked seq 1-9\\): FAILED, hash-mismatch at seq 8`,
      ),
    );
    const february = await run([municipality.slug, '--to', '2026-02-28']);
    expect(february.code).toBe(0);
    expect(february.lines[0]).toMatch(
      new RegExp(
        `^${municipality.slug} start to 2026-02-28 \\(no entries in the period\\): ok, 0 entries`,
      ),
    );
  });

  it.each([
    [['--from', '2026-02-30'], '--from 2026-02-30 is not a date: write it as YYYY-MM-DD'],
    [['--to', '1.5.2026'], '--to 1.5.2026 is not a date: write it as YYYY-MM-DD'],
    [['--from'], '--from needs a date (YYYY-MM-DD)'],
    [['--from', '2026-05-01', '--to', '2026-04-30'], '--from 2026-05-01 is after --to 2026-04-30'],
  ])('exits 2 with a clear error for a bad period (%j)', async (period, error) => {
    const municipality = await createMunicipality(orm.em.fork());
    expect(await run([municipality.slug, ...period])).toMatchObject({ code: 2, errors: [error] });
  });

  it('exits 1 when the municipality is unknown', async () => {
    expect(await run(['nowhere'])).toMatchObject({
      code: 1,
      errors: ['unknown municipality: nowhere'],
    });
  });

  it('prints usage and exits 2 when given no argument', async () => {
    expect(await run([])).toMatchObject({ code: 2, errors: [expect.stringContaining('usage:')] });
  });
});

describe(`${AuditVerifier.name} without the (municipality, seq) primary key`, () => {
  describe('verify', () => {
    it('reports gap-in-sequence when a copied row repeats a seq at a page boundary', async () => {
      const { id } = await chainOf(5);
      if (db.kind === 'postgresql')
        await tamper('alter table audit_entries drop constraint audit_entries_pkey');
      else
        // SQLite cannot drop a primary key: the attacker copies the table without it.
        await tamperAsAttacker(orm, async (sql) => {
          await sql('create table audit_entries_keyless as select * from audit_entries');
          await sql('drop table audit_entries');
          await sql('alter table audit_entries_keyless rename to audit_entries');
        });
      await tamper(
        `insert into audit_entries (municipality_id, seq, type, subject_id, payload, payload_hash, prev_hash, hash, created_at)
         select municipality_id, seq, type, subject_id, payload, payload_hash, prev_hash, hash, created_at from audit_entries ${where}`,
        [id, 3],
      );
      expect(await new AuditVerifier(orm.em, 3).verify(id)).toMatchObject({
        ok: false,
        problem: 'gap-in-sequence',
        firstBadSeq: 4,
        actual: '3',
      });
    });
  });
});
