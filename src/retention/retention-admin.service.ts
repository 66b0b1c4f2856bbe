import { EntityManager } from '@mikro-orm/core';
import { Inject, Injectable } from '@nestjs/common';
import { type AuditPayload, AuditService } from '../audit';
import type { ActingStaff } from '../auth';
import { PersonalDataRemoval } from '../deferrals';
import { Municipality, TenancyService } from '../tenancy';
import { type RetentionConfig, retentionConfig } from './retention.config';
import { yearsBefore } from './retention.service';
import {
  ownRetentionYears,
  retentionSettingsProblem,
  retentionYearsFromForm,
  withRetentionYears,
} from './retention-settings';

/** What an operator sees of one municipality's retention period. */
export interface RetentionView {
  slug: string;
  name: string;
  /** The period in force: the municipality's own, else the installation's. */
  years: number;
  /** The municipality's own period, if it set one. */
  own: number | undefined;
  installationYears: number;
  /** Decisions before this instant lose their personal data at the next run. */
  cutoff: Date;
  /** Closed requests past that cutoff that still hold personal data (the next run removes them). */
  due: number;
  /** The start-up check's line for a malformed setting (then the installation's period applies). */
  problem: string | undefined;
}

export type RetentionSaveOutcome =
  | { saved: true }
  | { saved: false; refusal: 'years' }
  /** A shorter period would remove personal data at the next run: asked to confirm, not saved. */
  | { saved: false; refusal: 'confirm'; years: number; due: number };

/**
 * The retention period of the municipalities an operator serves: shown with what the next run
 * would remove, and changed with an audit entry in the same transaction. A shorter period under
 * which the next run would remove anything is saved only when the operator has confirmed it,
 * having seen how many requests that is.
 */
@Injectable()
export class RetentionAdminService {
  constructor(
    private readonly em: EntityManager,
    private readonly tenancy: TenancyService,
    private readonly audit: AuditService,
    private readonly removal: PersonalDataRemoval,
    @Inject(retentionConfig.KEY) private readonly config: RetentionConfig,
  ) {}

  async views(served: readonly string[], now = new Date()): Promise<RetentionView[]> {
    if (served.length === 0) return [];
    const rows = await this.em
      .fork()
      .find(Municipality, { id: { $in: [...served] } }, { orderBy: { slug: 'asc' } });
    return Promise.all(rows.map((row) => this.view(row, now)));
  }

  async save(
    slug: string,
    served: readonly string[],
    who: ActingStaff,
    form: { years: string; confirmed: boolean },
    now = new Date(),
  ): Promise<RetentionSaveOutcome | undefined> {
    const found = await this.em.fork().findOne(Municipality, { slug });
    if (!found || !served.includes(found.id)) return undefined;
    const parsed = retentionYearsFromForm(form.years);
    if (!parsed.ok) return { saved: false, refusal: 'years' };
    const afterYears = parsed.years ?? this.config.years;
    // Counted before the transaction: on SQLite its one connection is the transaction's.
    const due = await this.removal.countExpired(found.id, yearsBefore(now, afterYears));
    const outcome = await this.em.fork().transactional(async (tx) => {
      const row = await tx.findOneOrFail(Municipality, { id: found.id });
      const beforeOwn = ownRetentionYears(row.settings);
      const beforeYears = beforeOwn ?? this.config.years;
      if (afterYears < beforeYears && due > 0 && !form.confirmed)
        return { saved: false as const, refusal: 'confirm' as const, years: afterYears, due };
      const stored = row.settings.retention;
      const malformed = retentionSettingsProblem(row.slug, { ...row.settings }) !== undefined;
      // The same period again: nothing to write or audit.
      if (parsed.years === beforeOwn && !malformed) return { saved: true as const };
      row.settings = withRetentionYears({ ...row.settings }, parsed.years);
      await this.audit.append(tx, {
        municipalityId: row.id,
        type: 'settings.retention_changed',
        subjectId: row.id,
        payload: {
          actor: who.actor,
          name: who.name ?? null,
          municipality: row.slug,
          // The setting as stored before and after (null: none, the installation's period), and
          // the periods in force, so the entry reads alone whatever RETENTION_YEARS is later.
          before:
            stored === undefined ? null : (JSON.parse(JSON.stringify(stored)) as AuditPayload),
          after: parsed.years === undefined ? null : { years: parsed.years },
          yearsBefore: beforeYears,
          yearsAfter: afterYears,
          // What the next run would remove with the new period, as the operator was shown.
          dueAtNextRun: due,
          at: now.toISOString(),
        },
      });
      await this.tenancy.notifyChanged(tx, row.id);
      return { saved: true as const };
    });
    if (outcome?.saved) this.tenancy.invalidate();
    return outcome;
  }

  private async view(row: Municipality, now: Date): Promise<RetentionView> {
    const own = ownRetentionYears(row.settings);
    const years = own ?? this.config.years;
    const cutoff = yearsBefore(now, years);
    return {
      slug: row.slug,
      name: row.name,
      years,
      own,
      installationYears: this.config.years,
      cutoff,
      due: await this.removal.countExpired(row.id, cutoff),
      problem: retentionSettingsProblem(row.slug, { ...row.settings }),
    };
  }
}
