import { Module } from '@nestjs/common';
import { TenancyService } from './tenancy.service';

/** Municipalities and host-name resolution; `tenancyMiddleware` is mounted by the app factory. */
@Module({
  providers: [TenancyService],
  exports: [TenancyService],
})
export class TenancyModule {}
