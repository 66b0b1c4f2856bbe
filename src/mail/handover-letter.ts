import { containsIdentityNumber } from '../shared/national-identity-number';
import type { LetterLanguage, RenderedLetter } from './deferral-receipt-letter';
import { oneLine } from './letter-text';
import type { LetterTranslations } from './letter-translations';

/**
 * A new due date the municipality's finance system cannot take from the portal, for its finance
 * team to register by hand. Plain text: it goes to a shared mailbox, and the values are copied
 * into the finance system. The resident appears by the birth-date part of their identity number
 * only (`128385*****`); a letter that would hold the whole number is refused.
 */
export interface WritebackHandoverLetter {
  readonly kind: 'writeback-handover';
  readonly language: LetterLanguage;
  /** The case reference (`UTS-…`); logs and a failure's audit entry name the letter by it. */
  readonly reference: string;
  readonly municipality: string;
  readonly invoiceNumber: string;
  /** Masked: six digits and five asterisks. */
  readonly resident: string;
  /** YYYY-MM-DD: the due date the invoice had when the deferral was decided. */
  readonly previousDueDate: string;
  /** YYYY-MM-DD: the date to register. */
  readonly newDueDate: string;
  /** Absolute http(s) URL of the task on the officers' page. */
  readonly taskUrl: string;
}

const MASKED = /^\d{6}\*{5}$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The letter as plain text: what to register, where the task is, and how it closes. */
export function renderHandoverLetter(
  letter: WritebackHandoverLetter,
  translations: LetterTranslations,
): RenderedLetter {
  const t = (key: string, args: Record<string, unknown> = {}) =>
    translations.t(letter.language, `handover.${key}`, args);
  if (!MASKED.test(letter.resident))
    throw new TypeError('a hand-over letter names the resident by a masked identity number only');
  const municipality = oneLine(letter.municipality);
  const reference = oneLine(letter.reference);
  const invoice = oneLine(letter.invoiceNumber);
  const text = [
    t('intro', { municipality }),
    '',
    `${t('invoice')}: ${invoice}`,
    `${t('resident')}: ${letter.resident}`,
    `${t('previousDueDate')}: ${dateIn(letter.language, letter.previousDueDate)}`,
    `${t('newDueDate')}: ${dateIn(letter.language, letter.newDueDate)}`,
    `${t('reference')}: ${reference}`,
    '',
    t('task'),
    httpUrl(letter.taskUrl),
    '',
    t('closes'),
    '',
    translations.t(letter.language, 'automatic'),
    '',
  ].join('\n');
  const subject = oneLine(t('subject', { invoice, reference }));
  // Nothing above should carry one; a value from a damaged job must not slip one into a mailbox.
  if (containsIdentityNumber(`${subject}\n${text}`))
    throw new TypeError('a hand-over letter must not hold an identity number');
  return { language: letter.language, subject, text, html: '' };
}

/** 15.01.2027 as a finance system takes it (nb, nn); 2027-01-15 in English. */
function dateIn(language: LetterLanguage, date: string): string {
  const match = ISO_DATE.exec(date);
  if (!match) throw new TypeError(`not a calendar date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  return language === 'en' ? date : `${match[3]}.${match[2]}.${match[1]}`;
}

function httpUrl(value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'https:' && url?.protocol !== 'http:')
    throw new TypeError('taskUrl must be an absolute http(s) URL');
  return url.href;
}
