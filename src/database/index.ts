/** What the database feature offers the rest of the portal; other features import only this. */
export { afterCommit } from './after-commit';
export { commitTogether } from './commit-lane';
export { CommitQueues } from './commit-queues';
export {
  DatabaseUnavailableError,
  RETRY_AFTER_SECONDS,
  describeDatabaseError,
  unavailableKind,
} from './database-unavailable';
export { GroupCommit } from './group-commit';
export type { ItemResult } from './group-commit';
export { jsonFieldSql } from './json-field';
export { claimLeasedJobs, type LeasedJob } from './leased-jobs';
export { JsonTextType } from './json-text.type';
export { NotificationListener } from './notification-listener';
export { buildOrmConfig } from './orm.config';
export { gatherWrites, insertRows, runPlain, writePlain } from './plain-statements';
export { dateParam, fromJsonColumn, queryRows, rowDate, sqlEm } from './query-rows';
