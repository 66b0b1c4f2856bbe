import { MikroORM } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { AuditEntry, AuditService } from '../audit';
import { type CaseActor, CaseWorkService, type OfficerCase, policyOutcomeOf } from '../deferrals';
import {
  describePolicy,
  loadPolicy,
  type PolicyDraft,
  PolicyDraftsService,
  type PolicyVersion,
  traceRules,
} from '../policy';
import { osloDateAt } from '../shared/calendar-date';
import { maskNationalId } from '../shared/national-identity-number';
import { isLanguage, type Language } from '../shared/request-context';
import { TenancyService } from '../tenancy';
import { WritebackService } from '../writeback';
import { type ChainEntry, entryView, OPEN_TYPES } from './chain-entries';
import { withTextCheck } from './text-checks';

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/** JSON as people read it (indented). */
function pretty(text: string): string {
  try {
    return `${JSON.stringify(JSON.parse(text), null, 2)}\n`;
  } catch {
    return text;
  }
}

/**
 * Everything an auditor needs to check one decision: the request, the facts, the version and its
 * rules, the trace, the reasons the resident read, who decided, the case's steps and the
 * write-back from the audit chain, the messages, and who has looked at it.
 */
@Injectable()
export class DecisionPageService {
  constructor(
    private readonly orm: MikroORM,
    private readonly audit: AuditService,
    private readonly cases: CaseWorkService,
    private readonly drafts: PolicyDraftsService,
    private readonly tenancy: TenancyService,
    private readonly writeback: WritebackService,
  ) {}

  /** The decision, when it is one of these municipalities'. */
  find(municipalityIds: readonly string[], id: string): Promise<OfficerCase | null> {
    return this.cases.find(municipalityIds, id);
  }

  /**
   * "Who saw whose data": every opening of the page is an entry in the decision's own chain, and
   * says whether the full identity number was shown.
   */
  async recordOpened(found: OfficerCase, by: CaseActor, fullNumber: boolean): Promise<void> {
    const { request } = found;
    await this.orm.em.fork().transactional((em) =>
      this.audit.append(em, {
        municipalityId: request.municipalityId,
        type: 'audit.decision_opened',
        subjectId: request.id,
        payload: {
          actor: by.actor,
          name: by.name ?? null,
          reference: request.reference,
          fullNumber,
        },
      }),
    );
  }

  async page(found: OfficerCase, options: { lang: Language; fullNumber: boolean }) {
    const { request, messages } = found;
    const { lang } = options;
    const [municipality, history, entries, jobs, note] = await Promise.all([
      this.tenancy.byId(request.municipalityId),
      this.drafts.listVersions(request.municipalityId),
      this.entries(found),
      this.writeback.jobsFor(request.municipalityId, [request.id]),
      this.writeback.resolutionNoteOf(request.municipalityId, request.id),
    ]);
    const residentLang: Language = isLanguage(request.language) ? request.language : 'nb';
    // Each text the chain holds as a salted hash, recomputed from its row: "matches the entry".
    const texts = {
      salt: request.auditSalt,
      residentMessage: request.officerMessage,
      officerReason: request.officerReason,
      messages: new Map(messages.map((m) => [m.id, m.text])),
      note: note && { text: note.note, salt: note.auditSalt },
      removed: request.personalDataRemovedAt !== null,
    };
    const views = entries.map((e) => withTextCheck(entryView(e), e, texts));
    const job = jobs.get(request.id);
    return {
      titleKey: 'audit.decision.title',
      id: request.id,
      request,
      municipalityName: municipality?.name ?? request.municipalityId,
      pid:
        request.pid === null
          ? null
          : options.fullNumber
            ? request.pid
            : maskNationalId(request.pid),
      /** Set once the retention job removed the resident's data: the page says so instead. */
      removedOn: request.personalDataRemovedAt ? osloDateAt(request.personalDataRemovedAt) : null,
      fullNumber: options.fullNumber,
      policyOutcome: policyOutcomeOf(request),
      byOfficer: request.decidedBy !== null,
      officer: request.decidedBy ? (request.decidedByName ?? request.decidedBy) : null,
      residentLanguage: residentLang,
      reasons: request.reasons.map((r) => r.text[residentLang] ?? r.text.nb),
      notices: request.notices.map((n) => n.text[residentLang] ?? n.text.nb),
      facts: Object.entries(request.facts).map(([name, value]) => ({ name, value: show(value) })),
      rules: traceRules(request.trace),
      version: this.version(history, request.policyVersionId, lang),
      steps: views.filter((v) => !OPEN_TYPES.includes(v.type)),
      opened: views.filter((v) => OPEN_TYPES.includes(v.type)),
      writeback: job
        ? {
            status: job.status,
            attempts: job.attempts,
            lastError: job.lastError,
            completedAt: job.completedAt,
            note: note?.note ?? null,
          }
        : null,
      residentMessage: request.officerMessage,
      messages: messages.map((m) => ({ author: m.author, text: m.text, at: m.createdAt })),
    };
  }

  /**
   * The decision's entries in its municipality's chain, in chain order: those about the request
   * itself, its officer's receipt (`<id>:decided`) and each question letter (`<id>:question:<id>`).
   */
  private async entries(found: OfficerCase): Promise<ChainEntry[]> {
    const { request, messages } = found;
    const subjects = [
      request.id,
      `${request.id}:decided`,
      ...messages
        .filter((m) => m.author === 'officer')
        .map((m) => `${request.id}:question:${m.id}`),
    ];
    const rows = await this.orm.em
      .fork()
      .find(
        AuditEntry,
        { municipalityId: request.municipalityId, subjectId: { $in: subjects } },
        { orderBy: { seq: 'asc' } },
      );
    return rows.map((e) => ({
      seq: e.seq,
      type: e.type,
      subjectId: e.subjectId,
      createdAt: e.createdAt,
      payload: e.payload,
    }));
  }

  private version(
    history: { version: PolicyVersion; draft?: PolicyDraft }[],
    versionId: string,
    lang: Language,
  ) {
    const entry = history.find((h) => h.version.id === versionId);
    if (!entry) return null;
    const { version, draft } = entry;
    const loaded = loadPolicy(version.text);
    return {
      id: version.id,
      policyId: version.policyId,
      version: version.version,
      hash: version.hash,
      createdAt: version.createdAt,
      source: version.source,
      draftedBy: draft ? (draft.createdByName ?? draft.createdBy) : null,
      approvedBy: draft?.decidedBy ? (draft.decidedByName ?? draft.decidedBy) : null,
      approvedAt: draft?.decidedAt ?? null,
      description: loaded.ok ? describePolicy(loaded.policy, lang) : null,
      text: pretty(version.text),
      link: `/revisjon/regelverk/${version.id}`,
    };
  }
}
