/** What the writeback feature offers the rest of the portal; other features import only this. */
export { WritebackModule } from './writeback.module';
export { WritebackService } from './writeback.service';
export type { WritebackJobView } from './writeback.service';
export {
  RESOLUTION_NOTE_MAX,
  resolutionNoteProblem,
  type FailedWriteback,
  type ResolvedWriteback,
  type WritebackActor,
} from './writeback-follow-up';
export type { WritebackStatus } from './writeback-job.entity';
export type {
  ClosedHandover,
  HandedOverWriteback,
  HandoverClosure,
  HandoverNotice,
} from './writeback-handover';
export type { HandoverCheckResult } from './writeback-handover-check';
