import { durationIn, hoursSaved, numbersFor } from './overview-format';

describe(durationIn.name, () => {
  it.each([
    [0, 'minutes', 0],
    [29 * 60_000 + 29_000, 'minutes', 29],
    [59 * 60_000, 'minutes', 59],
    [60 * 60_000, 'hours', 1],
    [4 * 3_600_000, 'hours', 4],
    [31_680_000, 'hours', 8.8],
    [47.96 * 3_600_000, 'hours', 48],
    [48 * 3_600_000, 'days', 2],
    [3.25 * 86_400_000, 'days', 3.3],
  ])('says %i ms in %s: %d', (ms, unit, value) => {
    expect(durationIn(ms)).toEqual({ unit, value });
  });
});

describe(hoursSaved.name, () => {
  it('is automatic decisions × minutes per manual case ÷ 60', () => {
    expect(hoursSaved(7, 15)).toBe(1.75);
    expect(hoursSaved(0, 10)).toBe(0);
    expect(hoursSaved(90_000, 10)).toBe(15_000);
  });
});

describe(numbersFor.name, () => {
  it('writes counts, decimals and shares as people read them in each language', () => {
    const nb = numbersFor('nb');
    expect(nb.count(12345)).toBe('12\u00a0345');
    expect(nb.decimal(1.75)).toBe('1,8');
    expect(nb.decimal(15_000)).toBe('15\u00a0000');
    expect(nb.percent(6 / 9)).toBe('67\u00a0%');
    const en = numbersFor('en');
    expect(en.count(12345)).toBe('12,345');
    expect(en.decimal(1.75)).toBe('1.8');
    expect(en.percent(1)).toBe('100%');
  });
});
