import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AuditModule } from '../audit';
import { financeConfig, FinanceModule } from '../finance';
import { TenancyModule } from '../tenancy';
import { FinanceAdminController } from './finance-admin.controller';
import { FinanceAdminPage } from './finance-admin.page';
import { FinanceAdminService } from './finance-admin.service';
import { FinanceConnectionTest } from './finance-connection-test';

/** Operators' finance-system settings per municipality, with "test connection". */
@Module({
  imports: [ConfigModule.forFeature(financeConfig), FinanceModule, AuditModule, TenancyModule],
  controllers: [FinanceAdminController],
  providers: [FinanceAdminService, FinanceConnectionTest, FinanceAdminPage],
})
export class FinanceAdminModule {}
