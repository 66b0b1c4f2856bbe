import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { ActivePolicies } from './versions/active-policies.service';
import { PolicyEngineService } from './policy-engine.service';
import { PolicyVersionsService } from './versions/policy-versions.service';

@Module({
  imports: [AuditModule],
  providers: [PolicyEngineService, PolicyVersionsService, ActivePolicies],
  exports: [PolicyEngineService, PolicyVersionsService, ActivePolicies],
})
export class PolicyModule {}
