import { Module } from '@nestjs/common';
import { DemoSeed } from './demo-seed';
import { TenancyService } from './tenancy.service';

/**
 * Municipalities and host-name resolution (`tenancyMiddleware` is mounted by the app factory), and
 * the demo's two municipalities in an empty development database.
 */
@Module({
  providers: [TenancyService, DemoSeed],
  exports: [TenancyService],
})
export class TenancyModule {}
