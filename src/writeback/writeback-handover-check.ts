import { MikroORM, QueryOrder } from '@mikro-orm/core';
import { Injectable, Logger } from '@nestjs/common';
import { AuditService } from '../audit';
import { FinanceSystem, type FinanceTenant } from '../finance';
import { Municipality } from '../tenancy';
import { handoverVerdict, recordHandoverRead } from './writeback-handover';
import { WritebackJob } from './writeback-job.entity';
import { classifyFailure } from './writeback-outcome';

/** What one round of reads came to. */
export interface HandoverCheckResult {
  /** Open hand-overs whose invoice was read (or tried). */
  checked: number;
  /** Closed because the invoice now has the new due date. */
  confirmed: number;
  /** Closed because the invoice was paid before the date was registered. */
  notNeeded: number;
  /** Reads that failed: those stay open, and only the log says so. */
  unread: number;
}

/** A round reads at most this many, the longest unread first, so every one gets its turn. */
const ROUND_LIMIT = 200;
/** Reads side by side: enough to be quick, few enough not to crowd the finance system. */
const PARALLEL_READS = 4;

/**
 * Closes hand-overs once the finance team has registered their date: reads each open one's invoice
 * through the port and records what it shows (`recordHandoverRead`). Each close is conditional on
 * the job still being open, so rounds on several instances, or one an officer starts from the page
 * while the timer's runs, close a job once and audit it once.
 */
@Injectable()
export class HandoverCheck {
  private readonly logger = new Logger('WritebackHandover');

  constructor(
    private readonly orm: MikroORM,
    private readonly finance: FinanceSystem,
    private readonly audit: AuditService,
  ) {}

  /** One round over the open hand-overs of these municipalities (all when not given). */
  async run(municipalityIds?: readonly string[]): Promise<HandoverCheckResult> {
    const result: HandoverCheckResult = { checked: 0, confirmed: 0, notNeeded: 0, unread: 0 };
    if (municipalityIds?.length === 0) return result;
    const em = this.orm.em.fork();
    const jobs = await em.find(
      WritebackJob,
      {
        status: 'handed_over',
        ...(municipalityIds ? { municipalityId: { $in: [...municipalityIds] } } : {}),
      },
      {
        orderBy: [{ checkedAt: QueryOrder.ASC_NULLS_FIRST }, { id: QueryOrder.ASC }],
        limit: ROUND_LIMIT,
      },
    );
    if (jobs.length === 0) return result;
    const ids = [...new Set(jobs.map((job) => job.municipalityId))];
    const tenants = new Map(
      (await em.find(Municipality, { id: { $in: ids } })).map((m) => [
        m.id,
        { id: m.id, slug: m.slug, settings: { ...m.settings } } satisfies FinanceTenant,
      ]),
    );
    const queue = [...jobs];
    const reader = async () => {
      for (let job = queue.shift(); job; job = queue.shift()) {
        result.checked++;
        const closed = await this.checkOne(job, tenants.get(job.municipalityId));
        if (closed === 'done') result.confirmed++;
        else if (closed === 'not_needed') result.notNeeded++;
        else if (closed === 'unread') result.unread++;
      }
    };
    await Promise.all(Array.from({ length: PARALLEL_READS }, reader));
    return result;
  }

  private async checkOne(
    job: WritebackJob,
    tenant: FinanceTenant | undefined,
  ): Promise<'done' | 'not_needed' | 'open' | 'unread'> {
    const what = `Hand-over ${job.id}`;
    try {
      if (!tenant) throw new TypeError('its municipality is gone');
      if (job.pid === null) throw new TypeError('its resident was removed');
      const invoice = await this.finance.getInvoice(tenant, job.pid, job.invoiceId);
      const verdict = handoverVerdict(job.newDueDate, invoice);
      const closed = await recordHandoverRead(
        this.orm.em.fork(),
        this.audit,
        job,
        verdict,
        new Date(),
      );
      if (closed === 'done') this.logger.log(`${what}: the new due date is registered; closed`);
      else if (closed === 'not_needed')
        this.logger.log(`${what}: the invoice was paid first; closed as not needed`);
      return closed ?? 'open';
    } catch (error) {
      this.logger.warn(
        `${what}: the invoice could not be read (${classifyFailure(error).code}); it stays open`,
      );
      return 'unread';
    }
  }
}
