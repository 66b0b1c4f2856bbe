import { Injectable, Logger } from '@nestjs/common';
import type { FinanceTenant } from '../finance/finance-tenant';
import type { LetterLanguage } from '../mail/deferral-receipt-letter';
import { MailService } from '../mail/mail.service';
import { TenancyService } from '../tenancy/tenancy.service';
import type { DeferralRequest } from './deferral-request.entity';

/** Sends the decision's receipt by e-mail when the resident gave an address; never fails the decision. */
@Injectable()
export class DeferralReceipts {
  private readonly logger = new Logger('DeferralReceipts');

  constructor(
    private readonly mail: MailService,
    private readonly tenancy: TenancyService,
  ) {}

  async send(tenant: FinanceTenant, request: DeferralRequest, origin: string): Promise<void> {
    if (!request.email) return;
    const municipality = await this.tenancy.bySlug(tenant.slug);
    if (!municipality) return;
    const language = (
      ['nb', 'nn', 'en'].includes(request.language) ? request.language : 'nb'
    ) as LetterLanguage;
    const result = await this.mail.sendDeferralReceipt(request.email, {
      language,
      municipality: {
        name: municipality.name,
        contactEmail: municipality.contactEmail,
        contactPhone: municipality.contactPhone,
      },
      outcome: request.outcome,
      invoice: {
        number: request.invoiceNumber,
        title: request.invoiceTitle,
        amountOre: request.amountOre,
      },
      originalDueDate: request.originalDueDate,
      newDueDate: request.newDueDate,
      reasons: request.reasons.map((r) => r.text[language]),
      notices: request.notices.map((n) => n.text[language]),
      reference: request.reference,
      caseUrl: `${origin}/saker/${request.reference}`,
    });
    if (!result.sent)
      this.logger.warn(
        { reference: request.reference, reason: result.reason },
        'Receipt e-mail not sent',
      );
  }
}
