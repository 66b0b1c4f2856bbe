import { niceScale } from './chart-scale';

describe(niceScale.name, () => {
  it.each([
    [7, 8, [0, 2, 4, 6, 8]],
    [8, 8, [0, 2, 4, 6, 8]],
    [103, 150, [0, 50, 100, 150]],
    [1, 1, [0, 1]],
    [3, 3, [0, 1, 2, 3]],
    [4_900, 5_000, [0, 1_000, 2_000, 3_000, 4_000, 5_000]],
    [12_001, 15_000, [0, 5_000, 10_000, 15_000]],
  ])('puts %i under a top of %i with whole, round steps', (max, top, ticks) => {
    expect(niceScale(max)).toEqual({ top, ticks });
  });

  it('has a top of 1 for no data, so an empty chart still has an axis', () => {
    expect(niceScale(0)).toEqual({ top: 1, ticks: [0, 1] });
  });

  it('never has more than six ticks', () => {
    for (let max = 1; max < 100_000; max = Math.ceil(max * 1.37))
      expect(niceScale(max).ticks.length).toBeLessThanOrEqual(6);
  });

  it('refuses a negative or fractional maximum: it counts things', () => {
    expect(() => niceScale(-1)).toThrow(RangeError);
    expect(() => niceScale(2.5)).toThrow(RangeError);
  });
});
