import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { ResidentIdentity } from '../auth';
import type { Invoice } from '../finance';
import { InvoicePage } from '../invoices';
import type { CurrentMunicipality } from '../tenancy';
import { deferralFormView } from './deferral-form.view';
import { DeferralsService } from './deferrals.service';

export interface PostedForm {
  problems: string[];
  values: Record<string, string>;
}

/** The deferral part of the invoice page: the dates the policy could allow, the case, or why not. */
@Injectable()
export class DeferralFormSection implements OnModuleInit {
  constructor(
    private readonly page: InvoicePage,
    private readonly deferrals: DeferralsService,
  ) {}

  onModuleInit(): void {
    this.page.addSection(async (municipality, resident, invoice) => ({
      deferral: await this.view(municipality, resident, invoice),
    }));
  }

  async view(
    municipality: CurrentMunicipality,
    resident: ResidentIdentity,
    invoice: Invoice,
    posted?: PostedForm,
  ) {
    const existing = await this.deferrals.existingFor(municipality, resident.pid, invoice);
    const window = await this.deferrals.windowFor(municipality, invoice);
    const view = deferralFormView(invoice, window, existing, posted);
    // Closed for good (paid, in collection, deferred once, too late): the page says why in a
    // sentence, with no heading inviting the resident to ask. Too early: it will open, so the
    // heading stays, with the day it opens.
    return { ...view, closed: !view.allowed && !view.existing && view.refusal !== 'too-early' };
  }
}
