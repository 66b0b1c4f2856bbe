import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { AuditVerifier } from '../../src/audit/verify/audit.verifier';
import {
  DraftNotFoundError,
  DraftStateError,
  OwnDraftApprovalError,
} from '../../src/policy/drafts/policy-drafts.errors';
import { PolicyDraftsService } from '../../src/policy/drafts/policy-drafts.service';
import { loadPolicy } from '../../src/policy/loading/policy-loader';
import { defaultPolicyJson, setAt } from '../../src/policy/policy.test-factory';
import { ActivePolicies } from '../../src/policy/versions/active-policies.service';
import { PolicyVersionsService } from '../../src/policy/versions/policy-versions.service';
import type { Municipality } from '../../src/tenancy/municipality.entity';
import { createMunicipality } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';

const OFFICER = { actor: 'staff:officer-1', name: 'Olav Officer' };
const COLLEAGUE = { actor: 'staff:officer-2', name: 'Cecilie Colleague' };
const APPROVER = { actor: 'staff:approver-1', name: 'Astrid Approver' };

/** The default policy with a lower amount limit for automatic approval (in øre). */
function withAmountLimit(ore: number): string {
  const json = defaultPolicyJson();
  setAt(json, '/parameters/maxAmountOre/value', ore);
  return JSON.stringify(json, null, 2);
}

const hashOf = (text: string) => {
  const loaded = loadPolicy(text);
  if (!loaded.ok) throw new Error('does not load');
  return loaded.hash;
};

