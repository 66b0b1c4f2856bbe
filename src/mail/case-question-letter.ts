import type { AuditCheckpointLetter } from './audit-checkpoint-letter';
import type { DeferralReceiptLetter, LetterLanguage } from './deferral-receipt-letter';
import type { WritebackHandoverLetter } from './handover-letter';

/**
 * An officer's question to the resident about their case, answered on the case page. Like the
 * receipt it is resolved by the caller (texts in the resident's language, the URL absolute) and
 * has no field for an identity number.
 */
export interface CaseQuestionLetter {
  readonly kind: 'case-question';
  readonly language: LetterLanguage;
  readonly municipality: {
    readonly name: string;
    readonly contactEmail: string;
    readonly contactPhone: string;
  };
  readonly reference: string;
  readonly invoice: {
    readonly number: string;
    readonly title: string;
    /** Integer øre. */
    readonly amountOre: number;
  };
  /** The officer's question, plain text (line breaks are kept, the renderer escapes it). */
  readonly question: string;
  /** Absolute http(s) URL of the resident's case page, where they answer. */
  readonly caseUrl: string;
}

/**
 * Every letter the outbox sends; a stored job without `kind` is a receipt. All go to residents
 * but the audit checkpoint, which goes to the municipality's auditor, and the write-back hand-over,
 * which goes to its finance team.
 */
export type ResidentLetter =
  DeferralReceiptLetter | CaseQuestionLetter | AuditCheckpointLetter | WritebackHandoverLetter;
