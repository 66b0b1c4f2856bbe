import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { CommitQueuesHealth } from './commit-queues.health';
import { HealthController } from './health.controller';

@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [CommitQueuesHealth],
})
export class HealthModule {}
