import { Module } from '@nestjs/common';
import { FinanceModule } from '../finance/finance.module';
import { FinanceErrorFilter } from './finance-error.filter';
import { InvoicesController } from './invoices.controller';
import { InvoicesService } from './invoices.service';

@Module({
  imports: [FinanceModule],
  controllers: [InvoicesController],
  providers: [InvoicesService, FinanceErrorFilter],
  exports: [InvoicesService],
})
export class InvoicesModule {}
