/**
 * JSON with object keys sorted at every level and no whitespace, so two files that differ only in
 * layout or key order serialize alike. Array order is kept: it is meaningful (rules, lists).
 *
 * Built in one string rather than through arrays of parts (filter, map, join), with each key's
 * quoted form kept: every decision hashes its ~5.5 kB trace and its audit payload with this (issue
 * 18; ~4 % of the portal's CPU under the decision load as arrays of parts, ~3 % as one string with
 * every key quoted again). The output is the same text, byte for byte (canonical-json.spec.ts
 * checks it against the first version): stored hashes depend on it.
 */
export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('Not JSON: non-finite number');
      return JSON.stringify(value);
    case 'object':
      if (value === null) return 'null';
      break;
    default:
      // As JSON.stringify: undefined, a function or a symbol has no text.
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
  const keys = Object.keys(record);
  if (keys.length > 1) keys.sort();
  let out = '{';
  for (const key of keys) {
    const item = record[key];
    if (item === undefined) continue;
    if (out.length > 1) out += ',';
    out += `${quoted(key)}:${canonicalJson(item)}`;
  }
  return `${out}}`;
}

/** Keys are few (field and rule names), so each is quoted once; bounded, as a key comes from data. */
const quotedKeys = new Map<string, string>();
const MAX_QUOTED_KEYS = 10_000;

function quoted(key: string): string {
  let text = quotedKeys.get(key);
  if (text === undefined) {
    text = JSON.stringify(key);
    if (quotedKeys.size < MAX_QUOTED_KEYS) quotedKeys.set(key, text);
  }
  return text;
}
