import { Injectable, Logger } from '@nestjs/common';
import { municipalitiesWhere, type StaffMember } from '../auth';
import {
  CaseWorkService,
  caseSettingsOf,
  type DeferralRequest,
  type OfficerCase,
} from '../deferrals';
import { policyOutcomeOf } from '../deferrals';
import { FinanceNotFoundError, FinanceSystem } from '../finance';
import type { Invoice, PaymentHistory } from '../finance';
import { traceRules } from '../policy';
import { osloDateAt } from '../shared/calendar-date';
import { maskNationalId } from '../shared/national-identity-number';
import type { Language } from '../shared/request-context';
import { TenancyService, type CurrentMunicipality } from '../tenancy';
import { WritebackService } from '../writeback';
import {
  daysWaited,
  matchesFilter,
  QUEUE_AGES,
  QUEUE_STATES,
  type QueueFilter,
  whyOf,
} from './case-queue';

const pick = (text: Record<string, string>, lang: Language) => text[lang] ?? text.nb;
const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/** What the officers' case pages show, put together from the case, the finance system and settings. */
@Injectable()
export class OfficerCasesService {
  private readonly logger = new Logger('OfficerCases');

  constructor(
    private readonly work: CaseWorkService,
    private readonly finance: FinanceSystem,
    private readonly tenancy: TenancyService,
    private readonly writeback: WritebackService,
  ) {}

  /** The municipalities whose cases this officer works on. */
  served(staff: StaffMember): string[] {
    return municipalitiesWhere(staff, 'finance-officer');
  }

  async queuePage(staff: StaffMember, filter: QueueFilter, lang: Language) {
    const served = this.served(staff);
    const [all, municipalities] = await Promise.all([
      this.work.queue(served),
      this.municipalities(served),
    ]);
    const now = new Date();
    const shown = all.filter((r) => matchesFilter(r, filter, staff.actor, now));
    const reasonCodes = new Map<string, string>();
    for (const r of all)
      for (const reason of r.reasons) reasonCodes.set(reason.code, pick(reason.text, lang));
    const types = [...new Set(all.map((r) => r.facts.invoiceType))].sort();
    return {
      titleKey: 'staffCases.queue.title',
      several: municipalities.length > 1,
      total: all.length,
      cases: shown.map((r) => ({
        id: r.id,
        reference: r.reference,
        municipality: municipalities.find((m) => m.id === r.municipalityId)?.name,
        invoiceTitle: r.invoiceTitle,
        invoiceType: r.facts.invoiceType,
        amountOre: r.amountOre,
        why: whyOf(r),
        reasons: r.reasons.map((reason) => pick(reason.text, lang)),
        status: r.status,
        mine: r.takenBy === staff.actor,
        takenByName: r.takenByName ?? r.takenBy,
        since: r.sentToOfficerAt ?? r.createdAt,
        days: daysWaited(r, now),
        hasMessage: r.officerMessage !== null,
      })),
      filter: {
        municipalities: municipalities.map((m) => ({
          value: m.id,
          label: m.name,
          selected: m.id === filter.municipalityId,
        })),
        why: ['policy', 'resident'].map((v) => ({ value: v, selected: v === filter.why })),
        reasons: [...reasonCodes].map(([value, label]) => ({
          value,
          label,
          selected: value === filter.reason,
        })),
        types: types.map((value) => ({ value, selected: value === filter.invoiceType })),
        ages: QUEUE_AGES.map((value) => ({ value, selected: value === filter.minDays })),
        states: QUEUE_STATES.map((value) => ({ value, selected: value === filter.state })),
        active: Object.values(filter).some((v) => v !== undefined),
      },
    };
  }

  /** The case for its page, or null when it is not one of the officer's municipalities'. */
  async find(staff: StaffMember, id: string): Promise<OfficerCase | null> {
    return this.work.find(this.served(staff), id);
  }

