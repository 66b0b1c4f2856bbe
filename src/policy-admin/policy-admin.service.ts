import { Injectable } from '@nestjs/common';
import type { StaffMember } from '../auth';
import {
  type DraftActor,
  loadPolicy,
  type Policy,
  type PolicyDraft,
  PolicyDraftsService,
  type PolicyError,
  type PolicyFormError,
  type PolicyVersion,
  PolicyVersionsService,
} from '../policy';
import type { Language } from '../shared/request-context';
import { type ParameterValues, PolicyPresenter } from './policy-presenter';

export interface DraftPageExtras {
  saved?: boolean;
  jsonErrors?: readonly PolicyError[];
  submitErrors?: readonly PolicyError[];
  parameterErrors?: readonly PolicyFormError[];
  parameterValues?: ParameterValues;
  returnError?: string;
}

const can = (staff: StaffMember) => ({
  draft: staff.roles.includes('finance-officer'),
  approve: staff.roles.includes('policy-approver'),
});

/** JSON as people read it (indented); text that is not JSON stays exactly as typed. */
function pretty(text: string): string {
  try {
    return `${JSON.stringify(JSON.parse(text), null, 2)}\n`;
  } catch {
    return text;
  }
}

function person(actor: string | null | undefined, name: string | null | undefined) {
  if (!actor) return undefined;
  return { actor, name: name ?? actor };
}

/** The view models of the policy pages, from the drafts workflow and the policy's own text. */
@Injectable()
export class PolicyAdminService {
  constructor(
    readonly drafts: PolicyDraftsService,
    private readonly versions: PolicyVersionsService,
    private readonly presenter: PolicyPresenter,
  ) {}

  async overview(municipalityId: string, staff: StaffMember, lang: Language) {
    const active = await this.versions.readActive(municipalityId);
    const [open, history] = await Promise.all([
      this.drafts.listOpen(municipalityId),
      this.drafts.listVersions(municipalityId),
    ]);
    const activeEntry = history.find((h) => h.version.id === active?.versionId);
    const policy = active ? this.parse(active.text) : undefined;
    return {
      titleKey: 'staffPolicy.title',
      staffArea: true,
      can: can(staff),
      active: active && {
        versionId: active.versionId,
        policyId: active.policyId,
        version: active.version,
        shortHash: active.hash.slice(0, 12),
        hash: active.hash,
        source: active.source,
        ...this.provenance(activeEntry),
      },
      description: policy && this.presenter.describe(policy, lang),
      drafts: open.map((d) => this.draftSummary(d)),
      versions: history.map((h) => ({
        id: h.version.id,
        version: h.version.version,
        policyId: h.version.policyId,
        shortHash: h.version.hash.slice(0, 12),
        createdAt: h.version.createdAt,
        active: h.version.id === active?.versionId,
        ...this.provenance(h),
      })),
    };
  }

  async draftPage(
    municipalityId: string,
    id: string,
    staff: StaffMember,
    lang: Language,
    extras: DraftPageExtras = {},
  ) {
    const draft = await this.drafts.get(municipalityId, id);
    const loaded = loadPolicy(draft.text);
    const active = await this.versions.readActive(municipalityId);
    const editable = draft.status === 'draft' || draft.status === 'returned';
    const wrote = draft.authors.includes(staff.actor);
    const policy = loaded.ok ? loaded.policy : undefined;
    return {
      titleKey: 'staffPolicy.draft.title',
      staffArea: true,
      draft: {
        ...this.draftSummary(draft),
        text: pretty(draft.text),
        submitComment: draft.submitComment,
        decisionComment: draft.decisionComment,
        decidedBy: person(draft.decidedBy, draft.decidedByName),
        decidedAt: draft.decidedAt,
        submittedAt: draft.submittedAt,
      },
      can: {
        edit: editable && can(staff).draft,
        submit: editable && can(staff).draft,
        discard: editable && can(staff).draft,
        approve: draft.status === 'submitted' && can(staff).approve && !wrote,
        ownDraftNotice: draft.status === 'submitted' && can(staff).approve && wrote,
      },
      valid: loaded.ok,
      sameAsActive: loaded.ok && active?.hash === loaded.hash,
      jsonErrors: this.presenter.shown(extras.jsonErrors ?? (loaded.ok ? [] : loaded.errors), lang),
      submitErrors: this.presenter.shown(extras.submitErrors ?? [], lang),
      saved: extras.saved ?? false,
      returnError: extras.returnError,
      description: policy && this.presenter.describe(policy, lang),
      activeDescription:
        active && policy ? this.presenter.describe(this.parse(active.text)!, lang) : undefined,
      parameters:
        policy &&
        this.presenter.parameterFields(
          policy,
          lang,
          extras.parameterValues,
          extras.parameterErrors,
        ),
      parameterErrors: this.presenter.shown(extras.parameterErrors ?? [], lang),
    };
  }

  async saveParameters(
    municipalityId: string,
    id: string,
    body: Record<string, unknown>,
    by: DraftActor,
  ): Promise<
    { ok: true } | { ok: false; errors: readonly PolicyFormError[]; values: ParameterValues }
  > {
    const draft = await this.drafts.get(municipalityId, id);
    const applied = this.presenter.applyParameters(draft.text, body);
    // A refused form changes nothing: the draft keeps its last saved text.
    if (!applied.ok) return applied;
    await this.drafts.save(municipalityId, id, applied.text, by);
    return { ok: true };
  }

  async versionPage(municipalityId: string, id: string, staff: StaffMember, lang: Language) {
    const version = await this.drafts.getVersion(municipalityId, id);
    const [active, history] = await Promise.all([
      this.versions.readActive(municipalityId),
      this.drafts.listVersions(municipalityId),
    ]);
    const entry = history.find((h) => h.version.id === id);
    return {
      titleKey: 'staffPolicy.version.title',
      staffArea: true,
      can: can(staff),
      version: {
        id: version.id,
        policyId: version.policyId,
        version: version.version,
        hash: version.hash,
        createdAt: version.createdAt,
        source: version.source,
        text: pretty(version.text),
        active: version.id === active?.versionId,
        ...this.provenance(entry),
      },
      description: this.presenter.describe(this.parse(version.text)!, lang),
    };
  }

  async exportVersion(municipalityId: string, id: string): Promise<{ name: string; text: string }> {
    const version = await this.drafts.getVersion(municipalityId, id);
    const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '-');
    return {
      name: `${safe(version.policyId)}-${safe(version.version)}.policy.json`,
      text: pretty(version.text),
    };
  }

  private draftSummary(d: PolicyDraft) {
    return {
      id: d.id,
      kind: d.kind,
      status: d.status,
      createdBy: person(d.createdBy, d.createdByName),
      createdAt: d.createdAt,
      updatedAt: d.updatedAt,
      authorCount: d.authors.length,
    };
  }

  /** Who drafted and approved a version, or that it was seeded from a file. */
  private provenance(entry: { version: PolicyVersion; draft?: PolicyDraft } | undefined) {
    const draft = entry?.draft;
    if (!draft) return { seededFrom: entry?.version.source ?? undefined };
    return {
      draftedBy: person(draft.createdBy, draft.createdByName),
      approvedBy: person(draft.decidedBy, draft.decidedByName),
      approvedAt: draft.decidedAt,
      approvalComment: draft.decisionComment,
      draftComment: draft.submitComment,
      rollback: draft.kind === 'rollback',
    };
  }

  private parse(text: string): Policy | undefined {
    const loaded = loadPolicy(text);
    return loaded.ok ? loaded.policy : undefined;
  }
}
