import { oreOf } from './xledger-wire';

describe(oreOf, () => {
  it.each([
    ['1234.50', 123_450],
    ['1234.5', 123_450],
    ['1234', 123_400],
    ['-70.00', -7_000],
    ['0.00', 0],
    [1031.3, 103_130],
    [0.1, 10],
  ])('reads %p as %p øre', (value, ore) => {
    expect(oreOf(value)).toBe(ore);
  });

  it.each([['12,50'], ['12.505'], ['1e3'], ['kr 12'], [''], [12.345], [Number.NaN], [1e21]])(
    'refuses %p',
    (value) => {
      expect(oreOf(value)).toBeUndefined();
    },
  );
});
