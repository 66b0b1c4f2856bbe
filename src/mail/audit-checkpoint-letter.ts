import type { LetterLanguage, RenderedLetter } from './deferral-receipt-letter';
import { oneLine } from './letter-text';
import type { LetterTranslations } from './letter-translations';

/**
 * A signed checkpoint of a municipality's audit chain, e-mailed to its auditor so that a copy
 * leaves the system. Plain text only: the statement and signature must arrive byte for byte, and
 * an auditor copies them into a verifier.
 */
export interface AuditCheckpointLetter {
  readonly kind: 'audit-checkpoint';
  readonly language: LetterLanguage;
  /** How logs and a failure's audit entry name the letter: the municipality and seq. */
  readonly reference: string;
  /** The municipality's slug (or its id, for a chain without its row). */
  readonly municipality: string;
  readonly seq: number;
  readonly hash: string;
  /** ISO 8601, from the signed statement. */
  readonly time: string;
  readonly keyId: string;
  /** `sha256:…` of the public key, so the auditor can tell it is the key they hold. */
  readonly fingerprint: string;
  /** The signed statement's canonical JSON text, one line. */
  readonly statement: string;
  readonly signature: string;
}

/** The letter as plain text: the fields, then the statement and signature each on a line of its own. */
export function renderCheckpointLetter(
  letter: AuditCheckpointLetter,
  translations: LetterTranslations,
): RenderedLetter {
  const t = (key: string, args: Record<string, unknown> = {}) =>
    translations.t(letter.language, `checkpoint.${key}`, args);
  const municipality = oneLine(letter.municipality);
  // The statement is canonical JSON and the signature base64url: neither holds a line break, and
  // anything that would add one is refused rather than mended, since a mended text would not verify.
  if (/[\r\n]/.test(letter.statement) || !/^[A-Za-z0-9_-]+$/.test(letter.signature))
    throw new TypeError(
      'a checkpoint letter needs its statement on one line and a base64url signature',
    );
  const text = [
    t('intro', { municipality }),
    '',
    `${t('municipality')}: ${municipality}`,
    `${t('seq')}: ${letter.seq}`,
    `${t('hash')}: ${oneLine(letter.hash)}`,
    `${t('time')}: ${oneLine(letter.time)}`,
    `${t('key')}: ${oneLine(letter.keyId)}`,
    `${t('fingerprint')}: ${oneLine(letter.fingerprint)}`,
    '',
    t('statement'),
    letter.statement,
    '',
    t('signature'),
    letter.signature,
    '',
    t('howto'),
    '',
    translations.t(letter.language, 'automatic'),
    '',
  ].join('\n');
  return {
    language: letter.language,
    subject: oneLine(t('subject', { municipality, seq: letter.seq })),
    text,
    html: '',
  };
}
