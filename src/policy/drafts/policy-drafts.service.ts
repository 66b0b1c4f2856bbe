import { createHash } from 'node:crypto';
import { LockMode, MikroORM } from '@mikro-orm/core';
import { SqlEntityManager } from '@mikro-orm/sql';
import { Injectable } from '@nestjs/common';
import { AuditService } from '../../audit';
import { loadPolicy } from '../loading/policy-loader';
import type { PolicyError } from '../policy.types';
import { policyDecidesErrors } from '../verification/verify-policy-decides';
import { PolicyVersion } from '../versions/policy-version.entity';
import { PolicyVersionsService } from '../versions/policy-versions.service';
import {
  DraftNotFoundError,
  DraftStateError,
  OwnDraftApprovalError,
  PolicyNotInForceError,
} from './policy-drafts.errors';
import { type DraftKind, type DraftStatus, PolicyDraft } from './policy-draft.entity';

/** Who does something to a draft: the stable audit actor and the name people see. */
export interface DraftActor {
  readonly actor: string;
  readonly name?: string;
}

/** A check a draft must pass before it may be submitted, beyond validation (e.g. that it decides every case). */
export type PublishCheck = (
  text: string,
) => Promise<readonly PolicyError[]> | readonly PolicyError[];

export type SubmitResult =
  | { readonly ok: true; readonly draft: PolicyDraft }
  | { readonly ok: false; readonly errors: readonly PolicyError[] };

const EDITABLE: readonly DraftStatus[] = ['draft', 'returned'];
const MAX_COMMENT = 2000;

const textHash = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * The four-eyes way a municipality changes its policy. Finance officers draft (from the version
 * in force, an imported file, or a rollback to an earlier version), save as often as they like
 * (nothing reaches residents), and submit; a policy approver who wrote none of it approves, which
 * stores and activates the version in the same transaction as the draft's new state, or sends it
 * back with a comment. Every step is an entry in the municipality's audit chain naming who.
 */
@Injectable()
export class PolicyDraftsService {
  /** A policy that would crash, loop or fail to decide is refused before anyone can approve it. */
  private publishChecks: PublishCheck[] = [(text) => policyDecidesErrors(text)];

  constructor(
    private readonly orm: MikroORM,
    private readonly versions: PolicyVersionsService,
    private readonly audit: AuditService,
  ) {}

  /** Adds a check every submission must pass (the robustness check of the verification module). */
  addPublishCheck(check: PublishCheck): void {
    this.publishChecks.push(check);
  }

  /** A new draft holding the version in force, to change. */
  async createFromActive(municipalityId: string, by: DraftActor): Promise<PolicyDraft> {
    const active = await this.versions.readActive(municipalityId);
    if (!active) throw new PolicyNotInForceError(municipalityId);
    return this.create(municipalityId, 'change', active.text, active.versionId, null, by);
  }

  /** A new draft from an imported `.policy.json` file; kept even when invalid, to be corrected. */
  async createFromImport(
    municipalityId: string,
    text: string,
    by: DraftActor,
  ): Promise<PolicyDraft> {
    const active = await this.versions.readActive(municipalityId);
    return this.create(municipalityId, 'import', text, active?.versionId ?? null, null, by);
  }

  /** A draft that puts an earlier version of this municipality back in force, once approved. */
  async createRollback(
    municipalityId: string,
    targetVersionId: string,
    by: DraftActor,
  ): Promise<PolicyDraft> {
    const em = this.em();
    const target = await em.findOne(PolicyVersion, { id: targetVersionId, municipalityId });
    if (!target) throw new DraftNotFoundError();
    const active = await this.versions.readActive(municipalityId);
    return this.create(
      municipalityId,
      'rollback',
      target.text,
      active?.versionId ?? null,
      target.id,
      by,
    );
  }

  async get(municipalityId: string, id: string): Promise<PolicyDraft> {
    const draft = await this.em().findOne(PolicyDraft, { id, municipalityId });
    if (!draft) throw new DraftNotFoundError();
    return draft;
  }

  /** Drafts not yet published or discarded, newest first. */
  listOpen(municipalityId: string): Promise<PolicyDraft[]> {
    return this.em().find(
      PolicyDraft,
      { municipalityId, status: { $in: ['draft', 'submitted', 'returned'] } },
      { orderBy: { updatedAt: 'desc' } },
    );
  }

