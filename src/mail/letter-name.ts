import type { ResidentLetter } from './case-question-letter';

/**
 * How logs name a letter: what it is and its case reference, never what it says. The reference is
 * kept on one line and short, whatever a stored job holds.
 */
export function describeLetter(letter: ResidentLetter): string {
  const name =
    letter.kind === 'case-question'
      ? 'Case question'
      : letter.kind === 'audit-checkpoint'
        ? 'Audit checkpoint'
        : letter.kind === 'writeback-handover'
          ? 'Hand-over'
          : 'Receipt';
  const reference = String(letter.reference)
    .replace(/[\p{Cc}\u2028\u2029]+/gu, ' ')
    .slice(0, 40);
  return `${name} ${reference}`;
}
