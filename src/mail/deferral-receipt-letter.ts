/** A calendar date as `YYYY-MM-DD` (the same shape the policy and finance folders use). */
export type LetterDate = string;

export const LETTER_LANGUAGES = ['nb', 'nn', 'en'] as const;
export type LetterLanguage = (typeof LETTER_LANGUAGES)[number];

/** Matches the policy's `Outcome`, so a decision's outcome can be passed straight through. */
export type LetterOutcome = 'approved' | 'rejected' | 'manual_review';

/**
 * Everything the deferral receipt says, already resolved by the caller: texts translated, the case
 * URL absolute. It deliberately has no field for the resident's identity number, and the renderer
 * reads only these fields, so nothing else on the object can reach a letter.
 */
export interface DeferralReceiptLetter {
  /** Optional, so jobs queued before there were other letters (no `kind`) still read as receipts. */
  readonly kind?: 'deferral-receipt';
  readonly language: LetterLanguage;
  readonly municipality: {
    readonly name: string;
    readonly contactEmail: string;
    readonly contactPhone: string;
  };
  readonly outcome: LetterOutcome;
  readonly invoice: {
    readonly number: string;
    readonly title: string;
    /** Integer øre. */
    readonly amountOre: number;
  };
  readonly originalDueDate: LetterDate;
  /** Required when approved; not shown for other outcomes. */
  readonly newDueDate: LetterDate | null;
  /** Plain-language reasons in the resident's language (plain text, escaped by the renderer). */
  readonly reasons: readonly string[];
  /** Things to remember, e.g. AvtaleGiro/eFaktura users must change the date in their bank. */
  readonly notices: readonly string[];
  readonly reference: string;
  /** Absolute http(s) URL of the resident's case page. */
  readonly caseUrl: string;
  /** Who decided: absent means 'policy' (jobs queued before officers decided cases have neither). */
  readonly decidedBy?: 'policy' | 'officer';
  /**
   * The officer's reason, plain text in the resident's language (line breaks are kept). When
   * decidedBy is 'officer' it is shown instead of `reasons`: the policy did not decide the case.
   */
  readonly officerReason?: string | null;
  /**
   * The decision's entry in the audit chain (for an officer's decision, that one), so the
   * resident can name it later. Absent in jobs queued before receipts named it.
   */
  readonly audit?: { readonly seq: number; readonly hash: string } | null;
}

export interface RenderedLetter {
  readonly language: LetterLanguage;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}
