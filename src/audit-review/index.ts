/**
 * What the audit-review feature offers the rest of the portal: its module, for the app module, and
 * the verification page's period → seq-range mapping, for `npm run audit:verify -- --from/--to`.
 */
export { AuditReviewModule } from './audit-review.module';
export { scopeFor, type VerificationPeriod } from './verification/verification-scope';
export type { VerificationScope } from './verification/verification-outcome';
