/** What the mail feature offers the rest of the portal; other features import only this. */
export type { DeferralReceiptLetter, LetterLanguage } from './deferral-receipt-letter';
export { ReceiptMailModule } from './receipt-mail.module';
export { ReceiptOutbox } from './receipt-outbox';