  /** Every version of the municipality, newest first, each with the draft that published it (if any). */
  async listVersions(
    municipalityId: string,
  ): Promise<{ version: PolicyVersion; draft?: PolicyDraft }[]> {
    const em = this.em();
    const versions = await em.find(
      PolicyVersion,
      { municipalityId },
      { orderBy: { createdAt: 'desc' } },
    );
    const drafts = await em.find(PolicyDraft, {
      municipalityId,
      status: 'published',
      publishedVersionId: { $in: versions.map((v) => v.id) },
    });
    // The latest approval of a version names it (a rollback approves an old version again).
    drafts.sort((a, b) => (a.decidedAt?.getTime() ?? 0) - (b.decidedAt?.getTime() ?? 0));
    const byVersion = new Map(drafts.map((d) => [d.publishedVersionId!, d]));
    return versions.map((version) => ({ version, draft: byVersion.get(version.id) }));
  }

  /**
   * Every approved draft of these municipalities, changes, imports and rollbacks alike (a version
   * put back in force has one per approval), oldest approval first.
   */
  listPublished(municipalityIds: readonly string[]): Promise<PolicyDraft[]> {
    return this.em().find(
      PolicyDraft,
      { municipalityId: { $in: [...municipalityIds] }, status: 'published' },
      { orderBy: { decidedAt: 'asc', id: 'asc' } },
    );
  }

  async getVersion(municipalityId: string, versionId: string): Promise<PolicyVersion> {
    const version = await this.em().findOne(PolicyVersion, { id: versionId, municipalityId });
    if (!version) throw new DraftNotFoundError();
    return version;
  }

  /** Saves new text (valid or not: nothing typed is lost); returns the validation errors, if any. */
  async save(
    municipalityId: string,
    id: string,
    text: string,
    by: DraftActor,
  ): Promise<{ draft: PolicyDraft; errors: readonly PolicyError[] }> {
    const draft = await this.transition(
      municipalityId,
      id,
      EDITABLE,
      by,
      'policy.draft_saved',
      (d) => {
        d.text = text;
        if (!d.authors.includes(by.actor)) d.authors = [...d.authors, by.actor];
        return { textHash: textHash(text) };
      },
    );
    return { draft, errors: validationErrors(text) };
  }

  /** Sends the draft for approval, if it validates, differs from the version in force and passes every check. */
  async submit(
    municipalityId: string,
    id: string,
    by: DraftActor,
    comment = '',
  ): Promise<SubmitResult> {
    const current = await this.get(municipalityId, id);
    if (!EDITABLE.includes(current.status)) throw new DraftStateError(current.status);
    const errors = [...validationErrors(current.text)];
    if (errors.length === 0) {
      const active = await this.versions.readActive(municipalityId);
      const loaded = loadPolicy(current.text);
      if (loaded.ok && active?.hash === loaded.hash)
        errors.push({ path: '', message: 'is the same as the version in force' });
      for (const check of this.publishChecks) errors.push(...(await check(current.text)));
    }
    if (errors.length > 0) return { ok: false, errors };
    const draft = await this.transition(
      municipalityId,
      id,
      EDITABLE,
      by,
      'policy.draft_submitted',
      (d) => {
        d.status = 'submitted';
        d.submittedAt = new Date();
        d.submittedBy = by.actor;
        d.submitComment = trimComment(comment) || null;
        return { textHash: textHash(d.text), comment: d.submitComment ?? '' };
      },
    );
    return { ok: true, draft };
  }

  /**
   * Approves a submitted draft: its text becomes a version in force for new requests at once (on
   * every instance: the activation notifies them), in one transaction with the draft's state and
   * both audit entries. Refused to anyone who wrote any of it.
   */
  async approve(
    municipalityId: string,
    id: string,
    by: DraftActor,
    comment: string,
  ): Promise<PolicyDraft> {
    const em = this.em();
    const draft = await em.transactional(async (tx) => {
      const d = await this.lockDraft(tx, municipalityId, id);
      if (d.status !== 'submitted') throw new DraftStateError(d.status);
      if (d.authors.includes(by.actor) || d.submittedBy === by.actor)
        throw new OwnDraftApprovalError();
      const version =
        d.kind === 'rollback' && d.targetVersionId
          ? await this.versions.reactivateIn(tx, municipalityId, d.targetVersionId, by.actor)
          : await this.publish(tx, municipalityId, d, by);
      d.status = 'published';
      d.decidedAt = new Date();
      d.decidedBy = by.actor;
      d.decidedByName = by.name ?? null;
      d.decisionComment = trimComment(comment) || null;
      d.publishedVersionId = version.id;
      d.updatedAt = d.decidedAt;
      await this.audit.append(tx, {
        municipalityId,
        type: 'policy.published',
        subjectId: d.id,
        payload: {
          draftId: d.id,
          kind: d.kind,
          versionId: version.id,
          policyId: version.policyId,
          version: version.version,
          hash: version.hash,
          authors: d.authors,
          submittedBy: d.submittedBy ?? '',
          approvedBy: by.actor,
          comment: d.decisionComment ?? '',
        },
      });
      return d;
    });
    this.versions.announce(municipalityId);
    return draft;
  }

