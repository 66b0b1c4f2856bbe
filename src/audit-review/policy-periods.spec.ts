import { type Activation, periodsInForce } from './policy-periods';

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 12, minute));
const activated = (seq: number, versionId: string, minute: number, by = 'staff:a'): Activation => ({
  seq,
  versionId,
  at: at(minute),
  by,
});

describe('periodsInForce', () => {
  it('gives each version the time from its activation to the next, the last one still in force', () => {
    const periods = periodsInForce([
      activated(1, 'v1', 0, 'seed:default.policy.json'),
      activated(5, 'v2', 10),
    ]);
    expect(periods.get('v1')).toEqual([
      { from: at(0), to: at(10), by: 'seed:default.policy.json', draftId: null },
    ]);
    expect(periods.get('v2')).toEqual([{ from: at(10), to: null, by: 'staff:a', draftId: null }]);
  });

  it('gives a version rolled back to a second period, in chain order whatever the input order', () => {
    const periods = periodsInForce([
      activated(9, 'v1', 20, 'staff:b'),
      activated(1, 'v1', 0),
      activated(5, 'v2', 10),
    ]);
    expect(periods.get('v1')).toEqual([
      { from: at(0), to: at(10), by: 'staff:a', draftId: null },
      { from: at(20), to: null, by: 'staff:b', draftId: null },
    ]);
    expect(periods.get('v2')).toEqual([{ from: at(10), to: at(20), by: 'staff:a', draftId: null }]);
  });

  it('keeps one period when the version in force is activated again', () => {
    const periods = periodsInForce([activated(1, 'v1', 0), activated(2, 'v1', 5)]);
    expect(periods.get('v1')).toEqual([{ from: at(0), to: null, by: 'staff:a', draftId: null }]);
  });

  it('names the draft whose approval made the activation: the publication right after it, for the same version', () => {
    const periods = periodsInForce(
      [activated(1, 'v1', 0), activated(5, 'v2', 10), activated(8, 'v1', 20)],
      [
        { seq: 6, versionId: 'v2', draftId: 'd-change' },
        { seq: 9, versionId: 'v1', draftId: 'd-rollback' },
        // Not right after an activation of its version: no period's draft.
        { seq: 3, versionId: 'v1', draftId: 'd-stray' },
      ],
    );
    expect(periods.get('v1')!.map((p) => p.draftId)).toEqual([null, 'd-rollback']);
    expect(periods.get('v2')!.map((p) => p.draftId)).toEqual(['d-change']);
  });

  it('has no periods for a version never in force', () => {
    expect(periodsInForce([activated(1, 'v1', 0)]).get('v2')).toBeUndefined();
  });
});
