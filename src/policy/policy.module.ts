import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { ActivePolicies } from './versions/active-policies.service';
import { PolicyEngineService } from './policy-engine.service';
import { PolicyVersionsService } from './versions/policy-versions.service';
import { SimulationService } from './simulation/simulation.service';
import { PolicyDraftsService } from './drafts/policy-drafts.service';

@Module({
  imports: [AuditModule],
  providers: [
    PolicyEngineService,
    PolicyVersionsService,
    ActivePolicies,
    PolicyDraftsService,
    SimulationService,
  ],
  exports: [
    PolicyEngineService,
    PolicyVersionsService,
    ActivePolicies,
    PolicyDraftsService,
    SimulationService,
  ],
})
export class PolicyModule {}
