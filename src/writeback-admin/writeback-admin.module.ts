import { Module } from '@nestjs/common';
import { TenancyModule } from '../tenancy';
import { WritebackModule } from '../writeback';
import { WritebackAdminController } from './writeback-admin.controller';
import { WritebackPagePresenter } from './writeback-page.presenter';

/** Finance officers' page for write-backs that failed for good: retry, or resolved by hand. */
@Module({
  imports: [WritebackModule, TenancyModule],
  controllers: [WritebackAdminController],
  providers: [WritebackPagePresenter],
})
export class WritebackAdminModule {}
