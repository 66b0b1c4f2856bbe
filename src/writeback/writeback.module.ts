import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AuditModule } from '../audit';
import { FinanceModule } from '../finance';
import { writebackConfig } from './writeback.config';
import { HandoverCheck } from './writeback-handover-check';
import { HandoverCheckScheduler } from './writeback-handover.scheduler';
import { WritebackProcessor } from './writeback-processor';
import { WritebackRecorder } from './writeback-recorder';
import { WritebackService } from './writeback.service';
import { WritebackWorker } from './writeback.worker';

/**
 * The outbox of due date changes for the finance system: `WritebackService.enqueue*` in the
 * caller's transaction, and the worker that empties it and audits each final outcome; for a
 * finance system without a write path, the hand-over to the finance team and the periodic read
 * that closes it.
 */
@Module({
  imports: [FinanceModule, AuditModule, ConfigModule.forFeature(writebackConfig)],
  providers: [
    WritebackService,
    WritebackWorker,
    WritebackProcessor,
    WritebackRecorder,
    HandoverCheck,
    HandoverCheckScheduler,
  ],
  exports: [WritebackService, WritebackWorker, HandoverCheckScheduler],
})
export class WritebackModule {}
