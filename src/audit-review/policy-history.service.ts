import { MikroORM } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { AuditEntry } from '../audit';
import { queryRows } from '../database';
import { type PolicyDraft, PolicyDraftsService, PolicyVersion } from '../policy';
import { placeholders } from '../shared/oslo-weeks-sql';
import { TenancyService } from '../tenancy';
import {
  type Activation,
  type PeriodInForce,
  periodsInForce,
  type Publication,
} from './policy-periods';

export interface HistoryPeriod extends PeriodInForce {
  /** The draft whose approval began the period (a change, an import or a rollback). */
  draft?: PolicyDraft;
}

export interface VersionHistory {
  version: PolicyVersion;
  /** The approved draft that first published it; none for a seeded version. */
  origin?: PolicyDraft;
  periods: HistoryPeriod[];
  /** Deferral requests decided under it. */
  decisions: number;
}

export interface MunicipalityHistory {
  id: string;
  name: string;
  /** Oldest first: the order they were stored (published) in. */
  versions: VersionHistory[];
}

/**
 * Every policy version of some municipalities with who drafted and approved it, its periods in
 * force (from the `policy.activated` entries of the audit chain, the history's only record) and
 * how many decisions were made under it. A handful of queries whatever the number of versions:
 * the versions, the approved drafts, the chain's policy entries (found by their subjects, the
 * versions and drafts, on the subject index) and one grouped count of the decisions.
 */
@Injectable()
export class PolicyHistoryService {
  constructor(
    private readonly orm: MikroORM,
    private readonly drafts: PolicyDraftsService,
    private readonly tenancy: TenancyService,
  ) {}

  async histories(municipalityIds: readonly string[]): Promise<MunicipalityHistory[]> {
    if (municipalityIds.length === 0) return [];
    const em = this.orm.em.fork();
    const [municipalities, versions, drafts, counts] = await Promise.all([
      this.tenancy.all(),
      em.find(
        PolicyVersion,
        { municipalityId: { $in: [...municipalityIds] } },
        { orderBy: { createdAt: 'asc', id: 'asc' } },
      ),
      this.drafts.listPublished(municipalityIds),
      this.decisionCounts(municipalityIds),
    ]);
    const entries = await em.find(
      AuditEntry,
      {
        municipalityId: { $in: [...municipalityIds] },
        type: { $in: ['policy.activated', 'policy.published'] },
        subjectId: { $in: [...versions.map((v) => v.id), ...drafts.map((d) => d.id)] },
      },
      { orderBy: { seq: 'asc' } },
    );
    const draftById = new Map(drafts.map((d) => [d.id, d]));
    return municipalities
      .filter((m) => municipalityIds.includes(m.id))
      .map((m) => {
        const own = entries.filter((e) => e.municipalityId === m.id);
        const periods = periodsInForce(own.flatMap(activation), own.flatMap(publication));
        return {
          id: m.id,
          name: m.name,
          versions: versions
            .filter((v) => v.municipalityId === m.id)
            .map((version) => ({
              version,
              origin: drafts.find(
                (d) => d.publishedVersionId === version.id && d.kind !== 'rollback',
              ),
              periods: (periods.get(version.id) ?? []).map((p) => ({
                ...p,
                draft: p.draftId ? draftById.get(p.draftId) : undefined,
              })),
              decisions: counts.get(version.id) ?? 0,
            })),
        };
      });
  }

  /** The history of the municipality (one of these) that has the version; undefined if none has. */
  async historyWith(
    municipalityIds: readonly string[],
    versionId: string,
  ): Promise<MunicipalityHistory | undefined> {
    if (municipalityIds.length === 0) return undefined;
    const version = await this.orm.em
      .fork()
      .findOne(PolicyVersion, { id: versionId, municipalityId: { $in: [...municipalityIds] } });
    if (!version) return undefined;
    const [history] = await this.histories([version.municipalityId]);
    return history;
  }

  /** Decisions per version, counted by the database in one grouped query. */
  private async decisionCounts(municipalityIds: readonly string[]): Promise<Map<string, number>> {
    const rows = await queryRows<{ policy_version_id: string; n: number | string }>(
      this.orm,
      `select policy_version_id, count(*) as n from deferral_requests
       where municipality_id in (${placeholders(municipalityIds.length)})
       group by policy_version_id`,
      [...municipalityIds],
    );
    return new Map(rows.map((r) => [r.policy_version_id, Number(r.n)]));
  }
}

function activation(entry: AuditEntry): Activation[] {
  if (entry.type !== 'policy.activated') return [];
  const { activatedAt, activatedBy } = entry.payload as Record<string, unknown>;
  const at = typeof activatedAt === 'string' ? new Date(activatedAt) : entry.createdAt;
  return [
    {
      seq: entry.seq,
      versionId: entry.subjectId,
      at: Number.isNaN(at.getTime()) ? entry.createdAt : at,
      by: typeof activatedBy === 'string' ? activatedBy : '',
    },
  ];
}

function publication(entry: AuditEntry): Publication[] {
  const { versionId } = entry.payload as Record<string, unknown>;
  if (entry.type !== 'policy.published' || typeof versionId !== 'string') return [];
  return [{ seq: entry.seq, versionId, draftId: entry.subjectId }];
}
