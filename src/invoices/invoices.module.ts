import { Module } from '@nestjs/common';
import { DeferralsModule } from '../deferrals/deferrals.module';
import { FinanceModule } from '../finance/finance.module';
import { FinanceErrorFilter } from './finance-error.filter';
import { InvoicesController } from './invoices.controller';
import { InvoicesService } from './invoices.service';

@Module({
  imports: [FinanceModule, DeferralsModule],
  controllers: [InvoicesController],
  providers: [InvoicesService, FinanceErrorFilter],
  exports: [InvoicesService],
})
export class InvoicesModule {}
