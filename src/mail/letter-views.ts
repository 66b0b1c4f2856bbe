import type { CaseQuestionLetter } from './case-question-letter';
import {
  LETTER_LANGUAGES,
  type DeferralReceiptLetter,
  type LetterDate,
  type LetterLanguage,
} from './deferral-receipt-letter';
import { oneLine, paragraphs } from './letter-text';

const OUTCOMES = new Set(['approved', 'rejected', 'manual_review']);
const OFFICER_OUTCOMES = new Set(['approved', 'rejected']);
const DECIDERS = new Set(['policy', 'officer']);

/*
 * What the templates see of a letter. Each view copies only the fields its letter shows, so nothing
 * else the caller's object carries (an identity number, say) can reach a template, and each throws
 * a TypeError for a letter that cannot be told truthfully (a caller's bug, or a damaged job).
 */

export type ReceiptView = ReturnType<typeof receiptView>;
export type QuestionView = ReturnType<typeof questionView>;

export function receiptView(letter: DeferralReceiptLetter, today: LetterDate) {
  if (!OUTCOMES.has(letter.outcome))
    throw new TypeError(`unknown outcome ${JSON.stringify(letter.outcome)}`);
  const decidedBy = letter.decidedBy ?? 'policy';
  if (!DECIDERS.has(decidedBy))
    throw new TypeError(`unknown decidedBy ${JSON.stringify(letter.decidedBy)}`);
  const byOfficer = decidedBy === 'officer';
  if (byOfficer && !OFFICER_OUTCOMES.has(letter.outcome))
    throw new TypeError('an officer decides by approving or rejecting');
  if (letter.outcome === 'approved' && !letter.newDueDate)
    throw new TypeError('an approval needs newDueDate');
  return {
    ...common(letter),
    outcome: letter.outcome,
    lead: leadOf(letter, today),
    byOfficer,
    introKey: byOfficer ? 'letters.officer.intro' : 'letters.intro',
    originalDueDate: letter.originalDueDate,
    newDueDate: letter.outcome === 'approved' ? letter.newDueDate : null,
    // The policy's reasons did not decide an officer's case: only the officer's reason is given.
    reasons: byOfficer ? [] : [...letter.reasons].map(String),
    officerReason: byOfficer ? paragraphs(letter.officerReason) : [],
    notices: [...letter.notices].map(String),
    audit: auditEntryOf(letter.audit),
  };
}

/**
 * The lead's text. "Until a caseworker has decided, the original due date applies" only while
 * that date is today or later (as on the case page): a request made after the due date gets a
 * lead that promises no date already gone.
 */
function leadOf(letter: DeferralReceiptLetter, today: LetterDate): string {
  if (letter.outcome === 'manual_review' && letter.originalDueDate < today)
    return 'manual_review_overdue';
  return letter.outcome;
}

/** The audit entry as the letter names it: a seq and a 64-hex hash, or nothing. */
function auditEntryOf(audit: DeferralReceiptLetter['audit']) {
  if (audit === undefined || audit === null) return null;
  if (!Number.isSafeInteger(audit.seq) || audit.seq < 1 || !/^[0-9a-f]{64}$/.test(audit.hash))
    throw new TypeError('audit must name a seq and a sha256 hash');
  return { seq: audit.seq, hash: audit.hash };
}

export function questionView(letter: CaseQuestionLetter) {
  const question = paragraphs(letter.question);
  if (question.length === 0) throw new TypeError('a question letter needs the question');
  return { ...common(letter), question };
}

function common(letter: DeferralReceiptLetter | CaseQuestionLetter) {
  const lang: LetterLanguage = LETTER_LANGUAGES.includes(letter.language) ? letter.language : 'nb';
  return {
    lang,
    municipality: {
      name: oneLine(letter.municipality.name),
      contactEmail: oneLine(letter.municipality.contactEmail),
      contactPhone: oneLine(letter.municipality.contactPhone),
    },
    invoice: {
      number: oneLine(letter.invoice.number),
      title: oneLine(letter.invoice.title),
      amountOre: letter.invoice.amountOre,
    },
    reference: oneLine(letter.reference),
    caseUrl: httpUrl(letter.caseUrl),
  };
}

/** The URL as the WHATWG parser writes it (which drops tabs and line breaks), if it is http(s). */
function httpUrl(value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'https:' && url?.protocol !== 'http:')
    throw new TypeError('caseUrl must be an absolute http(s) URL');
  return url.href;
}
