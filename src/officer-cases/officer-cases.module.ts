import { Module } from '@nestjs/common';
import { DeferralsModule } from '../deferrals';
import { FinanceModule } from '../finance';
import { TenancyModule } from '../tenancy';
import { WritebackModule } from '../writeback';
import { OfficerCasesController } from './officer-cases.controller';
import { OfficerCasesService } from './officer-cases.service';

/** Finance officers' pages for the cases that need a person: the queue and the case. */
@Module({
  imports: [DeferralsModule, FinanceModule, TenancyModule, WritebackModule],
  controllers: [OfficerCasesController],
  providers: [OfficerCasesService],
})
export class OfficerCasesModule {}
