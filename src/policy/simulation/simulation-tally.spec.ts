import { approvableFacts, compiledDefaultPolicy, compileText } from '../policy.test-factory';
import { defaultPolicyJson, setAt } from '../policy.test-factory';
import type { DeferralFacts } from '../engine/facts';
import type { Outcome } from '../policy.types';
import { simulateRows } from './simulate-rows';
import type { PastRequestRow } from './simulation-protocol';
import { addDays } from '../../shared/calendar-date';
import {
  CHANGED_KEPT,
  SimulationTally,
  UNEVALUABLE_KEPT,
  type TalliedRequest,
} from './simulation-tally';

const request = (reference: string, overrides: Partial<TalliedRequest> = {}): TalliedRequest => ({
  reference,
  pid: '01017012345',
  amountOre: 100_000,
  recordedOutcome: 'approved',
  requestedOn: '2026-03-10',
  ...overrides,
});

function row(
  reference: string,
  pid: string,
  facts: DeferralFacts,
  outcome: Outcome,
): PastRequestRow {
  return { reference, pid, amountOre: facts.amountOre, outcome, facts };
}

describe(SimulationTally.name, () => {
  describe('result', () => {
    it('counts each version’s outcomes and its share decided automatically', () => {
      const tally = new SimulationTally();
      tally.add(request('A'), 'approved', 'approved');
      tally.add(request('B'), 'approved', 'manual_review');
      tally.add(request('C'), 'rejected', 'rejected');
      tally.add(request('D'), 'manual_review', 'manual_review');
      const result = tally.result();
      expect(result).toMatchObject({ total: 4, evaluated: 4 });
      expect(result.active).toEqual({
        outcomes: { approved: 2, rejected: 1, manual_review: 1 },
        automatic: 3,
        automaticShare: 0.75,
        approvedAmountOre: 200_000,
      });
      expect(result.draft).toEqual({
        outcomes: { approved: 1, rejected: 1, manual_review: 2 },
        automatic: 2,
        automaticShare: 0.5,
        approvedAmountOre: 100_000,
      });
    });

    it('sums the money and counts each resident once over the changed cases only', () => {
      const tally = new SimulationTally();
      tally.add(request('A', { pid: 'p1', amountOre: 300_000 }), 'approved', 'manual_review');
      tally.add(request('B', { pid: 'p1', amountOre: 50_000 }), 'approved', 'rejected');
      tally.add(request('C', { pid: 'p2', amountOre: 7_000 }), 'manual_review', 'approved');
      tally.add(request('D', { pid: 'p3', amountOre: 999_999 }), 'approved', 'approved');
      const { changed } = tally.result();
      expect(changed).toMatchObject({ count: 3, amountOre: 357_000, residents: 2 });
      expect(changed.transitions).toEqual([
        { from: 'approved', to: 'manual_review', count: 1, amountOre: 300_000 },
        { from: 'approved', to: 'rejected', count: 1, amountOre: 50_000 },
        { from: 'manual_review', to: 'approved', count: 1, amountOre: 7_000 },
      ]);
    });

    it('keeps the newest CHANGED_KEPT changed cases, in any order of arrival, and counts them all', () => {
      const tally = new SimulationTally();
      const days = 3 * CHANGED_KEPT + 7;
      // In a scrambled order (7,919 is a prime that does not divide `days`, so each day comes
      // once): a case kept early is often pushed out by a newer one later.
      const order = Array.from({ length: days }, (_, k) => (k * 7_919) % days);
      for (const i of order) {
        const requestedOn = addDays('2024-01-01', i);
        tally.add(
          request(`R-${String(i).padStart(5, '0')}`, { requestedOn }),
          'approved',
          'rejected',
        );
        tally.add(
          request(`Q-${String(i).padStart(5, '0')}`, { requestedOn }),
          'approved',
          'rejected',
        );
      }
      const { changed } = tally.result();
      expect(changed.count).toBe(2 * days);
      expect(changed.amountOre).toBe(2 * days * 100_000);
      expect(changed.cases).toHaveLength(CHANGED_KEPT);
      const expected = Array.from({ length: days }, (_, i) => days - 1 - i).flatMap((i) => [
        `Q-${String(i).padStart(5, '0')}`,
        `R-${String(i).padStart(5, '0')}`,
      ]);
      expect(changed.cases.map((c) => c.reference)).toEqual(expected.slice(0, CHANGED_KEPT));
    });

    it('lists the changed cases newest first, then by reference, with all three outcomes', () => {
      const tally = new SimulationTally();
      tally.add(request('B', { requestedOn: '2026-03-01' }), 'approved', 'manual_review');
      tally.add(request('C', { requestedOn: '2026-04-01' }), 'approved', 'manual_review');
      tally.add(
        request('A', { requestedOn: '2026-03-01', recordedOutcome: 'rejected' }),
        'approved',
        'rejected',
      );
      tally.add(request('D', { requestedOn: '2026-05-01' }), 'approved', 'approved');
      expect(tally.result().changed.cases).toEqual([
        {
          reference: 'C',
          requestedOn: '2026-04-01',
          amountOre: 100_000,
          recordedOutcome: 'approved',
          activeOutcome: 'approved',
          draftOutcome: 'manual_review',
        },
        {
          reference: 'A',
          requestedOn: '2026-03-01',
          amountOre: 100_000,
          recordedOutcome: 'rejected',
          activeOutcome: 'approved',
          draftOutcome: 'rejected',
        },
        {
          reference: 'B',
          requestedOn: '2026-03-01',
          amountOre: 100_000,
          recordedOutcome: 'approved',
          activeOutcome: 'approved',
          draftOutcome: 'manual_review',
        },
      ]);
    });

    it('gives no share (null) when nothing was evaluated', () => {
      const tally = new SimulationTally();
      tally.addUnevaluable('X', 'amountOre: Required');
      const result = tally.result();
      expect(result).toMatchObject({ total: 1, evaluated: 0 });
      expect(result.active.automaticShare).toBeNull();
      expect(result.draft.automaticShare).toBeNull();
    });

    it('counts every unevaluable request and names the first ones', () => {
      const tally = new SimulationTally();
      for (let i = 0; i < UNEVALUABLE_KEPT + 5; i++) tally.addUnevaluable(`X${i}`, 'bad');
      const { unevaluable } = tally.result();
      expect(unevaluable.count).toBe(UNEVALUABLE_KEPT + 5);
      expect(unevaluable.cases).toHaveLength(UNEVALUABLE_KEPT);
      expect(unevaluable.cases[0]).toEqual({ reference: 'X0', problem: 'bad' });
    });
  });
});

