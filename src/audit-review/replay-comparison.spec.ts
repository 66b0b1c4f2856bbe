import { compareVerdicts, type PolicyVerdict } from './replay-comparison';

const approved: PolicyVerdict = {
  outcome: 'approved',
  newDueDate: '2026-03-01',
  reasonCodes: ['within-limits'],
  firedRules: ['approve-small'],
};

describe('compareVerdicts', () => {
  it('finds nothing when the replay gives the recorded decision', () => {
    expect(compareVerdicts(approved, { ...approved, reasonCodes: ['within-limits'] })).toEqual([]);
  });

  it('names the outcome, the due date, each reason and each rule that differ', () => {
    const now: PolicyVerdict = {
      outcome: 'manual_review',
      newDueDate: null,
      reasonCodes: ['amount-over-limit'],
      firedRules: ['review-large', 'approve-small'],
    };
    expect(compareVerdicts(approved, now)).toEqual([
      { what: 'outcome', recorded: 'approved', now: 'manual_review' },
      { what: 'newDueDate', recorded: '2026-03-01', now: null },
      { what: 'reason', recorded: 'within-limits', now: null },
      { what: 'reason', recorded: null, now: 'amount-over-limit' },
      { what: 'rule', recorded: null, now: 'review-large' },
    ]);
  });

  it('says when the same reasons come in another order', () => {
    const recorded = { ...approved, reasonCodes: ['a', 'b'] };
    expect(compareVerdicts(recorded, { ...recorded, reasonCodes: ['b', 'a'] })).toEqual([
      { what: 'reasonOrder', recorded: 'a, b', now: 'b, a' },
    ]);
  });

  it('compares the due date even when the outcome agrees', () => {
    expect(compareVerdicts(approved, { ...approved, newDueDate: '2026-03-02' })).toEqual([
      { what: 'newDueDate', recorded: '2026-03-01', now: '2026-03-02' },
    ]);
  });
});
