import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { DigitalPostModule } from '../digital-post';
import { TenancyModule } from '../tenancy';
import { LettersAdminController } from './letters-admin.controller';
import { LettersAdminPage } from './letters-admin.page';
import { LettersAdminService } from './letters-admin.service';

/** Operators' letter channel per municipality (e-mail or digital post through SvarUt). */
@Module({
  imports: [DigitalPostModule, AuditModule, TenancyModule],
  controllers: [LettersAdminController],
  providers: [LettersAdminService, LettersAdminPage],
})
export class LettersAdminModule {}
