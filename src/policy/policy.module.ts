import { Module } from '@nestjs/common';
import { PolicyEngineService } from './policy-engine.service';
import { PolicyVersionStore } from './policy-version.store';

@Module({
  providers: [PolicyEngineService, PolicyVersionStore],
  exports: [PolicyEngineService, PolicyVersionStore],
})
export class PolicyModule {}
