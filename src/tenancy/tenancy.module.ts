import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { TenancyMiddleware } from './tenancy.middleware';
import { TenancyService } from './tenancy.service';

@Module({
  providers: [TenancyService],
  exports: [TenancyService],
})
export class TenancyModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(TenancyMiddleware).exclude('health/{*path}').forRoutes('*');
  }
}
