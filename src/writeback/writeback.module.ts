import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { financeConfig } from '../finance/finance.config';
import { FinanceModule } from '../finance/finance.module';
import { writebackConfig } from './writeback.config';
import { WritebackService } from './writeback.service';
import { WritebackWorker } from './writeback.worker';

/** The outbox of due date changes for the finance system, and the worker that empties it. */
@Module({
  imports: [
    FinanceModule,
    ConfigModule.forFeature(writebackConfig),
    // Read to check that a lease outlasts a finance write.
    ConfigModule.forFeature(financeConfig),
  ],
  providers: [WritebackService, WritebackWorker],
  exports: [WritebackService, WritebackWorker],
})
export class WritebackModule {}