describe(simulateRows.name, () => {
  const active = compiledDefaultPolicy();
  const json = defaultPolicyJson();
  setAt(json, '/parameters/maxAmountOre/value', 300_000);
  const draft = compileText(JSON.stringify(json));

  it('compares the draft with the active version on hand-made recorded facts', async () => {
    const tally = new SimulationTally();
    await simulateRows(tally, active, draft, [
      // 2 500 kr: under both limits.
      row(
        'UTS-A',
        'p1',
        approvableFacts({ amountOre: 250_000, unpaidTotalOre: 250_000 }),
        'approved',
      ),
      // 5 000 kr: under the active 10 000 kr, over the draft's 3 000 kr.
      row(
        'UTS-B',
        'p1',
        approvableFacts({ amountOre: 500_000, unpaidTotalOre: 500_000, today: '2026-03-11' }),
        'approved',
      ),
      row(
        'UTS-C',
        'p2',
        approvableFacts({ amountOre: 800_000, unpaidTotalOre: 800_000 }),
        'approved',
      ),
      // In collection: rejected by both.
      row(
        'UTS-D',
        'p3',
        approvableFacts({ inCollection: true, invoiceStatus: 'INKASSO' }),
        'rejected',
      ),
    ]);
    const result = tally.result();
    expect(result.active.outcomes).toEqual({ approved: 3, rejected: 1, manual_review: 0 });
    expect(result.draft.outcomes).toEqual({ approved: 1, rejected: 1, manual_review: 2 });
    expect(result.active.automaticShare).toBe(1);
    expect(result.draft.automaticShare).toBe(0.5);
    expect(result.changed).toMatchObject({ count: 2, amountOre: 1_300_000, residents: 2 });
    expect(
      result.changed.cases.map((c) => [
        c.reference,
        c.requestedOn,
        c.activeOutcome,
        c.draftOutcome,
      ]),
    ).toEqual([
      ['UTS-B', '2026-03-11', 'approved', 'manual_review'],
      ['UTS-C', '2026-03-10', 'approved', 'manual_review'],
    ]);
  });

  it('counts facts that no longer pass the check as unevaluable, and goes on', async () => {
    const tally = new SimulationTally();
    const { amountOre: _dropped, ...withoutAmount } = approvableFacts();
    await simulateRows(tally, active, draft, [
      { reference: 'OLD', pid: 'p1', amountOre: 1, outcome: 'approved', facts: withoutAmount },
      { reference: 'NOT-FACTS', pid: 'p1', amountOre: 1, outcome: 'approved', facts: 'facts' },
      row('UTS-A', 'p2', approvableFacts(), 'approved'),
    ]);
    const result = tally.result();
    expect(result).toMatchObject({ total: 3, evaluated: 1 });
    expect(result.unevaluable.cases).toEqual([
      { reference: 'OLD', problem: expect.stringContaining('amountOre') },
      { reference: 'NOT-FACTS', problem: expect.stringContaining('(facts)') },
    ]);
  });
});