describe('Policy drafts, four eyes (e2e)', () => {
  let t: TestApp;
  let drafts: PolicyDraftsService;
  let versions: PolicyVersionsService;

  beforeAll(async () => {
    t = await startTestApp();
    drafts = t.app.get(PolicyDraftsService);
    versions = t.app.get(PolicyVersionsService);
  });
  afterAll(() => t.close());

  async function seeded(): Promise<Municipality> {
    const municipality = await createMunicipality(t.em());
    await versions.seedById(municipality.id);
    return municipality;
  }

  it('keeps a draft away from residents until another person approves it, then puts it in force and audits every step', async () => {
    const m = await seeded();
    const before = (await versions.readActive(m.id))!;
    const draft = await drafts.createFromActive(m.id, OFFICER);
    expect(draft).toMatchObject({
      status: 'draft',
      kind: 'change',
      baseVersionId: before.versionId,
    });

    // Invalid text is saved (nothing typed is lost) and its errors come back.
    const broken = await drafts.save(m.id, draft.id, '{"id": "x"', OFFICER);
    expect(broken.errors.length).toBeGreaterThan(0);
    expect((await drafts.get(m.id, draft.id)).text).toBe('{"id": "x"');
    await expect(drafts.submit(m.id, draft.id, OFFICER)).resolves.toMatchObject({ ok: false });

    const text = withAmountLimit(150_000);
    await expect(drafts.save(m.id, draft.id, text, COLLEAGUE)).resolves.toMatchObject({
      errors: [],
    });
    expect((await versions.readActive(m.id))!.versionId).toBe(before.versionId);
    await expect(drafts.submit(m.id, draft.id, OFFICER, 'Lower limit')).resolves.toMatchObject({
      ok: true,
      draft: { status: 'submitted', submitComment: 'Lower limit' },
    });
    // Editing a submitted draft is refused; so is approving by anyone who wrote any of it.
    await expect(drafts.save(m.id, draft.id, text, OFFICER)).rejects.toBeInstanceOf(
      DraftStateError,
    );
    await expect(drafts.approve(m.id, draft.id, OFFICER, 'ok')).rejects.toBeInstanceOf(
      OwnDraftApprovalError,
    );
    await expect(drafts.approve(m.id, draft.id, COLLEAGUE, 'ok')).rejects.toBeInstanceOf(
      OwnDraftApprovalError,
    );
    expect((await versions.readActive(m.id))!.versionId).toBe(before.versionId);

    const published = await drafts.approve(
      m.id,
      draft.id,
      APPROVER,
      'Agreed in the finance meeting',
    );
    const active = (await versions.readActive(m.id))!;
    expect(active.hash).toBe(hashOf(text));
    expect(published).toMatchObject({
      status: 'published',
      decidedBy: APPROVER.actor,
      decisionComment: 'Agreed in the finance meeting',
      publishedVersionId: active.versionId,
    });
    // New requests are decided by it at once in this process (the activation announces itself).
    const inForce = await t.app.get(ActivePolicies).activeFor(m.id);
    expect(inForce.versionId).toBe(active.versionId);

    const entries = await t
      .em()
      .find(AuditEntry, { municipalityId: m.id }, { orderBy: { seq: 'asc' } });
    expect(entries.map((e) => e.type)).toEqual([
      'policy.activated', // the seed
      'policy.draft_created',
      'policy.draft_saved',
      'policy.draft_saved',
      'policy.draft_submitted',
      'policy.activated',
      'policy.published',
    ]);
    expect(entries.at(-1)!.payload).toMatchObject({
      draftId: draft.id,
      versionId: active.versionId,
      hash: active.hash,
      authors: [OFFICER.actor, COLLEAGUE.actor],
      submittedBy: OFFICER.actor,
      approvedBy: APPROVER.actor,
      comment: 'Agreed in the finance meeting',
    });
    expect(entries.at(-2)!.payload).toMatchObject({ activatedBy: APPROVER.actor });
    const verified = await new AuditVerifier(t.em()).verify(m.id);
    expect(verified).toMatchObject({ ok: true });
  });

  it('sends a draft back with a comment, takes it again after changes, and refuses one equal to the version in force', async () => {
    const m = await seeded();
    const draft = await drafts.createFromActive(m.id, OFFICER);
    const same = await drafts.submit(m.id, draft.id, OFFICER);
    expect(same).toMatchObject({ ok: false, errors: [{ message: expect.stringMatching(/same/) }] });

    await drafts.save(m.id, draft.id, withAmountLimit(500_000), OFFICER);
    await drafts.submit(m.id, draft.id, OFFICER);
    await expect(
      drafts.returnToAuthors(m.id, draft.id, APPROVER, 'Too strict; try 8 000 kr'),
    ).resolves.toMatchObject({ status: 'returned', decisionComment: 'Too strict; try 8 000 kr' });
    await expect(drafts.approve(m.id, draft.id, APPROVER, '')).rejects.toBeInstanceOf(
      DraftStateError,
    );
    await drafts.save(m.id, draft.id, withAmountLimit(800_000), OFFICER);
    await drafts.submit(m.id, draft.id, OFFICER);
    await drafts.approve(m.id, draft.id, APPROVER, 'Good');
    expect((await versions.readActive(m.id))!.hash).toBe(hashOf(withAmountLimit(800_000)));
  });

  it('rolls back to an earlier version through the same four eyes, and lists every version with who published it', async () => {
    const m = await seeded();
    const original = (await versions.readActive(m.id))!;
    const change = await drafts.createFromActive(m.id, OFFICER);
    await drafts.save(m.id, change.id, withAmountLimit(200_000), OFFICER);
    await drafts.submit(m.id, change.id, OFFICER);
    await drafts.approve(m.id, change.id, APPROVER, 'New limit');
    expect((await versions.readActive(m.id))!.versionId).not.toBe(original.versionId);

    const rollback = await drafts.createRollback(m.id, original.versionId, OFFICER);
    expect(rollback).toMatchObject({ kind: 'rollback', targetVersionId: original.versionId });
    await drafts.submit(m.id, rollback.id, OFFICER, 'Back to the standard');
    await expect(drafts.approve(m.id, rollback.id, OFFICER, '')).rejects.toBeInstanceOf(
      OwnDraftApprovalError,
    );
    await drafts.approve(m.id, rollback.id, APPROVER, 'Yes');
    expect((await versions.readActive(m.id))!.versionId).toBe(original.versionId);

    const listed = await drafts.listVersions(m.id);
    expect(listed).toHaveLength(2);
    const byId = new Map(listed.map((l) => [l.version.id, l.draft]));
    expect(byId.get(original.versionId)).toMatchObject({
      id: rollback.id,
      decidedBy: APPROVER.actor,
    });
    expect(byId.get(change.publishedVersionId ?? '')).toBeUndefined();
    const changed = listed.find((l) => l.version.id !== original.versionId)!;
    expect(changed.draft).toMatchObject({ id: change.id, decisionComment: 'New limit' });
  });

  it("never shows one municipality's drafts or versions to another, and keeps discarded drafts on record", async () => {
    const a = await seeded();
    const b = await seeded();
    const draft = await drafts.createFromActive(a.id, OFFICER);
    await expect(drafts.get(b.id, draft.id)).rejects.toBeInstanceOf(DraftNotFoundError);
    await expect(drafts.save(b.id, draft.id, '{}', OFFICER)).rejects.toBeInstanceOf(
      DraftNotFoundError,
    );
    const aVersion = (await versions.readActive(a.id))!.versionId;
    await expect(drafts.createRollback(b.id, aVersion, OFFICER)).rejects.toBeInstanceOf(
      DraftNotFoundError,
    );
    expect((await drafts.listOpen(b.id)).map((d) => d.id)).not.toContain(draft.id);

    await drafts.discard(a.id, draft.id, OFFICER);
    expect(await drafts.listOpen(a.id)).toEqual([]);
    await expect(drafts.get(a.id, draft.id)).resolves.toMatchObject({ status: 'discarded' });
    await expect(drafts.submit(a.id, draft.id, OFFICER)).rejects.toBeInstanceOf(DraftStateError);
  });
});
