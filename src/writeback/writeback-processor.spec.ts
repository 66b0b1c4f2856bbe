import type { MikroORM } from '@mikro-orm/core';
import { FinanceUnavailableError, type FinanceSystem } from '../finance';
import { claimDueJobs } from './writeback-claim';
import { WritebackJob } from './writeback-job.entity';
import type { WritebackOutcome } from './writeback-outcome';
import { WritebackProcessor } from './writeback-processor';
import type { WritebackRecorder } from './writeback-recorder';
import type { WritebackConfig } from './writeback.config';

jest.mock('./writeback-claim', () => ({ claimDueJobs: jest.fn() }));
const claim = jest.mocked(claimDueJobs);

const MUNICIPALITY = '8d6c3d57-2f0e-4a55-9d35-6a9e2f0c1a11';
const CONFIG = {
  backoffBaseMs: 1_000,
  backoffCapMs: 300_000,
  maxAttempts: 3,
  batchSize: 50,
  leaseMs: 60_000,
  instanceId: 'unit-test',
} as WritebackConfig;

/** A job as the claim returns it: `attempts` already counts this claim. */
function claimedJob(attempts: number, retryBaseAttempts: number): WritebackJob {
  return Object.assign(new WritebackJob(), {
    municipalityId: MUNICIPALITY,
    deferralRequestId: '5f0b7a8e-0c3e-4f7e-8a53-1f6e7b2d9c40',
    invoiceId: 'F-1',
    pid: '12838512311',
    newDueDate: '2027-01-15',
    reason: 'Betalingsutsettelse UTS-TEST',
    status: 'in_progress',
    attempts,
    retryBaseAttempts,
  });
}

/** Runs one batch of `jobs` against a finance system that is down; returns what was recorded. */
async function runWhileUnavailable(
  jobs: WritebackJob[],
  config: Partial<WritebackConfig> = {},
): Promise<{ attempt: number; outcome: WritebackOutcome }[]> {
  claim.mockResolvedValueOnce(jobs);
  const orm = {
    em: { fork: () => ({ find: async () => [{ id: MUNICIPALITY, slug: 'x', settings: {} }] }) },
  } as unknown as MikroORM;
  const finance = {
    capabilities: () => ({ writesDueDates: true }),
    setDueDate: jest.fn(async () => {
      throw new FinanceUnavailableError('server-error', '500');
    }),
  } as unknown as FinanceSystem;
  const recorded: { attempt: number; outcome: WritebackOutcome }[] = [];
  const recorder = {
    record: jest.fn(async (_job: WritebackJob, attempt: number, outcome: WritebackOutcome) => {
      recorded.push({ attempt, outcome });
    }),
  } as unknown as WritebackRecorder;
  await new WritebackProcessor(orm, finance, recorder, { ...CONFIG, ...config }).runBatch();
  return recorded;
}

/** Runs one batch of `jobs` for a municipality whose finance system cannot write due dates. */
async function runWithoutWritePath(jobs: WritebackJob[]) {
  claim.mockResolvedValueOnce(jobs);
  const orm = {
    em: { fork: () => ({ find: async () => [{ id: MUNICIPALITY, slug: 'x', settings: {} }] }) },
  } as unknown as MikroORM;
  const finance = {
    capabilities: jest.fn(() => ({ writesDueDates: false })),
    setDueDate: jest.fn(),
  };
  const recorded: { attempt: number; outcome: WritebackOutcome }[] = [];
  const recorder = {
    record: jest.fn(async (_job: WritebackJob, attempt: number, outcome: WritebackOutcome) => {
      recorded.push({ attempt, outcome });
    }),
  } as unknown as WritebackRecorder;
  await new WritebackProcessor(
    orm,
    finance as unknown as FinanceSystem,
    recorder,
    CONFIG,
  ).runBatch();
  return { recorded, finance };
}

describe(WritebackProcessor, () => {
  describe('runBatch', () => {
    it('hands the job over, and writes nothing, when the finance system cannot write due dates', async () => {
      const { recorded, finance } = await runWithoutWritePath([claimedJob(1, 0)]);
      expect(recorded).toEqual([{ attempt: 1, outcome: { kind: 'handed_over' } }]);
      expect(finance.capabilities).toHaveBeenCalledWith({
        id: MUNICIPALITY,
        slug: 'x',
        settings: {},
      });
      expect(finance.setDueDate).not.toHaveBeenCalled();
    });

    it('gives up after maxAttempts when no officer ever retried the job', async () => {
      const [second, third] = await runWhileUnavailable([claimedJob(2, 0), claimedJob(3, 0)]);
      expect(second.outcome.kind).toBe('retry');
      expect(third.outcome).toEqual({ kind: 'failed', error: 'unavailable:server-error' });
    });

    it('counts the attempt limit from retryBaseAttempts when an officer retried the job', async () => {
      // Failed for good at 3; an officer's retry set the base to 3, so 4 and 5 may still retry.
      const recorded = await runWhileUnavailable([
        claimedJob(4, 3),
        claimedJob(5, 3),
        claimedJob(6, 3),
      ]);
      expect(recorded.map((r) => r.outcome.kind)).toEqual(['retry', 'retry', 'failed']);
    });

    it('records with the whole attempt count, the fencing token, when attempts count from a retry', async () => {
      const recorded = await runWhileUnavailable([claimedJob(13, 12)]);
      expect(recorded).toEqual([
        { attempt: 13, outcome: expect.objectContaining({ kind: 'retry' }) },
      ]);
    });

    it('backs off as after a first attempt when it is the first attempt since a retry', async () => {
      const before = Date.now();
      // Counted from 0, attempt 9 could wait up to 256 s; counted from the retry, under 1 s.
      const recorded = await runWhileUnavailable(
        Array.from({ length: 20 }, () => claimedJob(9, 8)),
        { maxAttempts: 12 },
      );
      for (const { outcome } of recorded) {
        expect(outcome.kind).toBe('retry');
        if (outcome.kind === 'retry')
          expect(outcome.nextAttemptAt.getTime() - before).toBeLessThan(1_000 + 1_000);
      }
    });
  });
});
