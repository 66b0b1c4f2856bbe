import { Module } from '@nestjs/common';
import { FinanceModule } from '../finance';
import { FinanceErrorFilter } from './finance-error.filter';
import { InvoicePage } from './invoice-page';
import { InvoicesController } from './invoices.controller';
import { InvoicesService } from './invoices.service';

/** "Mine fakturaer" and the invoice page; other features add sections to the page (`InvoicePage`). */
@Module({
  imports: [FinanceModule],
  controllers: [InvoicesController],
  providers: [InvoicesService, InvoicePage, FinanceErrorFilter],
  exports: [InvoicesService, InvoicePage, FinanceErrorFilter],
})
export class InvoicesModule {}
