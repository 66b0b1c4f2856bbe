/** What the policy feature offers the rest of the portal; other features import only this. */
export { ActivePolicies } from './active-policies.service';
export { buildFacts } from './build-facts';
export type { FactInput } from './build-facts';
export { CompiledPolicy } from './compiled-policy';
export type { DecisionReason, RuleTrace } from './decision';
export type { DeferralWindow } from './deferral-window';
export type { DeferralFacts, InvoiceStatus, InvoiceType } from './facts';
export { PolicyEngineService } from './policy-engine.service';
export { PolicyModule } from './policy.module';
export type { Outcome } from './policy.types';
