/** What the mail feature offers the rest of the portal; other features import only this. */
export type { CaseQuestionLetter, ResidentLetter } from './case-question-letter';
export type { DeferralReceiptLetter, LetterLanguage } from './deferral-receipt-letter';
export type { WritebackHandoverLetter } from './handover-letter';
export { ReceiptMailModule } from './receipt-mail.module';
export { ReceiptOutbox } from './receipt-outbox';
export type { LetterState, QueuedReceipt } from './receipt-outbox';
export { toRecipient } from './recipient-address';
export type { RenderedLetter } from './deferral-receipt-letter';
export { ReceiptLetterRenderer } from './receipt-letter.renderer';
export { MailModule } from './mail.module';
export { errorName } from './error-name';
