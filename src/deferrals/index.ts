/** What the deferrals feature offers the rest of the portal; other features import only this. */
export { DeferralsModule } from './deferrals.module';
export { decisionEntryQuery } from './case-proofs';
export { caseSettingsOf, type CaseSettings, type RejectionText } from './case-work/case-settings';
export {
  CaseWorkService,
  type CaseActionRefusal,
  type CaseActionResult,
  type CaseActor,
  type OfficerCase,
} from './case-work/case-work.service';
export {
  CASE_TEXT_MAX,
  officerDueDateProblem,
  type DueDateProblem,
} from './case-work/officer-due-date';
export { DeferralRequest, policyOutcomeOf, type CaseStatus } from './deferral-request.entity';
export type { CaseMessage } from './case-message.entity';
export {
  PersonalDataRemoval,
  type RemovedPersonalData,
} from './personal-data/personal-data-removal';
export { CaseStatistics } from './statistics/case-statistics';
export {
  AGE_BANDS,
  OUTCOME_KINDS,
  type AgeBand,
  type CaseFigures,
  type CaseStatisticsReport,
  type OutcomeCounts,
  type OutcomeKind,
} from './statistics/case-statistics.types';
