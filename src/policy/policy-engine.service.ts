import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DEFAULT_POLICY_FILE } from './policy-paths';
import { PolicyRegistry } from './policy-registry';
import { formatPolicyError, type PolicyLoadResult } from './policy.types';

/**
 * The policy engine as a Nest provider: puts rules/default.policy.json in force at start (refusing
 * to start if it does not validate) and logs every change of policy. Facts in, decision out; it
 * knows nothing of HTTP, sessions or the finance system.
 */
@Injectable()
export class PolicyEngineService extends PolicyRegistry implements OnModuleInit {
  private readonly logger = new Logger(PolicyEngineService.name);

  async onModuleInit(): Promise<void> {
    await this.replaceFromFile(DEFAULT_POLICY_FILE);
  }

  override replace(text: string): PolicyLoadResult {
    const before = this.hasPolicy() ? this.active().policy : undefined;
    const result = super.replace(text);
    if (result.ok) {
      this.logger.log(
        `Policy in force: ${result.policy.id} ${result.policy.version} (${result.hash.slice(0, 12)}), evaluated by ${this.active().evaluator}`,
      );
    } else {
      const kept = before ? `${before.id} ${before.version} stays in force` : 'no policy in force';
      this.logger.warn(
        `Policy refused, ${kept}: ${result.errors.map(formatPolicyError).join('; ')}`,
      );
    }
    return result;
  }
}
