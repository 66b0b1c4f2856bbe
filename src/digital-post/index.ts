/** What the digital post feature offers the rest of the portal; other features import only this. */
export { DigitalPostModule } from './digital-post.module';
export { DigitalPostOutbox } from './digital-post.outbox';
export type { QueuedDigitalLetter } from './digital-post.outbox';
export { DigitalPostWorker } from './digital-post.worker';
export { LetterChannelTest } from './letter-channel-test';
export type { TokenTestResult } from './letter-channel-test';
export { LETTER_SECRETS, letterSettingsProblem, letterSettingsSchema } from './letter-settings';
export type { LetterChannel, LetterSettingsInput, SecretLookup } from './letter-settings';
