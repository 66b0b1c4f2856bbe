/** What the audit-review feature offers the rest of the portal: only its module, for the app module. */
export { AuditReviewModule } from './audit-review.module';
