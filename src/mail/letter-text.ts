/**
 * Text that people typed (an officer's reason or question) and values from other systems, made
 * fit for a letter. Escaping is the templates' business; these only shape the text.
 */

const LINE_BREAK = /\r\n|[\r\n\u0085\u2028\u2029]/;
// Control characters and Unicode line separators: a subject or a table cell is one line.
const BREAKS_AND_CONTROLS = /\s*[\p{Cc}\u2028\u2029]+\s*/gu;
const CONTROLS = /[\p{Cc}]/gu;
// Eleven digits standing alone, also written DDMMYY NNNNN: a fødselsnummer or D-number, or
// something a resident would take for one. Longer digit runs (account numbers in full) are left.
const IDENTITY_NUMBER = /(?<!\d)\d{6}[ \u00a0-]?\d{5}(?!\d)/g;
export const IDENTITY_NUMBER_MASK = '***********';

/** One line: every run of line breaks and control characters becomes one space. */
export function oneLine(value: unknown): string {
  return asText(value).replace(BREAKS_AND_CONTROLS, ' ').trim();
}

/**
 * Typed text as paragraphs of lines, line breaks kept (any of CRLF, CR, LF), blank lines between
 * paragraphs collapsed to one, trailing spaces dropped; identity numbers masked, since e-mail is
 * no place for them and an officer may paste one by mistake. Empty text gives no paragraphs.
 */
export function paragraphs(value: unknown): string[][] {
  const lines = maskIdentityNumbers(asText(value))
    .split(LINE_BREAK)
    .map((line) => line.replace(/\t/g, ' ').replace(CONTROLS, '').trimEnd());
  const out: string[][] = [];
  let current: string[] = [];
  for (const line of lines) {
    if (line.trim() === '') {
      if (current.length > 0) out.push(current);
      current = [];
    } else current.push(line);
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** A stored job's JSON may hold anything: numbers print as such, absent and odd values as nothing. */
function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  return typeof value === 'number' || typeof value === 'bigint' ? String(value) : '';
}

export function maskIdentityNumbers(text: string): string {
  return text.replace(IDENTITY_NUMBER, IDENTITY_NUMBER_MASK);
}
