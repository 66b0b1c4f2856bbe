import { parseNationalIdentityNumber } from '../src/shared/national-identity-number';
import { seededRandom } from '../src/policy/policy.test-factory';
import { syntheticPids } from './synthetic-pids';

describe('syntheticPids', () => {
  it('gives distinct, valid, synthetic numbers', () => {
    const pids = syntheticPids(2000, seededRandom(1));
    expect(new Set(pids).size).toBe(2000);
    for (const pid of pids)
      expect(parseNationalIdentityNumber(pid)).toMatchObject({ synthetic: true, dNumber: false });
  });

  it('gives the same numbers for the same seed', () => {
    expect(syntheticPids(5, seededRandom(7))).toEqual(syntheticPids(5, seededRandom(7)));
  });
});
