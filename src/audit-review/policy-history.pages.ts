import { Injectable } from '@nestjs/common';
import { describePolicy, diffPolicies, loadPolicy, type Policy, type PolicyDraft } from '../policy';
import type { Language } from '../shared/request-context';
import {
  type HistoryPeriod,
  PolicyHistoryService,
  type VersionHistory,
} from './policy-history.service';

const BASE = '/revisjon/regelverk';

const nameOf = (actor: string | null | undefined, name: string | null | undefined) =>
  actor ? (name ?? actor) : null;

/** JSON as people read it (indented). */
function pretty(text: string): string {
  try {
    return `${JSON.stringify(JSON.parse(text), null, 2)}\n`;
  } catch {
    return text;
  }
}

function parsed(text: string): Policy | undefined {
  const loaded = loadPolicy(text);
  return loaded.ok ? loaded.policy : undefined;
}

/** Who put a version in force for a period: the approver of its draft, the seed file, or the actor. */
function periodView(period: HistoryPeriod) {
  const { draft } = period;
  const seed = period.by.startsWith('seed:') ? period.by.slice('seed:'.length) : null;
  return {
    from: period.from,
    to: period.to,
    current: period.to === null,
    seed,
    by: draft ? nameOf(draft.decidedBy, draft.decidedByName) : seed ? null : period.by || null,
    rollback: draft?.kind === 'rollback',
    comment: draft?.kind === 'rollback' ? (draft.decisionComment ?? null) : null,
  };
}

function provenance(origin: PolicyDraft | undefined, source: string) {
  if (!origin) return { seededFrom: source.startsWith('draft:') ? null : source };
  return {
    seededFrom: null,
    kind: origin.kind,
    draftedBy: nameOf(origin.createdBy, origin.createdByName),
    draftComment: origin.submitComment ?? null,
    approvedBy: nameOf(origin.decidedBy, origin.decidedByName),
    approvedAt: origin.decidedAt ?? null,
    approvalComment: origin.decisionComment ?? null,
  };
}

function versionRow(municipalityId: string, entry: VersionHistory) {
  const { version } = entry;
  const periods = entry.periods.map(periodView);
  return {
    id: version.id,
    href: `${BASE}/${version.id}`,
    label: `${version.policyId} ${version.version}`,
    policyId: version.policyId,
    version: version.version,
    hash: version.hash,
    shortHash: version.hash.slice(0, 12),
    createdAt: version.createdAt,
    ...provenance(entry.origin, version.source),
    periods,
    inForce: periods.some((p) => p.current),
    decisions: entry.decisions,
    decisionsHref: `/revisjon?${new URLSearchParams({ kommune: municipalityId, versjon: version.id }).toString()}`,
  };
}

/** The policy history pages' models: every version of the municipalities served, and one with its diff. */
@Injectable()
export class PolicyHistoryPages {
  constructor(private readonly history: PolicyHistoryService) {}

  async list(served: readonly string[]) {
    const histories = await this.history.histories(served);
    return {
      titleKey: 'auditPolicy.list.title',
      several: histories.length > 1,
      municipalities: histories.map((m) => ({
        id: m.id,
        name: m.name,
        versions: m.versions.map((v) => versionRow(m.id, v)).reverse(),
      })),
    };
  }

  /** One version of a municipality served, with what changed from the one before it; null if none. */
  async version(served: readonly string[], id: string, lang: Language) {
    const municipality = await this.history.historyWith(served, id);
    const index = municipality?.versions.findIndex((v) => v.version.id === id) ?? -1;
    if (!municipality || index < 0) return null;
    const entry = municipality.versions[index];
    const previous = index > 0 ? municipality.versions[index - 1] : undefined;
    const policy = parsed(entry.version.text);
    const before = previous && parsed(previous.version.text);
    const unreadable = !policy || (previous !== undefined && !before);
    return {
      titleKey: 'auditPolicy.version.title',
      several: served.length > 1,
      municipalityName: municipality.name,
      version: {
        ...versionRow(municipality.id, entry),
        text: pretty(entry.version.text),
      },
      description: policy && describePolicy(policy, lang),
      previous: previous && versionRow(municipality.id, previous),
      diff: unreadable ? null : diffPolicies(before, policy, lang),
    };
  }
}
