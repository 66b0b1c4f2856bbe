import { saltedSha256, sha256Hex } from '../audit';
import type { ChainEntry, EntryView } from './chain-entries';

/** Whether a text in its row still gives the hash its audit entry holds. */
export type TextCheck = 'matches' | 'differs' | 'removed';

/** The texts of one decision's rows, and the salts their entries hashed them with. */
export interface DecisionTexts {
  /** The request's salt; null once the retention job removed the personal data. */
  salt: string | null;
  /** The resident's message when sending the case to a person. */
  residentMessage: string | null;
  /** The officer's reason. */
  officerReason: string | null;
  /** The case's messages (the officer's questions, the resident's answers) by id. */
  messages: ReadonlyMap<string, string | null>;
  /** The officer's note on a write-back resolved by hand, with the write-back's own salt. */
  note: { text: string; salt: string | null } | null;
  /** Set when the retention job removed the personal data. */
  removed: boolean;
}

/** Where each kind of entry keeps a text's hash, and which row holds the text. */
const HASHED: Record<string, (p: Record<string, unknown>, t: DecisionTexts) => Hashed | null> = {
  'case.sent_to_officer': (p, t) => ({
    hash: p.messageSha256,
    text: t.residentMessage,
    salt: t.salt,
    unsaltedBefore: true,
  }),
  'case.resident_answered': (p, t) => ({
    hash: p.messageSha256,
    text: typeof p.messageId === 'string' ? (t.messages.get(p.messageId) ?? null) : null,
    salt: t.salt,
    unsaltedBefore: true,
  }),
  'case.info_requested': (p, t) => ({
    hash: p.questionSha256,
    text: typeof p.messageId === 'string' ? (t.messages.get(p.messageId) ?? null) : null,
    salt: t.salt,
  }),
  'case.decided': (p, t) => ({ hash: p.reasonSha256, text: t.officerReason, salt: t.salt }),
  'writeback.resolved_by_hand': (p, t) => ({
    hash: p.noteSha256,
    text: t.note?.text ?? null,
    salt: t.note?.salt ?? null,
  }),
};

interface Hashed {
  hash: unknown;
  text: string | null;
  salt: string | null;
  /** Entries written before salted hashes held sha256 of the text alone. */
  unsaltedBefore?: boolean;
}

/** Texts that entries written before salted hashes held in the clear. */
const CLEAR_TEXT_DETAILS: Record<string, readonly string[]> = {
  'case.info_requested': ['question'],
  'case.decided': ['reason'],
  'writeback.resolved_by_hand': ['note'],
};

/**
 * Recomputes the hash of the entry's text from its row and salt. Undefined for an entry that
 * hashes no text (or one written before texts were hashed).
 */
export function textCheckOf(entry: ChainEntry, texts: DecisionTexts): TextCheck | undefined {
  const hashed = HASHED[entry.type]?.(entry.payload, texts);
  if (!hashed || typeof hashed.hash !== 'string') return undefined;
  const { hash, text, salt } = hashed;
  if (text === null) return texts.removed ? 'removed' : 'differs';
  if (salt !== null && saltedSha256(salt, text) === hash) return 'matches';
  return hashed.unsaltedBefore && sha256Hex(text) === hash ? 'matches' : 'differs';
}

/**
 * The entry as the decision page shows it: with whether its text still matches, and without the
 * texts older entries held in the clear once the retention job removed the personal data (the
 * chain itself cannot be changed; the page at least does not show them).
 */
export function withTextCheck(
  view: EntryView,
  entry: ChainEntry,
  texts: DecisionTexts,
): EntryView & { textCheck?: TextCheck } {
  const hidden = texts.removed ? (CLEAR_TEXT_DETAILS[entry.type] ?? []) : [];
  return {
    ...view,
    details: view.details.filter((d) => !hidden.includes(d.key)),
    textCheck: textCheckOf(entry, texts),
  };
}
