import {
  CHANGED_KEPT,
  type PolicyDraftsService,
  type SimulationService,
  type SimulationStatus,
} from '../policy';
import { PolicyTrialService } from './policy-trial.service';

const MUNICIPALITY = '6f1c1a52-3d4e-4b6f-8a3b-2c1d0e9f8a7b';
const JOB = '0c2a7f4e-5b1d-4c3e-9f8a-7b6c5d4e3f2a';

function doneWith(count: number, listed: number): SimulationStatus {
  const cases = Array.from({ length: listed }, (_, i) => ({
    reference: `REF-${i}`,
    requestedOn: '2026-03-10',
    amountOre: 100_000,
    recordedOutcome: 'approved' as const,
    activeOutcome: 'approved' as const,
    draftOutcome: 'manual_review' as const,
  }));
  const summary = {
    outcomes: { approved: count, rejected: 0, manual_review: 0 },
    automatic: count,
    automaticShare: 1,
    approvedAmountOre: 0,
  };
  return {
    id: JOB,
    municipalityId: MUNICIPALITY,
    period: {},
    versions: {
      active: { versionId: 'v', policyId: 'p', version: '1', hash: 'a' },
      draft: { policyId: 'p', version: '2', hash: 'b' },
    },
    startedAt: new Date(),
    state: 'done',
    done: count,
    total: count,
    finishedAt: new Date(),
    durationMs: 1_200,
    result: {
      total: count,
      evaluated: count,
      active: summary,
      draft: summary,
      changed: { count, amountOre: count * 100_000, residents: count, transitions: [], cases },
      unevaluable: { count: 0, cases: [] },
    },
  };
}

function serviceShowing(status: SimulationStatus): PolicyTrialService {
  const drafts = {
    get: () => Promise.resolve({ id: 'd', kind: 'edit', status: 'draft', text: '{}' }),
  } as unknown as PolicyDraftsService;
  const simulations = {
    waitFor: () => Promise.resolve(status),
  } as unknown as SimulationService;
  return new PolicyTrialService(drafts, simulations);
}

describe(PolicyTrialService.name, () => {
  describe('simulationPage', () => {
    it('lists the changed cases the result keeps and says how many more there are', async () => {
      const page = await serviceShowing(doneWith(12_307, 500)).simulationPage(
        MUNICIPALITY,
        'd',
        JOB,
      );
      if (!('result' in page) || !page.result) throw new Error('no result on the page');
      expect(page.result.changed.count).toBe(12_307);
      expect(page.result.changed.cases).toHaveLength(500);
      expect(page.result.changed.more).toBe(11_807);
    });

    it('lists at most CHANGED_KEPT of a result an earlier release stored with every case', async () => {
      const page = await serviceShowing(
        doneWith(CHANGED_KEPT + 40, CHANGED_KEPT + 40),
      ).simulationPage(MUNICIPALITY, 'd', JOB);
      if (!('result' in page) || !page.result) throw new Error('no result on the page');
      expect(page.result.changed.cases).toHaveLength(CHANGED_KEPT);
      expect(page.result.changed.more).toBe(40);
    });

    it('says nothing of more when every changed case is listed', async () => {
      const page = await serviceShowing(doneWith(3, 3)).simulationPage(MUNICIPALITY, 'd', JOB);
      if (!('result' in page) || !page.result) throw new Error('no result on the page');
      expect(page.result.changed.cases).toHaveLength(3);
      expect(page.result.changed.more).toBe(0);
    });
  });
});
