/** What the policy feature offers the rest of the portal; other features import only this. */
export { ActivePolicies } from './versions/active-policies.service';
export { buildFacts } from './engine/build-facts';
export type { FactInput } from './engine/build-facts';
export { CompiledPolicy } from './engine/compiled-policy';
export type { Decision, DecisionReason, RuleTrace } from './engine/decision';
export type { DeferralWindow } from './engine/deferral-window';
export type { DeferralFacts, InvoiceStatus, InvoiceType } from './engine/facts';
export { PolicyEngineService } from './policy-engine.service';
export { PolicyModule } from './policy.module';
export type { Outcome } from './policy.types';
export { PolicyDraftsService } from './drafts/policy-drafts.service';
export type { DraftActor, PublishCheck, SubmitResult } from './drafts/policy-drafts.service';
export { PolicyDraft } from './drafts/policy-draft.entity';
export type { DraftKind, DraftStatus } from './drafts/policy-draft.entity';
export {
  DraftNotFoundError,
  DraftStateError,
  OwnDraftApprovalError,
} from './drafts/policy-drafts.errors';
export { PolicyVersion } from './versions/policy-version.entity';
export { PolicyVersionsService } from './versions/policy-versions.service';
export { loadPolicy } from './loading/policy-loader';
export type { Policy, PolicyError } from './policy.types';
export { checkFacts } from './engine/check-facts';
export { InvalidFactsError } from './policy.errors';
export { SimulationService } from './simulation/simulation.service';
export { CHANGED_KEPT } from './simulation/simulation-tally';
export { tryPolicy } from './simulation/try-policy';
export type {
  ChangedCase,
  OutcomeTransition,
  SimulationJobInfo,
  SimulationPeriod,
  SimulationResult,
  SimulationStatus,
  SimulationVersions,
  StartSimulationResult,
  TryPolicyResult,
  VersionSummary,
} from './simulation/simulation.types';
export { describeParameters, describePolicy } from './presentation/describe-policy';
export type {
  ConditionItem,
  DescribedParameter,
  PolicyDescription,
  RuleDescription,
  RuleTableRow,
} from './presentation/describe-policy';
export { applyParameterForm, parameterForm } from './presentation/parameter-form';
export type {
  ApplyParameterFormResult,
  ParameterField,
  ParameterFormInput,
  ParameterInputKind,
  ParameterOption,
} from './presentation/parameter-form';
export { errorsByField, JSON_FIELD } from './presentation/form-errors';
export type { PolicyFormError } from './presentation/form-errors';
export {
  policyDecidesErrors,
  verifyCompiledPolicy,
  verifyPolicyDecides,
} from './verification/verify-policy-decides';
export type {
  VerificationFailure,
  VerificationResult,
  VerifyOptions,
} from './verification/verify-policy-decides';
export { parseCount, parseKroner } from './presentation/parameter-input';
export type { LocalizedText } from './policy.types';
export { traceRules } from './presentation/trace-lines';
export type { TraceLine, TracedRule } from './presentation/trace-lines';
export { diffPolicies } from './presentation/policy-diff';
export type {
  OtherDifference,
  ParameterDifference,
  PolicyDiff,
  RuleDifference,
  RulePartDifference,
} from './presentation/policy-diff';
