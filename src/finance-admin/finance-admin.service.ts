import { EntityManager } from '@mikro-orm/core';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { type AuditPayload, AuditService } from '../audit';
import type { ActingStaff } from '../auth';
import { financeConfig, financeSettingsProblem, type FinanceTenant } from '../finance';
import { Municipality, TenancyService } from '../tenancy';
import {
  envNamesOf,
  type FieldRefusal,
  fieldOfProblem,
  type FinanceSettingsValues,
  redacted,
  settingsFromForm,
  shownUrl,
  VENDOR_ADAPTERS,
} from './finance-settings-form';

/** One credential a municipality's settings rely on: the variable's name and whether it is set. */
export interface CredentialRef {
  name: string;
  set: boolean;
}

/** What an operator sees of one municipality's finance settings: never a secret value. */
export interface FinanceSettingsView {
  slug: string;
  name: string;
  adapter: string;
  baseUrl: string | null;
  credentials: CredentialRef[];
  /** The adapter's own block as stored, secret-looking values hidden; null when it has none. */
  vendor: unknown;
  /** The start-up check's line, or undefined when the settings would work. */
  problem: string | undefined;
  /** What the form starts from: the stored values. */
  values: FinanceSettingsValues;
}

export type SaveOutcome = { saved: true } | { saved: false; refusals: FieldRefusal[] };

/**
 * The finance-system settings of the municipalities an operator serves: read, checked with the
 * start-up's own check, and changed with an audit entry in the same transaction. Tenants are
 * cached per instance (TenancyService, 30 s): this instance forgets its copy at once, others
 * read the change within that time.
 */
@Injectable()
export class FinanceAdminService {
  constructor(
    private readonly em: EntityManager,
    private readonly tenancy: TenancyService,
    private readonly audit: AuditService,
    @Inject(financeConfig.KEY) private readonly config: ConfigType<typeof financeConfig>,
  ) {}

  /** The municipalities among `served` (ids), by slug, as stored now (not the cached copy). */
  async views(served: readonly string[]): Promise<FinanceSettingsView[]> {
    if (served.length === 0) return [];
    const rows = await this.em
      .fork()
      .find(Municipality, { id: { $in: [...served] } }, { orderBy: { slug: 'asc' } });
    return rows.map((row) => this.view(row));
  }

  /** The served municipality with this slug, as stored now; undefined when not served. */
  async tenant(slug: string, served: readonly string[]): Promise<FinanceTenant | undefined> {
    const row = await this.em.fork().findOne(Municipality, { slug });
    if (!row || !served.includes(row.id)) return undefined;
    return { id: row.id, slug: row.slug, settings: { ...row.settings } };
  }

  async save(
    slug: string,
    served: readonly string[],
    who: ActingStaff,
    values: FinanceSettingsValues,
  ): Promise<SaveOutcome | undefined> {
    const outcome = await this.em.fork().transactional(async (tx) => {
      const row = await tx.findOne(Municipality, { slug });
      if (!row || !served.includes(row.id)) return undefined;
      const before = row.settings as Record<string, unknown>;
      const candidate = settingsFromForm(before, values);
      if ('refusals' in candidate) return { saved: false as const, refusals: candidate.refusals };
      const problem = financeSettingsProblem(
        { id: row.id, slug: row.slug, settings: candidate.settings },
        this.apiKeyOf(row.slug),
      );
      if (problem)
        return {
          saved: false as const,
          refusals: [{ field: fieldOfProblem(problem), line: problem }],
        };
      row.settings = candidate.settings;
      await this.audit.append(tx, {
        municipalityId: row.id,
        type: 'settings.finance_changed',
        subjectId: row.id,
        payload: {
          actor: who.actor,
          name: who.name ?? null,
          municipality: row.slug,
          before: auditedSettings(before),
          after: auditedSettings(candidate.settings),
          at: new Date().toISOString(),
        },
      });
      await this.tenancy.notifyChanged(tx, row.id);
      return { saved: true as const };
    });
    if (outcome?.saved) this.tenancy.invalidate();
    return outcome;
  }

  private view(row: Municipality): FinanceSettingsView {
    const settings = row.settings as Record<string, unknown>;
    const adapter =
      typeof settings.financeAdapter === 'string' ? settings.financeAdapter : 'embedded';
    const block = VENDOR_ADAPTERS.includes(adapter as never) ? settings[adapter] : undefined;
    const tenant = { id: row.id, slug: row.slug, settings };
    return {
      slug: row.slug,
      name: row.name,
      adapter,
      baseUrl: shownUrl(settings.financeBaseUrl),
      credentials: this.credentials(row.slug, adapter, block),
      vendor: block === undefined ? null : redacted(block),
      problem: financeSettingsProblem(tenant, this.apiKeyOf(row.slug)),
      values: {
        adapter,
        baseUrl: shownUrl(settings.financeBaseUrl) ?? '',
        vendor: block === undefined ? '' : JSON.stringify(redacted(block), null, 2),
      },
    };
  }

  private credentials(slug: string, adapter: string, block: unknown): CredentialRef[] {
    if (adapter === 'http')
      return [
        { name: `FINANCE_API_KEYS["${slug}"]`, set: this.config.apiKeys[slug] !== undefined },
        { name: 'FINANCE_API_KEY', set: this.config.defaultApiKey !== undefined },
      ];
    return envNamesOf(block).map((name) => ({ name, set: Boolean(process.env[name]) }));
  }

  private apiKeyOf(slug: string): string | undefined {
    return this.config.apiKeys[slug] ?? this.config.defaultApiKey;
  }
}

/** The finance settings as an audit entry holds them: the adapter's, secrets hidden. */
function auditedSettings(settings: Record<string, unknown>): AuditPayload {
  const adapter = typeof settings.financeAdapter === 'string' ? settings.financeAdapter : null;
  const block =
    adapter && VENDOR_ADAPTERS.includes(adapter as never) ? settings[adapter] : undefined;
  return JSON.parse(
    JSON.stringify({
      financeAdapter: adapter,
      financeBaseUrl: shownUrl(settings.financeBaseUrl),
      vendor: block === undefined ? null : redacted(block),
    }),
  ) as AuditPayload;
}
