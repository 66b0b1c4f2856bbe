/** What the deferrals feature offers the rest of the portal; other features import only this. */
export { DeferralsModule } from './deferrals.module';
export { caseSettingsOf, type CaseSettings, type RejectionText } from './case-settings';
