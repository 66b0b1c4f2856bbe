const STEPS = [1, 2, 5];

/**
 * A y-axis for counts: a top at or above `max` and ticks from 0 in steps of 1, 2 or 5 × 10ⁿ, at
 * most five steps, so the gridlines fall on numbers people read at a glance.
 */
export function niceScale(max: number): { top: number; ticks: number[] } {
  if (!Number.isInteger(max) || max < 0) throw new RangeError('a count is a whole number ≥ 0');
  if (max === 0) return { top: 1, ticks: [0, 1] };
  let step = 1;
  for (let magnitude = 1; ; magnitude *= 10) {
    const found = STEPS.map((s) => s * magnitude).find((s) => Math.ceil(max / s) <= 5);
    if (found) {
      step = found;
      break;
    }
  }
  const top = Math.ceil(max / step) * step;
  return { top, ticks: Array.from({ length: top / step + 1 }, (_, i) => i * step) };
}
