import { MikroORM } from '@mikro-orm/core';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuditService } from '../audit';
import { PersonalDataRemoval } from '../deferrals';
import { TenancyService } from '../tenancy';
import { type RetentionConfig, retentionConfig } from './retention.config';
import { retentionYearsOf } from './retention-settings';

/** What one run removed. */
export interface RetentionRun {
  removed: number;
  batches: number;
  /** Each municipality's period, and what was removed there. */
  municipalities: {
    municipalityId: string;
    years: number;
    /** Decisions before this instant had their personal data removed. */
    cutoff: Date;
    removed: number;
  }[];
}

/** `now` less whole calendar years (29 February to 1 March in a year without it). */
export function yearsBefore(now: Date, years: number): Date {
  const cutoff = new Date(now);
  cutoff.setUTCFullYear(cutoff.getUTCFullYear() - years);
  return cutoff;
}

/**
 * The retention job: removes the personal data of closed requests decided more than the
 * municipality's retention period ago (`settings.retention.years`, or RETENTION_YEARS),
 * municipality by municipality, in batches. Each batch is one transaction
 * with one `retention.personal_data_removed` entry in the municipality's chain (how many, the
 * oldest and newest decision, the request ids), so the chain still verifies and says what was
 * removed and when. A second run finds nothing more, and appends nothing.
 */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger('Retention');

  constructor(
    private readonly orm: MikroORM,
    private readonly audit: AuditService,
    private readonly removal: PersonalDataRemoval,
    private readonly tenancy: TenancyService,
    @Inject(retentionConfig.KEY) private readonly config: RetentionConfig,
  ) {}

  async run(now: Date = new Date()): Promise<RetentionRun> {
    const run: RetentionRun = { removed: 0, batches: 0, municipalities: [] };
    for (const municipality of await this.tenancy.all()) {
      const years = retentionYearsOf(municipality.settings, this.config.years);
      const done = {
        municipalityId: municipality.id,
        years,
        cutoff: yearsBefore(now, years),
        removed: 0,
      };
      run.municipalities.push(done);
      for (;;) {
        const ids = await this.removal.expired(municipality.id, done.cutoff, this.config.batchSize);
        if (ids.length === 0) break;
        const removed = await this.batch(municipality.id, ids, now, done);
        done.removed += removed;
        if (removed > 0) run.batches += 1;
        // A short batch was the last. One that removed nothing was taken by another instance,
        // which goes on with the rest; should it fail, tomorrow's run takes them.
        if (ids.length < this.config.batchSize || removed === 0) break;
      }
      run.removed += done.removed;
      if (done.removed > 0)
        this.logger.log(
          `Removed the personal data of ${done.removed} requests of ${municipality.slug} decided before ${done.cutoff.toISOString()} (${years} years)`,
        );
    }
    return run;
  }

  private batch(
    municipalityId: string,
    ids: string[],
    now: Date,
    period: { years: number; cutoff: Date },
  ): Promise<number> {
    return this.orm.em.fork().transactional(async (em) => {
      const removed = await this.removal.remove(em, ids, now);
      if (!removed) return 0;
      await this.audit.append(em, {
        municipalityId,
        type: 'retention.personal_data_removed',
        subjectId: `retention:${now.toISOString()}`,
        payload: {
          retentionYears: period.years,
          cutoff: period.cutoff.toISOString(),
          count: removed.requestIds.length,
          oldestDecision: removed.oldestDecision.toISOString(),
          newestDecision: removed.newestDecision.toISOString(),
          messages: removed.messages,
          letters: removed.letters,
          // Request ids are random uuids: they name the rows, not the residents.
          requestIds: removed.requestIds,
        },
      });
      return removed.requestIds.length;
    });
  }
}
