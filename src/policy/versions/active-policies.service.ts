import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { type DatabaseConfig, databaseConfig } from '../../config/app.config';
import { NotificationListener } from '../../database';
import type { ActivePolicy } from './active-policy';
import { ActivePolicyCache } from './active-policy-cache';
import { PolicyEngineService } from '../policy-engine.service';
import { POLICY_CHANNEL, PolicyVersionsService } from './policy-versions.service';

/**
 * The version in force for each municipality, as decisions and invoice pages use it: from memory,
 * so a decision costs no extra round trip. An activation in this process refreshes it at once; on
 * PostgreSQL every instance hears every activation through LISTEN/NOTIFY, and while it cannot
 * (the listener reconnecting) it reads the version in force for every request instead. A
 * municipality that has none yet (created after start) is seeded on first use.
 */
@Injectable()
export class ActivePolicies implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Policy');
  private readonly cache = new ActivePolicyCache((municipalityId) => this.load(municipalityId));
  private listener?: NotificationListener;

  constructor(
    private readonly versions: PolicyVersionsService,
    private readonly engine: PolicyEngineService,
    @Inject(databaseConfig.KEY) private readonly db: Pick<DatabaseConfig, 'kind' | 'url'>,
  ) {
    versions.onActivated((municipalityId) => this.cache.invalidate(municipalityId));
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.db.kind !== 'postgresql' || !this.db.url) return;
    this.cache.setTrusted(false);
    this.listener = new NotificationListener(
      {
        url: this.db.url,
        channel: POLICY_CHANNEL,
        subject: 'policy changes',
        meanwhile: 'the version in force is read for every decision until listening again',
      },
      {
        changed: (municipalityId) => this.cache.invalidate(municipalityId),
        listening: () => this.cache.setTrusted(true),
        lost: () => this.cache.setTrusted(false),
      },
      this.logger,
    );
    await this.listener.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.listener?.stop();
  }

  /** The municipality's version in force. */
  activeFor(municipalityId: string): Promise<ActivePolicy> {
    return this.cache.get(municipalityId);
  }

  /** Whether changes made by other instances are heard (always, on SQLite's single process). */
  isListening(): boolean {
    return this.db.kind !== 'postgresql' || (this.listener?.isListening() ?? false);
  }

  private async load(municipalityId: string): Promise<ActivePolicy> {
    let stored = await this.versions.readActive(municipalityId);
    if (!stored) {
      await this.versions.seedById(municipalityId);
      stored = await this.versions.readActive(municipalityId);
    }
    if (!stored) throw new Error(`municipality ${municipalityId} has no policy version in force`);
    return {
      versionId: stored.versionId,
      compiled: this.engine.compileStored(stored.hash, stored.text),
    };
  }
}