  /** Sends a submitted draft back to its authors with a comment; they may change and resubmit it. */
  returnToAuthors(
    municipalityId: string,
    id: string,
    by: DraftActor,
    comment: string,
  ): Promise<PolicyDraft> {
    return this.transition(municipalityId, id, ['submitted'], by, 'policy.draft_returned', (d) => {
      d.status = 'returned';
      d.decidedAt = new Date();
      d.decidedBy = by.actor;
      d.decidedByName = by.name ?? null;
      d.decisionComment = trimComment(comment) || null;
      return { comment: d.decisionComment ?? '' };
    });
  }

  /** Gives up a draft that was never published; it stays on record. */
  discard(municipalityId: string, id: string, by: DraftActor): Promise<PolicyDraft> {
    return this.transition(municipalityId, id, EDITABLE, by, 'policy.draft_discarded', (d) => {
      d.status = 'discarded';
      return {};
    });
  }

  private async publish(
    tx: SqlEntityManager,
    municipalityId: string,
    draft: PolicyDraft,
    by: DraftActor,
  ): Promise<PolicyVersion> {
    const result = await this.versions.publishIn(
      tx,
      municipalityId,
      draft.text,
      `draft:${draft.id}`,
      by.actor,
    );
    // Submission validated it; a stored draft's text cannot change after submission.
    if (!result.ok) throw new DraftStateError('invalid');
    return result.version;
  }

  private async create(
    municipalityId: string,
    kind: DraftKind,
    text: string,
    baseVersionId: string | null,
    targetVersionId: string | null,
    by: DraftActor,
  ): Promise<PolicyDraft> {
    return this.em().transactional(async (tx) => {
      const draft = tx.create(PolicyDraft, {
        municipalityId,
        kind,
        text,
        baseVersionId,
        targetVersionId,
        authors: [by.actor],
        createdBy: by.actor,
        createdByName: by.name ?? null,
      });
      await tx.flush();
      await this.audit.append(tx, {
        municipalityId,
        type: 'policy.draft_created',
        subjectId: draft.id,
        payload: {
          draftId: draft.id,
          kind,
          baseVersionId: baseVersionId ?? '',
          targetVersionId: targetVersionId ?? '',
          textHash: textHash(text),
          by: by.actor,
        },
      });
      return draft;
    });
  }

  /** Locks the draft, checks its state, applies the change and audits it, in one transaction. */
  private transition(
    municipalityId: string,
    id: string,
    from: readonly DraftStatus[],
    by: DraftActor,
    type:
      | 'policy.draft_saved'
      | 'policy.draft_submitted'
      | 'policy.draft_returned'
      | 'policy.draft_discarded',
    change: (draft: PolicyDraft) => Record<string, string>,
  ): Promise<PolicyDraft> {
    return this.em().transactional(async (tx) => {
      const draft = await this.lockDraft(tx, municipalityId, id);
      if (!from.includes(draft.status)) throw new DraftStateError(draft.status);
      const details = change(draft);
      draft.updatedAt = new Date();
      await tx.flush();
      await this.audit.append(tx, {
        municipalityId,
        type,
        subjectId: draft.id,
        payload: { draftId: draft.id, status: draft.status, by: by.actor, ...details },
      });
      return draft;
    });
  }

  private async lockDraft(
    tx: SqlEntityManager,
    municipalityId: string,
    id: string,
  ): Promise<PolicyDraft> {
    const draft = await tx.findOne(
      PolicyDraft,
      { id, municipalityId },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (!draft) throw new DraftNotFoundError();
    return draft;
  }

  private em(): SqlEntityManager {
    const em = this.orm.em.fork();
    if (!(em instanceof SqlEntityManager)) throw new Error('minside-faktura needs an SQL database');
    return em;
  }
}

function validationErrors(text: string): readonly PolicyError[] {
  const loaded = loadPolicy(text);
  return loaded.ok ? [] : loaded.errors;
}

function trimComment(comment: string): string {
  return comment.trim().slice(0, MAX_COMMENT);
}
