import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/core';
import { AuditChainHead } from '../../audit/audit-chain-head.entity';
import { AuditEntry } from '../../audit/audit-entry.entity';
import { AuditService } from '../../audit/audit.service';
import { buildOrmConfig } from '../../database/orm.config';
import { Municipality } from '../../tenancy/municipality.entity';
import { PolicyActivation } from './policy-activation.entity';
import { PolicyVersion } from './policy-version.entity';
import { PolicyVersionsService } from './policy-versions.service';
import { defaultPolicyJson, setAt } from '../policy.test-factory';

function policyText(maxAmountOre: number): string {
  const json = defaultPolicyJson();
  setAt(json, '/parameters/maxAmountOre/value', maxAmountOre);
  return JSON.stringify(json);
}

describe(PolicyVersionsService.name, () => {
  let orm: MikroORM;
  let service: PolicyVersionsService;

  beforeEach(async () => {
    const config = buildOrmConfig(
      {
        kind: 'sqlite',
        url: undefined,
        sqlitePath: ':memory:',
        poolMax: 1,
        migrateOnStart: false,
      },
      [PolicyVersion, PolicyActivation, AuditEntry, AuditChainHead, Municipality],
    );
    orm = await MikroORM.init({
      ...config,
      entities: [PolicyVersion, PolicyActivation, AuditEntry, AuditChainHead, Municipality],
    });
    await orm.schema.create();
    service = new PolicyVersionsService(orm, new AuditService(), { kind: 'sqlite' });
  });
  afterEach(() => orm.close());

  const tenant = (settings: Record<string, unknown> = {}) => ({
    id: randomUUID(),
    slug: `t-${randomUUID().slice(0, 6)}`,
    settings,
  });
  const auditOf = (municipalityId: string) =>
    orm.em.fork().find(AuditEntry, { municipalityId }, { orderBy: { seq: 'asc' } });

  describe('seed', () => {
    it('stores the default policy as a version and activates it, audited, when the settings name no file', async () => {
      const t = tenant();
      expect(await service.seed(t)).toBe(true);
      const active = await service.readActive(t.id);
      expect(active).toMatchObject({
        source: 'default.policy.json',
        policyId: 'standard-betalingsutsettelse',
      });
      const [entry] = await auditOf(t.id);
      expect(entry).toMatchObject({ type: 'policy.activated', subjectId: active!.versionId });
      expect(entry.payload).toMatchObject({
        versionId: active!.versionId,
        hash: active!.hash,
        previousVersionId: null,
        activatedBy: 'seed:default.policy.json',
      });
    });

    it('seeds from the file the settings name', async () => {
      const t = tenant({ policyFile: 'asdal.policy.json' });
      await service.seed(t);
      expect(await service.readActive(t.id)).toMatchObject({ source: 'asdal.policy.json' });
    });

    it('does nothing for a municipality that has an active version, however often it runs', async () => {
      const t = tenant();
      const results = await Promise.all([service.seed(t), service.seed(t), service.seed(t)]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await service.seed(t)).toBe(false);
      expect(await orm.em.fork().count(PolicyVersion, { municipalityId: t.id })).toBe(1);
      expect(await auditOf(t.id)).toHaveLength(1);
    });
  });

  describe('onApplicationBootstrap', () => {
    async function municipalityWith(settings: Record<string, unknown>) {
      const em = orm.em.fork();
      const municipality = em.create(Municipality, {
        slug: `m-${randomUUID().slice(0, 6)}`,
        name: 'Testvik',
        orgNumber: '999000099',
        contactEmail: 'post@testvik.example',
        contactPhone: '+47 12 34 56 78',
        settings,
      });
      await em.flush();
      return municipality;
    }

    it('seeds every municipality that has no version in force, each from its own file', async () => {
      const standard = await municipalityWith({});
      const strict = await municipalityWith({ policyFile: 'asdal.policy.json' });
      await service.onApplicationBootstrap();
      await service.onApplicationBootstrap();
      expect(await service.readActive(standard.id)).toMatchObject({
        source: 'default.policy.json',
      });
      expect(await service.readActive(strict.id)).toMatchObject({ source: 'asdal.policy.json' });
      expect(await auditOf(strict.id)).toHaveLength(1);
    });

    it('refuses to start, in one line naming the municipality, when its file is missing, and seeds nothing', async () => {
      const fine = await municipalityWith({});
      const broken = await municipalityWith({ policyFile: 'nowhere.policy.json' });
      await expect(service.onApplicationBootstrap()).rejects.toThrow(
        `municipality ${broken.slug}: settings.policyFile names rules/nowhere.policy.json, which does not exist`,
      );
      expect(await service.readActive(fine.id)).toBeUndefined();
    });
  });

  describe('addVersion', () => {
    it('stores policy text once per hash, with where it came from', async () => {
      const t = tenant();
      const first = await service.addVersion(t.id, policyText(300_000), 'officer:kari');
      const again = await service.addVersion(t.id, policyText(300_000), 'officer:ola');
      expect(first.ok && again.ok).toBe(true);
      if (!first.ok || !again.ok) return;
      expect(again.version.id).toBe(first.version.id);
      expect(first.version.source).toBe('officer:kari');
      expect(JSON.parse(first.version.text)).toMatchObject({
        parameters: { maxAmountOre: { value: 300_000 } },
      });
    });

    it('refuses text that is not a valid policy and stores nothing', async () => {
      const t = tenant();
      const result = await service.addVersion(t.id, policyText(-5), 'officer:kari');
      expect(result.ok).toBe(false);
      expect(await orm.em.fork().count(PolicyVersion, {})).toBe(0);
    });
  });

  describe('activate', () => {
    it('puts a version in force, audits who did it in the same chain, and tells listeners after commit', async () => {
      const t = tenant();
      await service.seed(t);
      const seeded = await service.readActive(t.id);
      const added = await service.addVersion(t.id, policyText(250_000), 'officer:kari');
      if (!added.ok) throw new Error('policy refused');
      const heard: string[] = [];
      service.onActivated((municipalityId) => heard.push(municipalityId));

      await service.activate(t.id, added.version.id, 'staff:kari');

      expect(await service.readActive(t.id)).toMatchObject({
        versionId: added.version.id,
        hash: added.version.hash,
      });
      const activation = await orm.em
        .fork()
        .findOneOrFail(PolicyActivation, { municipalityId: t.id });
      expect(activation.activatedBy).toBe('staff:kari');
      const entries = await auditOf(t.id);
      expect(entries.map((e) => e.type)).toEqual(['policy.activated', 'policy.activated']);
      expect(entries[1].payload).toMatchObject({
        versionId: added.version.id,
        previousVersionId: seeded!.versionId,
        activatedBy: 'staff:kari',
        policyId: 'standard-betalingsutsettelse',
        hash: added.version.hash,
        source: 'officer:kari',
      });
      expect(heard).toEqual([t.id]);
    });

    it("refuses another municipality's version and changes nothing", async () => {
      const a = tenant();
      const b = tenant();
      await service.seed(a);
      await service.seed(b);
      const foreign = await service.addVersion(b.id, policyText(100_000), 'officer:x');
      if (!foreign.ok) throw new Error('policy refused');
      const before = await service.readActive(a.id);
      await expect(service.activate(a.id, foreign.version.id, 'staff:x')).rejects.toThrow(
        /no policy version .* for municipality/,
      );
      expect(await service.readActive(a.id)).toEqual(before);
      expect(await auditOf(a.id)).toHaveLength(1);
    });
  });
});
