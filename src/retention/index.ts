/** What the retention feature offers the rest of the portal; other features import only this. */
export { RetentionModule } from './retention.module';
export { RetentionService, type RetentionRun } from './retention.service';
