import { randomUUID } from 'node:crypto';
import { type EntityManager, LockMode, MikroORM } from '@mikro-orm/core';
import { SqlEntityManager } from '@mikro-orm/sql';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AuditService } from '../../audit';
import { type DatabaseConfig, databaseConfig } from '../../config/app.config';
import { queryRows } from '../../database';
import { Municipality } from '../../tenancy';
import type { PolicyTenant } from './active-policy';
import { PolicyActivation } from './policy-activation.entity';
import { canonicalJson } from '../../shared/canonical-json';
import { loadPolicy } from '../loading/policy-loader';
import {
  DEFAULT_SEED_FILE,
  readSeedFile,
  type SeedFile,
  seedFileOf,
} from '../loading/policy-seed-files';
import { PolicyVersion } from './policy-version.entity';
import { UnknownPolicyVersionError } from '../policy.errors';
import type { Policy, PolicyError } from '../policy.types';

/** The PostgreSQL channel an activation notifies, with the municipality's id as payload. */
export const POLICY_CHANNEL = 'policy_activated';

export type AddVersionResult =
  | { readonly ok: true; readonly version: PolicyVersion }
  | { readonly ok: false; readonly errors: readonly PolicyError[] };

/** The active version as stored: what a process needs to put it in force. */
export interface StoredActiveVersion {
  readonly versionId: string;
  readonly policyId: string;
  readonly version: string;
  readonly hash: string;
  readonly text: string;
  readonly source: string;
}

/**
 * The policy versions of each municipality and which one is in force. `activate` is the only way
 * the version in force changes: it writes the activation and its audit entry in one transaction
 * and, on PostgreSQL, notifies every instance (NOTIFY is delivered at commit, so never for a
 * change that rolled back). Seeding is an activation that happens only where there is none.
 */
