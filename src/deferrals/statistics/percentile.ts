/**
 * The `fraction` percentile (0–1) of values sorted ascending, interpolating linearly between the
 * closest ranks (PostgreSQL's `percentile_cont`); null for none. The caller sorts: the values come
 * from the database in order.
 */
export function percentile(sorted: readonly number[], fraction: number): number | null {
  if (!(fraction >= 0 && fraction <= 1)) throw new RangeError('a percentile is a fraction 0–1');
  if (sorted.length === 0) return null;
  const position = fraction * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.ceil(position);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}
