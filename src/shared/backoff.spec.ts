import { retryAt } from './backoff';

describe(retryAt.name, () => {
  const at = (attempt: number, random: number) =>
    retryAt(attempt, { baseMs: 1_000, capMs: 60_000 }, 0, () => random).getTime();

  it('doubles the ceiling with each attempt, up to the cap', () => {
    expect([1, 2, 3, 4, 6, 7, 8, 50].map((attempt) => at(attempt, 0.999_999))).toEqual([
      999, 1_999, 3_999, 7_999, 31_999, 59_999, 59_999, 59_999,
    ]);
  });

  it('chooses at random below the ceiling (full jitter), from now', () => {
    expect(at(3, 0)).toBe(0);
    expect(at(3, 0.5)).toBe(2_000);
    expect(retryAt(1, { baseMs: 1_000, capMs: 60_000 }, 5_000, () => 0.5).getTime()).toBe(5_500);
  });
});
