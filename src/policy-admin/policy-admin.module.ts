import { Module } from '@nestjs/common';
import { PolicyModule } from '../policy';
import { TenancyModule } from '../tenancy';
import { PolicyAdminService } from './policy-admin.service';
import { PolicyPagesController } from './policy-pages.controller';
import { PolicyPresenter } from './policy-presenter';
import { PolicyTrialController } from './policy-trial.controller';
import { PolicyTrialService } from './policy-trial.service';

/** Finance officers' and policy approvers' pages for their municipality's deferral policy. */
@Module({
  imports: [PolicyModule, TenancyModule],
  controllers: [PolicyPagesController, PolicyTrialController],
  providers: [PolicyAdminService, PolicyPresenter, PolicyTrialService],
})
export class PolicyAdminModule {}
