import type { MikroORM } from '@mikro-orm/core';
import type { AuditAppend, AuditService } from '../audit';
import { WritebackJob } from './writeback-job.entity';
import type { WritebackOutcome } from './writeback-outcome';
import { WritebackRecorder } from './writeback-recorder';

/** A recorder over a stand-in transaction that applies every conditional update it is given. */
function recorderWithUpdates() {
  const updates: { where: unknown; changes: Partial<WritebackJob> }[] = [];
  const entries: AuditAppend[] = [];
  const tx = {
    nativeUpdate: jest.fn(async (_entity: unknown, where: unknown, changes: object) => {
      updates.push({ where, changes });
      return 1;
    }),
  };
  const orm = {
    em: { fork: () => ({ transactional: (work: (em: typeof tx) => unknown) => work(tx) }) },
  } as unknown as MikroORM;
  const audit = {
    appendMany: jest.fn(async (_em: unknown, appended: AuditAppend[]) => {
      entries.push(...appended);
      return [];
    }),
  } as unknown as AuditService;
  return { recorder: new WritebackRecorder(orm, audit), updates, entries };
}

function claimedJob(): WritebackJob {
  return Object.assign(new WritebackJob(), {
    municipalityId: '8d6c3d57-2f0e-4a55-9d35-6a9e2f0c1a11',
    deferralRequestId: '5f0b7a8e-0c3e-4f7e-8a53-1f6e7b2d9c40',
    invoiceId: 'F-1',
    pid: '12838512311',
    newDueDate: '2027-01-15',
    reason: 'Betalingsutsettelse UTS-TEST',
    status: 'in_progress',
    attempts: 4,
  });
}

describe(WritebackRecorder, () => {
  describe('record', () => {
    it('sets failedAt with the status when a job fails for good', async () => {
      const { recorder, updates, entries } = recorderWithUpdates();
      const job = claimedJob();
      const before = Date.now();
      await recorder.record(job, 4, { kind: 'failed', error: 'rejected:INVOICE_PAID' });
      expect(updates).toHaveLength(1);
      expect(updates[0].where).toEqual({ id: job.id, status: 'in_progress', attempts: 4 });
      expect(updates[0].changes).toMatchObject({
        status: 'failed',
        lastError: 'rejected:INVOICE_PAID',
        failedAt: expect.any(Date),
      });
      expect(updates[0].changes.failedAt!.getTime()).toBeGreaterThanOrEqual(before);
      expect(job.failedAt).toEqual(updates[0].changes.failedAt);
      expect(entries.map((e) => e.type)).toEqual(['writeback.failed']);
    });

    it('hands the job over with its time, audited as writeback.handed_over', async () => {
      const { recorder, updates, entries } = recorderWithUpdates();
      const job = claimedJob();
      const before = Date.now();
      await recorder.record(job, 4, { kind: 'handed_over' });
      expect(updates[0].where).toEqual({ id: job.id, status: 'in_progress', attempts: 4 });
      expect(updates[0].changes).toEqual({
        status: 'handed_over',
        handedOverAt: expect.any(Date),
        lockedUntil: null,
        lastError: null,
      });
      expect(updates[0].changes.handedOverAt!.getTime()).toBeGreaterThanOrEqual(before);
      expect(entries).toEqual([
        {
          municipalityId: job.municipalityId,
          type: 'writeback.handed_over',
          subjectId: job.deferralRequestId,
          payload: {
            jobId: job.id,
            invoiceId: 'F-1',
            idempotencyKey: job.idempotencyKey,
            attempts: 4,
            newDueDate: '2027-01-15',
          },
        },
      ]);
    });

    it('leaves failedAt alone when the attempt will be retried or succeeded', async () => {
      const outcomes: WritebackOutcome[] = [
        { kind: 'retry', error: 'unavailable:timeout', nextAttemptAt: new Date() },
        {
          kind: 'done',
          change: {
            invoiceId: 'F-1',
            dueDate: '2027-01-15',
            previousDueDate: '2026-12-15',
            changedAt: '2026-12-06T10:00:00.000Z',
            replayed: false,
          },
        },
      ];
      for (const outcome of outcomes) {
        const { recorder, updates } = recorderWithUpdates();
        await recorder.record(claimedJob(), 4, outcome);
        expect(updates[0].changes).not.toHaveProperty('failedAt');
      }
    });
  });
});
