import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AuditModule } from '../audit';
import { FinanceModule } from '../finance';
import { writebackConfig } from './writeback.config';
import { WritebackProcessor } from './writeback-processor';
import { WritebackRecorder } from './writeback-recorder';
import { WritebackService } from './writeback.service';
import { WritebackWorker } from './writeback.worker';

/**
 * The outbox of due date changes for the finance system: `WritebackService.enqueue*` in the
 * caller's transaction, and the worker that empties it and audits each final outcome.
 */
@Module({
  imports: [FinanceModule, AuditModule, ConfigModule.forFeature(writebackConfig)],
  providers: [WritebackService, WritebackWorker, WritebackProcessor, WritebackRecorder],
  exports: [WritebackService, WritebackWorker],
})
export class WritebackModule {}