  async casePage(
    staff: StaffMember,
    found: OfficerCase,
    hostMunicipality: CurrentMunicipality,
    lang: Language,
  ) {
    const { request, messages } = found;
    const municipality = await this.tenancy.byId(request.municipalityId);
    if (!municipality) throw new Error(`Municipality ${request.municipalityId} is gone`);
    const settings = caseSettingsOf(municipality.settings);
    const [invoice, history, jobs] = await Promise.all([
      this.freshInvoice(municipality, request),
      this.history(municipality, request),
      request.outcome === 'approved'
        ? this.writeback.jobsFor(request.municipalityId, [request.id])
        : Promise.resolve(new Map()),
    ]);
    const job = jobs.get(request.id);
    const now = new Date();
    const stale =
      request.takenAt !== null &&
      now.getTime() - request.takenAt.getTime() > settings.claimStaleHours * 3_600_000;
    const residentLang = (
      ['nb', 'nn', 'en'].includes(request.language) ? request.language : 'nb'
    ) as Language;
    const mine = request.takenBy === staff.actor;
    return {
      titleKey: 'staffCases.case.title',
      id: request.id,
      request,
      municipalityName: municipality.name,
      otherMunicipality: municipality.id !== hostMunicipality.id,
      pidMasked: request.pid === null ? null : maskNationalId(request.pid),
      /** Set once the retention job removed the resident's data: the page says so instead. */
      removedOn: request.personalDataRemovedAt ? osloDateAt(request.personalDataRemovedAt) : null,
      policyOutcome: policyOutcomeOf(request),
      why: whyOf(request),
      open: request.status !== 'decided',
      days: daysWaited(request, now),
      usualAnswerDays: settings.usualAnswerDays,
      holder: request.takenBy ? (request.takenByName ?? request.takenBy) : null,
      mine,
      canTake: request.status === 'awaiting_officer',
      canTakeOver: !mine && request.takenBy !== null && request.status !== 'decided' && stale,
      heldByOther: !mine && request.takenBy !== null && request.status !== 'decided' && !stale,
      canDecide: mine && request.status === 'taken',
      waitingForResident: request.status === 'awaiting_resident',
      reasons: request.reasons.map((r) => ({
        shown: pick(r.text, residentLang),
        staff: residentLang === lang ? undefined : pick(r.text, lang),
      })),
      residentLanguage: residentLang,
      facts: Object.entries(request.facts).map(([name, value]) => ({ name, value: show(value) })),
      rules: traceRules(request.trace),
      fired: request.trace.filter((r) => r.fired).map((r) => r.name),
      policyVersionLink:
        municipality.id === hostMunicipality.id
          ? `/saksbehandler/regelverk/versjoner/${request.policyVersionId}`
          : null,
      invoice,
      history,
      messages: messages.map((m) => ({ author: m.author, text: m.text, at: m.createdAt })),
      writeback: job ? { status: job.status, lastError: job.lastError } : null,
      rejectionTexts: settings.rejectionTexts.map((text) => ({
        code: text.code,
        label: pick(text.label, lang),
        text: pick(text.text, residentLang),
      })),
      suggestedDueDate: request.requestedDueDate,
    };
  }

  /** The invoice as the finance system has it now; the stored snapshot if it does not answer. */
  private async freshInvoice(municipality: CurrentMunicipality, request: DeferralRequest) {
    // Without the identity number the finance system cannot be asked (retention removed it).
    if (request.pid === null) return { ok: false as const, gone: false, removed: true };
    try {
      const { invoice } = await this.finance.getInvoiceWithList(
        municipality,
        request.pid,
        request.invoiceId,
      );
      return { ok: true as const, ...invoiceView(invoice) };
    } catch (error) {
      // Gone (credited, or moved to another system) is not the same as not answering.
      if (error instanceof FinanceNotFoundError) return { ok: false as const, gone: true };
      this.logger.warn(`Case ${request.reference}: invoice not read (${(error as Error).name})`);
      return { ok: false as const, gone: false };
    }
  }

  private async history(municipality: CurrentMunicipality, request: DeferralRequest) {
    if (request.pid === null) return { ok: false as const, removed: true };
    try {
      const history: PaymentHistory = await this.finance.getPaymentHistory(
        municipality,
        request.pid,
      );
      return {
        ok: true as const,
        counts: history.counts,
        events: [...history.events].reverse().slice(0, 30),
      };
    } catch (error) {
      this.logger.warn(`Case ${request.reference}: history not read (${(error as Error).name})`);
      return { ok: false as const };
    }
  }

  private async municipalities(ids: readonly string[]) {
    return (await this.tenancy.all()).filter((m) => ids.includes(m.id));
  }
}

function invoiceView(invoice: Invoice) {
  return {
    number: invoice.invoiceNumber,
    title: invoice.title,
    category: invoice.category,
    status: invoice.status,
    dueDate: invoice.dueDate,
    originalDueDate: invoice.originalDueDate,
    totalOre: invoice.totalOre,
    outstandingOre: invoice.outstandingOre,
    paidOre: invoice.paidOre,
    kid: invoice.kid,
    accountNumber: invoice.accountNumber,
    sentToExternal: invoice.sentToExternal,
    lines: invoice.lines,
  };
}
