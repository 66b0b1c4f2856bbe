import { percentile } from './percentile';

describe(percentile.name, () => {
  it('interpolates between the closest ranks, as PostgreSQL’s percentile_cont does', () => {
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBeCloseTo(9.1, 10);
    expect(percentile([10, 20, 30], 0.5)).toBe(20);
  });

  it('gives the ends at 0 and 1, and the only value of a list of one', () => {
    expect(percentile([3, 5, 8], 0)).toBe(3);
    expect(percentile([3, 5, 8], 1)).toBe(8);
    expect(percentile([42], 0.9)).toBe(42);
  });

  it('is null for no values', () => {
    expect(percentile([], 0.5)).toBeNull();
  });

  it('refuses a fraction outside 0–1', () => {
    expect(() => percentile([1], 1.5)).toThrow(RangeError);
  });
});