@Injectable()
export class PolicyVersionsService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Policy');
  private readonly listeners: ((municipalityId: string) => void)[] = [];

  constructor(
    private readonly orm: MikroORM,
    private readonly audit: AuditService,
    @Inject(databaseConfig.KEY) private readonly db: Pick<DatabaseConfig, 'kind'>,
  ) {}

  /**
   * At start: every municipality's seed file must exist and validate (else the portal refuses to
   * start, naming it), and each municipality without a version in force gets its seed. Several
   * instances may do this at once; each municipality is seeded (and audited) once.
   */
  async onApplicationBootstrap(): Promise<void> {
    await readSeedFile('(default)', DEFAULT_SEED_FILE);
    const municipalities = await this.orm.em
      .fork()
      .find(Municipality, {}, { orderBy: { slug: 'asc' } });
    const seeds = await Promise.all(municipalities.map((m) => readSeedFile(m.slug, seedFileOf(m))));
    for (const [i, municipality] of municipalities.entries())
      await this.seedFrom(municipality, seeds[i]);
  }

  /** Called after each activation in this process has committed, with the municipality's id. */
  onActivated(listener: (municipalityId: string) => void): void {
    this.listeners.push(listener);
  }

  /** Stores valid policy text as a version of the municipality (once per content hash); not in force yet. */
  async addVersion(
    municipalityId: string,
    text: string,
    source: string,
  ): Promise<AddVersionResult> {
    const loaded = loadPolicy(text);
    if (!loaded.ok) return loaded;
    const version = await this.storeVersion(this.sqlEm(), municipalityId, loaded, source);
    return { ok: true, version };
  }

  /** Puts one of the municipality's versions in force, audited in its chain with who did it. */
  async activate(municipalityId: string, versionId: string, actor: string): Promise<void> {
    await this.sqlEm().transactional(async (em) => {
      const version = await em.findOne(PolicyVersion, { id: versionId, municipalityId });
      if (!version) throw new UnknownPolicyVersionError(municipalityId, versionId);
      await this.activateIn(em, version, actor, { onlyIfNone: false });
    });
    this.announce(municipalityId);
  }

  /**
   * Inside the caller's transaction (an approval records its draft in the same commit): stores
   * valid text as a version (once per hash) and puts it in force, audited with who approved it.
   * The caller calls `announce` once the transaction has committed.
   */
  async publishIn(
    em: SqlEntityManager,
    municipalityId: string,
    text: string,
    source: string,
    actor: string,
  ): Promise<AddVersionResult> {
    const loaded = loadPolicy(text);
    if (!loaded.ok) return loaded;
    const version = await this.storeVersion(em, municipalityId, loaded, source);
    await this.activateIn(em, version, actor, { onlyIfNone: false });
    return { ok: true, version };
  }

  /** As `publishIn`, for one of the municipality's stored versions (a rollback). */
  async reactivateIn(
    em: SqlEntityManager,
    municipalityId: string,
    versionId: string,
    actor: string,
  ): Promise<PolicyVersion> {
    const version = await em.findOne(PolicyVersion, { id: versionId, municipalityId });
    if (!version) throw new UnknownPolicyVersionError(municipalityId, versionId);
    await this.activateIn(em, version, actor, { onlyIfNone: false });
    return version;
  }

  /** Seeds a municipality with the file its settings name (or the default) if none is in force; true if this call did. */
  async seed(municipality: PolicyTenant): Promise<boolean> {
    return this.seedFrom(
      municipality,
      await readSeedFile(municipality.slug, seedFileOf(municipality)),
    );
  }

  /** As `seed`, for a municipality known by id only (one created after start). */
  async seedById(municipalityId: string): Promise<boolean> {
    const municipality = await this.orm.em
      .fork()
      .findOneOrFail(Municipality, { id: municipalityId });
    return this.seed(municipality);
  }

  async readActive(municipalityId: string): Promise<StoredActiveVersion | undefined> {
    const [row] = await queryRows<{
      version_id: string;
      policy_id: string;
      version: string;
      hash: string;
      text: string;
      source: string;
    }>(
      this.orm,
      `select a.version_id, v.policy_id, v.version, v.hash, v.text, v.source
       from policy_activations a join policy_versions v on v.id = a.version_id
       where a.municipality_id = ?`,
      [municipalityId],
    );
    if (!row) return undefined;
    return {
      versionId: row.version_id,
      policyId: row.policy_id,
      version: row.version,
      hash: row.hash,
      text: row.text,
      source: row.source,
    };
  }

  private async seedFrom(municipality: PolicyTenant, seed: SeedFile): Promise<boolean> {
    const seeded = await this.sqlEm().transactional(async (em) => {
      if (await em.count(PolicyActivation, { municipalityId: municipality.id })) return false;
      const version = await this.storeVersion(em, municipality.id, seed, seed.name);
      return this.activateIn(em, version, `seed:${seed.name}`, { onlyIfNone: true });
    });
    if (seeded) {
      this.logger.log(
        `Policy in force for ${municipality.slug}: ${seed.policy.id} ${seed.policy.version} (${seed.hash.slice(0, 12)}), seeded from rules/${seed.name}`,
      );
      this.announce(municipality.id);
    }
    return seeded;
  }

  /**
   * Locks the municipality's activation row, then its audit chain head (the order every
   * activation takes; decisions take only the head), changes the row and appends the entry.
   * With `onlyIfNone`, a municipality that has a version in force (perhaps just given one by
   * another instance, whose insert this one waits for) is left alone: false.
   */
  private async activateIn(
    em: SqlEntityManager,
    version: PolicyVersion,
    actor: string,
    { onlyIfNone }: { onlyIfNone: boolean },
  ): Promise<boolean> {
    const { municipalityId } = version;
    const activatedAt = new Date();
    const row = { municipalityId, versionId: version.id, activatedBy: actor, activatedAt };
    let previousVersionId: string | null = null;
    if (onlyIfNone) {
      const inserted = await em
        .createQueryBuilder(PolicyActivation)
        .insert(row)
        .onConflict('municipalityId')
        .ignore()
        .execute('run');
      if (inserted.affectedRows === 0) return false;
    } else {
      const current = await em.findOne(
        PolicyActivation,
        { municipalityId },
        { lockMode: LockMode.PESSIMISTIC_WRITE, disableIdentityMap: true },
      );
      previousVersionId = current?.versionId ?? null;
      await em
        .createQueryBuilder(PolicyActivation)
        .insert(row)
        .onConflict('municipalityId')
        .merge(['versionId', 'activatedBy', 'activatedAt'])
        .execute('run');
    }
    await this.audit.append(em, {
      municipalityId,
      type: 'policy.activated',
      subjectId: version.id,
      payload: {
        versionId: version.id,
        policyId: version.policyId,
        version: version.version,
        hash: version.hash,
        source: version.source,
        previousVersionId,
        activatedBy: actor,
        activatedAt: activatedAt.toISOString(),
      },
    });
    if (this.db.kind === 'postgresql')
      await em.execute(`select pg_notify('${POLICY_CHANNEL}', ?)`, [municipalityId]);
    return true;
  }

  /** Inserts the version unless the municipality has it already (by hash); either way, the row. */
  private async storeVersion(
    em: EntityManager,
    municipalityId: string,
    loaded: { policy: Policy; hash: string },
    source: string,
  ): Promise<PolicyVersion> {
    await (em as SqlEntityManager)
      .createQueryBuilder(PolicyVersion)
      .insert({
        id: randomUUID(),
        municipalityId,
        policyId: loaded.policy.id,
        version: loaded.policy.version,
        hash: loaded.hash,
        text: canonicalJson(loaded.policy),
        source,
        createdAt: new Date(),
      })
      .onConflict(['municipalityId', 'hash'])
      .ignore()
      .execute('run');
    return em.findOneOrFail(
      PolicyVersion,
      { municipalityId, hash: loaded.hash },
      { disableIdentityMap: true },
    );
  }

  /** Tells this process's listeners (the active-policy cache) that a change has committed. */
  announce(municipalityId: string): void {
    for (const listener of this.listeners) listener(municipalityId);
  }

  private sqlEm(): SqlEntityManager {
    const em = this.orm.em.fork();
    if (!(em instanceof SqlEntityManager)) throw new Error('minside-faktura needs an SQL database');
    return em;
  }
}
