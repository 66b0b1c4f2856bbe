import fc from 'fast-check';
import type { Answer } from './host-agent';

/** C0 controls and DEL that are never text (tab, line feed and carriage return are, in a message). */
export const CONTROL_IN_TEXT = [
  ...Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)).filter(
    (c) => !'\t\n\r'.includes(c),
  ),
  // DEL and the C1 controls (U+0080–U+009F), which no text of ours holds either.
  ...Array.from({ length: 0x21 }, (_, i) => String.fromCharCode(0x7f + i)),
];
/** In a path or a query every C0 and C1 control and DEL is hostile. */
export const CONTROL_IN_URL = [...CONTROL_IN_TEXT, '\t', '\n', '\r'];

/** Strings people who attack forms like to send. */
const NASTY = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "' OR '1'='1' --",
  "'; DROP TABLE deferral_requests; --",
  '{{constructor.constructor("return process")()}}',
  '${process.exit(1)}',
  '../../../../etc/passwd',
  '..%2F..%2Fetc%2Fpasswd',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'null',
  'undefined',
  'NaN',
  '-1',
  '1e309',
  '0x7fffffff',
  '[object Object]',
  '\u202egnp.exe',
  '\ufeff',
  '\ud83d\udca9\u200d\u2640\ufe0f',
  'Z\u0351\u0352\u0353a\u0354\u0355lgo',
  '\u2028\u2029',
  '\u0085\u009b',
  '9999-99-99',
  '2026-02-30',
  '0000-00-00',
  '31.02.2026',
  '1.1.99999',
  '+2026-01-01',
  '2026-01-01T00:00:00Z',
  '%00',
  '%',
  ' ',
];

/** Random, unicode, nasty and long strings, none holding a control character. */
export const hostileText: fc.Arbitrary<string> = fc
  .oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.constantFrom(...NASTY),
    fc.string({ unit: 'grapheme-ascii', minLength: 300, maxLength: 3000 }),
  )
  .map((s) => [...s].filter((c) => !CONTROL_IN_URL.includes(c)).join(''));

function withOneOf(controls: readonly string[]): fc.Arbitrary<string> {
  return fc
    .tuple(fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom(...controls), fc.nat())
    .map(([s, c, at]) => {
      const i = s.length === 0 ? 0 : at % (s.length + 1);
      return s.slice(0, i) + c + s.slice(i);
    });
}

/** A string holding at least one control character that is never text (NUL among them). */
export const withControlInText = withOneOf(CONTROL_IN_TEXT);
export const withControlInUrl = withOneOf(CONTROL_IN_URL);

/** JSON values of the wrong type for a text field: numbers, booleans, null, arrays, objects. */
export const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 10 }), { minLength: 1, maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), {
    minKeys: 1,
    maxKeys: 3,
  }),
);

/** JSON text nested `depth` levels deep, around `inner`, as arrays or objects. */
export function nestedJson(depth: number, inner: string, asObject: boolean): string {
  return asObject
    ? '{"a":'.repeat(depth) + inner + '}'.repeat(depth)
    : '['.repeat(depth) + inner + ']'.repeat(depth);
}
export const deepNesting = fc.record({
  depth: fc.integer({ min: 64, max: 20_000 }),
  asObject: fc.boolean(),
});

/** Every byte of the UTF-8 form outside the unreserved set as %XX, as a browser would send it. */
export function encodePathSegment(value: string): string {
  return [...Buffer.from(value, 'utf8')]
    .map((byte) =>
      /[A-Za-z0-9\-._~]/.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
}

/** Percent escapes that decode to nothing (malformed) or to malformed UTF-8. */
export const brokenEscape = fc.constantFrom(
  '%',
  '%Z1',
  'a%2',
  '%%',
  '%FF',
  '%C0%AF',
  '%ED%A0%80',
  '%E0%80%80',
  '%F4%90%80%80',
);

const STACK = /\n\s*at .+:\d+:\d+|node_modules|[\w-]+\.(ts|js):\d+/;

/**
 * A refusal a person or a client can read: one of the expected 4xx statuses, a page with a heading
 * or RFC 9457 problem details, and no stack trace or source path.
 */
export function expectRefusal(answer: Answer, expected: number | readonly number[]): void {
  const statuses: readonly number[] = typeof expected === 'number' ? [expected] : expected;
  const gist = `${answer.status} ${answer.contentType}: ${answer.body.slice(0, 300)}`;
  if (!statuses.includes(answer.status))
    throw new Error(`expected ${statuses.join(' or ')}, got ${gist}`);
  if (STACK.test(answer.body))
    throw new Error(`a stack trace or source path in the answer: ${gist}`);
  if (answer.contentType.startsWith('text/html')) {
    if (!/<h1[^>]*>\s*[^<\s][^<]*</.test(answer.body))
      throw new Error(`a page without a heading: ${gist}`);
    return;
  }
  if (answer.contentType.startsWith('application/problem+json')) {
    const problem = JSON.parse(answer.body) as { title?: unknown; status?: unknown };
    if (
      typeof problem.title !== 'string' ||
      problem.title === '' ||
      problem.status !== answer.status
    ) {
      throw new Error(`problem details without a title or with another status: ${gist}`);
    }
    return;
  }
  throw new Error(`neither a page nor problem details: ${gist}`);
}
