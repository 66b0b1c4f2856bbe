/**
 * Money is always integer øre in a JS number. Safe integers reach ±90 trillion kroner, far beyond
 * any municipal invoice, and checking `Number.isSafeInteger` at every boundary keeps floats
 * (kroner with decimals, `0.1 + 0.2`) from ever entering a sum.
 */
export type Ore = number;

export function isOre(value: unknown): value is Ore {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

export function assertOre(value: unknown, what: string): Ore {
  if (!isOre(value)) throw new TypeError(`${what} must be a whole number of øre`);
  return value;
}

/** Sums øre amounts, refusing to produce a result that is no longer exact. */
export function sumOre(values: readonly Ore[]): Ore {
  let total = 0;
  for (const value of values) total = assertOre(total + assertOre(value, 'amount'), 'sum');
  return total;
}
