import type { EntityManager } from '@mikro-orm/core';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { type AppConfig, appConfig } from '../config/app.config';
import { caseSettingsOf, DeferralRequest } from '../deferrals';
import { type QueuedReceipt, ReceiptOutbox } from '../mail';
import { Municipality } from '../tenancy';
import { type HandoverNotice, WritebackService } from '../writeback';
import { handoverTaskUrl } from './handover-task-url';

/**
 * Mails each hand-over to the municipality's finance team (`settings.cases.handoverEmail`) through
 * the outbox, queued in the transaction that hands the job over, so the letter goes if and only if
 * the task exists. No address, or e-mail off: the officers' page alone.
 */
@Injectable()
export class HandoverMailer implements OnModuleInit {
  constructor(
    private readonly writeback: WritebackService,
    private readonly outbox: ReceiptOutbox,
    @Inject(appConfig.KEY) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    if (!this.outbox.enabled) return;
    this.writeback.onHandedOver((notices, em) => this.queue(notices, em));
  }

  private async queue(notices: readonly HandoverNotice[], em: EntityManager): Promise<void> {
    // Read in the hand-over's own transaction: SQLite has one connection, and it holds it.
    const [municipalities, requests] = await Promise.all([
      em.find(Municipality, { id: { $in: [...new Set(notices.map((n) => n.municipalityId))] } }),
      em.find(
        DeferralRequest,
        { id: { $in: notices.map((n) => n.deferralRequestId) } },
        { fields: ['id', 'reference', 'invoiceNumber', 'originalDueDate'] },
      ),
    ]);
    const municipalityById = new Map(municipalities.map((m) => [m.id, m]));
    const requestById = new Map(requests.map((r) => [r.id, r]));
    const letters: QueuedReceipt[] = [];
    for (const notice of notices) {
      const municipality = municipalityById.get(notice.municipalityId);
      const request = requestById.get(notice.deferralRequestId);
      const to = municipality && caseSettingsOf({ ...municipality.settings }).handoverEmail;
      if (!municipality || !request || !to) continue;
      letters.push({
        municipalityId: municipality.id,
        subjectId: `${request.id}:handover`,
        to,
        letter: {
          kind: 'writeback-handover',
          language: 'nb',
          reference: request.reference,
          municipality: municipality.name,
          invoiceNumber: request.invoiceNumber,
          resident: notice.residentMasked,
          previousDueDate: request.originalDueDate,
          newDueDate: notice.newDueDate,
          taskUrl: handoverTaskUrl(this.config.publicUrl, municipality, notice.jobId),
        },
      });
    }
    await this.outbox.enqueueMany(em, letters);
  }
}
