import { Controller, Get, UseFilters } from '@nestjs/common';
import { HealthCheck, HealthCheckService, MikroOrmHealthIndicator } from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import { Public } from '../auth';
import { CommitQueuesHealth } from './commit-queues.health';
import { ReadinessFailureFilter } from './readiness-failure.filter';

@Public()
@SkipThrottle()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: MikroOrmHealthIndicator,
    private readonly commits: CommitQueuesHealth,
  ) {}

  /** The process is up and serving HTTP; restarts are for when this fails. */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * Ready for traffic: the database answers, and the decisions stored by group commit keep up
   * (a locked row stalls them while a ping still answers). A load balancer routes around an
   * instance that is not ready.
   */
  @Get('ready')
  @HealthCheck()
  @UseFilters(ReadinessFailureFilter)
  ready() {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 2000 }),
      () => this.commits.check('commits'),
    ]);
  }
}
