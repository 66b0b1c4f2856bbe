/**
 * JSON with object keys sorted at every level and no whitespace, so two files that differ only in
 * layout or key order serialize alike. Array order is kept: it is meaningful (rules, lists).
 *
 * Built in one string rather than through arrays of parts (filter, map, join): every decision
 * hashes its ~5.5 kB trace and its audit payload with this, and the array-building version was
 * ~4% of the portal's CPU under the decision load (issue 18). The output is the same text, byte for
 * byte (canonical-json.spec.ts checks it against that version): stored hashes depend on it.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value))
      throw new TypeError('Not JSON: non-finite number');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      // As Array.join: an item JSON has no text for (undefined, a function) is left empty.
      const item = canonicalJson(value[i]) as string | undefined;
      if (item !== undefined) out += item;
    }
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const item = record[key];
    if (item === undefined) continue;
    if (!first) out += ',';
    first = false;
    out += `${JSON.stringify(key)}:${canonicalJson(item)}`;
  }
  return `${out}}`;
}
