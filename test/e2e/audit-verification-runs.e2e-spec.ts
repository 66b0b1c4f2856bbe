import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import type { AuditVerification, AuditVerifier, VerifyRange } from '../../src/audit';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { AuditService } from '../../src/audit/audit.service';
import { appendDecisions } from '../../src/audit/audit.test-factory';
import { VerificationRun } from '../../src/audit-review/verification/verification-run.entity';
import { VerificationRunsService } from '../../src/audit-review/verification/verification-runs.service';
import type { StaffMember } from '../../src/auth';
import { openMigratedOrm } from '../support/test-database';

// Integration tier: the runs on a real database, with a verifier the test holds in its hand, so a
// run can be caught half-way: its progress stored, its instance shutting down, its check failing.
let orm: MikroORM;
let close: (() => Promise<void>) | undefined;
const audit = new AuditService();
const staff = { actor: 'staff:runa', name: 'Runa Revisor' } as StaffMember;

beforeAll(async () => {
  ({ orm, close } = await openMigratedOrm({ poolMax: 10 }));
});
afterAll(() => close?.());

/** A verifier that tells one page of progress, then waits until the test lets it answer. */
function heldVerifier() {
  let release!: (result: AuditVerification | Error) => void;
  const released = new Promise<AuditVerification | Error>((resolve) => {
    release = resolve;
  });
  const calls: VerifyRange[] = [];
  const verifier = {
    async verify(municipalityId: string, range: VerifyRange = {}): Promise<AuditVerification> {
      calls.push(range);
      range.onProgress?.(5, 10);
      const stopped = new Promise<never>((_, reject) => {
        range.signal?.addEventListener('abort', () => reject(range.signal?.reason as Error));
      });
      const result = await Promise.race([released, stopped]);
      if (result instanceof Error) throw result;
      return { ...result, municipalityId };
    },
  } as unknown as AuditVerifier;
  return { verifier, release, calls };
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('timed out');
}

const runRow = (id: string) => orm.em.fork().findOneOrFail(VerificationRun, { id });

describe(VerificationRunsService.name, () => {
  describe('start', () => {
    it('stores the progress while it runs, then the verdict and an audit.verified entry in the chain', async () => {
      const municipalityId = randomUUID();
      await appendDecisions(orm, audit, municipalityId, 3);
      const { verifier, release, calls } = heldVerifier();
      const service = new VerificationRunsService(orm, verifier, audit);
      const id = await service.start(staff, municipalityId, {});

      const running = await until(
        () => runRow(id),
        (run) => run.checked === 5,
      );
      expect(running).toMatchObject({ status: 'running', checked: 5, total: 10, result: null });
      expect(calls[0]).toMatchObject({ afterCheckpoint: undefined, upTo: 3 });

      release({ ok: true, municipalityId, entries: 3, lastHash: 'a'.repeat(64) });
      const done = await until(
        () => runRow(id),
        (run) => run.status !== 'running',
      );
      expect(done).toMatchObject({
        status: 'sound',
        checked: 3,
        result: { verdict: 'sound', entries: 3, checkpoints: 0, latestCheckpoint: null },
      });
      expect(done.finishedAt).toBeInstanceOf(Date);
      const [entry] = await orm.em
        .fork()
        .find(AuditEntry, { municipalityId, type: 'audit.verified' });
      expect(entry).toMatchObject({ seq: 4, subjectId: id });
      expect(entry.payload).toEqual({
        actor: 'staff:runa',
        name: 'Runa Revisor',
        from: null,
        to: null,
        firstSeq: 1,
        lastSeq: 3,
        verdict: 'sound',
        entries: 3,
      });
    });

    it('records a failed chain in that chain too, with the first bad entry and why', async () => {
      const municipalityId = randomUUID();
      await appendDecisions(orm, audit, municipalityId, 3);
      const { verifier, release } = heldVerifier();
      const id = await new VerificationRunsService(orm, verifier, audit).start(
        staff,
        municipalityId,
        {},
      );
      release({
        ok: false,
        municipalityId,
        entriesChecked: 1,
        firstBadSeq: 2,
        problem: 'gap-in-sequence',
        expected: '2',
        actual: '3',
      });
      const done = await until(
        () => runRow(id),
        (run) => run.status !== 'running',
      );
      expect(done).toMatchObject({
        status: 'failed',
        result: { verdict: 'failed', seq: 2, reason: 'gap', entriesChecked: 1 },
      });
      const [entry] = await orm.em
        .fork()
        .find(AuditEntry, { municipalityId, type: 'audit.verified' });
      expect(entry.payload).toMatchObject({ verdict: 'failed', seq: 2, reason: 'gap' });
    });

    it('marks the run interrupted, recording nothing, when the check itself fails', async () => {
      const municipalityId = randomUUID();
      const { verifier, release } = heldVerifier();
      const id = await new VerificationRunsService(orm, verifier, audit).start(
        staff,
        municipalityId,
        {},
      );
      release(new Error('connection lost'));
      const done = await until(
        () => runRow(id),
        (run) => run.status !== 'running',
      );
      expect(done).toMatchObject({
        status: 'interrupted',
        result: { verdict: 'interrupted', why: 'error' },
      });
      expect(await orm.em.fork().count(AuditEntry, { municipalityId })).toBe(0);
    });
  });

  describe('onModuleDestroy', () => {
    it('stops a running check at shutdown and marks it interrupted before the database closes', async () => {
      const municipalityId = randomUUID();
      await appendDecisions(orm, audit, municipalityId, 2);
      const { verifier, calls } = heldVerifier();
      const service = new VerificationRunsService(orm, verifier, audit);
      const id = await service.start(staff, municipalityId, {});
      await until(
        async () => calls.length,
        (n) => n === 1,
      );

      await service.onModuleDestroy();
      expect(calls[0].signal?.aborted).toBe(true);
      expect(await runRow(id)).toMatchObject({
        status: 'interrupted',
        result: { verdict: 'interrupted', why: 'shutdown' },
      });
      expect(
        await orm.em.fork().count(AuditEntry, { municipalityId, type: 'audit.verified' }),
      ).toBe(0);

      // Started once shutting down: stored as interrupted at once, never run.
      const late = await service.start(staff, municipalityId, {});
      expect(await runRow(late)).toMatchObject({ status: 'interrupted' });
      expect(calls).toHaveLength(1);
    });
  });
});
