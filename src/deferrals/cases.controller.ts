import {
  Body,
  Controller,
  Get,
  NotFoundException,
  Param,
  Post,
  Render,
  Req,
  Res,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { CurrentResident } from '../auth';
import type { ResidentIdentity } from '../auth';
import { ForMunicipality, type CurrentMunicipality } from '../tenancy';
import { isIsoDate, todayInNorway } from '../shared/calendar-date';
import { requestLanguage } from '../shared/request-context';
import { noticesStillTrue } from './case-notices';
import { CaseProofs } from './case-proofs';
import { CasesService, OFFICER_MESSAGE_MAX, type CaseView } from './cases.service';

function caseModel(view: CaseView, lang: string) {
  const { request } = view;
  const pick = (text: Record<string, string>) => text[lang] ?? text.nb;
  const open = request.status !== 'decided';
  const byOfficer = request.decidedBy !== null;
  return {
    ...view,
    reference: request.reference,
    reasons: request.reasons.map((r) => pick(r.text as Record<string, string>)),
    notices: noticesStillTrue(request, todayInNorway()).map((n) => pick(n.text)),
    /** Waiting for a person: the page never says "decided" before one has. */
    open,
    /** The policy decides as the request is made; an officer when they decide. */
    decidedAt: request.decidedAt ?? request.createdAt,
    byOfficer,
    /** What the heading says: the state while open, the outcome once decided. */
    headline: open
      ? `deferrals.case.state.${request.status}`
      : `deferrals.outcome.${request.outcome}`,
    question: [...view.messages].reverse().find((m) => m.author === 'officer')?.text,
    messages: view.messages.map((m) => ({ author: m.author, text: m.text, at: m.createdAt })),
  };
}

/**
 * After a second request for an invoice (Back and another date, a second tab): the earlier one is
 * shown, with whether the new choice differed from it (and so was not stored).
 */
function alreadyAsked(view: CaseView, query: Request['query']) {
  if (query.allerede !== '1') return null;
  const chosen = typeof query.valgt === 'string' && isIsoDate(query.valgt) ? query.valgt : null;
  return { chosen, sameChoice: chosen === view.request.requestedDueDate };
}

/** A refused message or answer, summed up at the top of the page and linked to its text area. */
function textErrors(field: 'message' | 'answer', problem: string | null) {
  const keys = { message: 'messageProblems', answer: 'answerProblems' };
  return problem
    ? [{ field, key: `deferrals.case.${keys[field]}.${problem}`, max: OFFICER_MESSAGE_MAX }]
    : [];
}

function textProblem(text: string): 'messageMissing' | 'messageTooLong' | null {
  return text.length === 0
    ? 'messageMissing'
    : text.length > OFFICER_MESSAGE_MAX
      ? 'messageTooLong'
      : null;
}

@Controller('saker')
export class CasesController {
  constructor(
    private readonly cases: CasesService,
    private readonly proofs: CaseProofs,
  ) {}

  @Get()
  @Render('pages/cases')
  async list(
    @ForMunicipality() municipality: CurrentMunicipality,
    @CurrentResident() resident: ResidentIdentity,
    @Req() req: Request,
  ) {
    const lang = requestLanguage(req);
    const cases = await this.cases.list(municipality.id, resident.pid);
    return { titleKey: 'deferrals.cases.title', cases: cases.map((c) => caseModel(c, lang)) };
  }

  /** The receipt: outcome, new due date, reasons, reference, what to remember, write-back status. */
  @Get(':reference')
  @Render('pages/case')
  async show(
    @ForMunicipality() municipality: CurrentMunicipality,
    @CurrentResident() resident: ResidentIdentity,
    @Req() req: Request,
    @Param('reference') reference: string,
  ) {
    const view = await this.cases.get(municipality.id, resident.pid, reference);
    if (!view) throw new NotFoundException();
    return {
      titleKey: 'deferrals.case.title',
      // The decision's audit entry, and whether its proof can be downloaded yet.
      auditEntry: await this.proofs.locate(view.request),
      checkpointMinutes: this.proofs.intervalMinutes,
      messageMax: OFFICER_MESSAGE_MAX,
      sent: req.query.sendt === '1',
      answered: req.query.besvart === '1',
      alreadyAsked: alreadyAsked(view, req.query),
      ...caseModel(view, requestLanguage(req)),
    };
  }

  @Post(':reference/saksbehandler')
  async sendToOfficer(
    @ForMunicipality() municipality: CurrentMunicipality,
    @CurrentResident() resident: ResidentIdentity,
    @Req() req: Request,
    @Res() res: Response,
    @Param('reference') reference: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const view = await this.cases.get(municipality.id, resident.pid, reference);
    if (!view) throw new NotFoundException();
    const message = typeof body?.message === 'string' ? body.message.trim() : '';
    const problem = textProblem(message);
    if (problem || !view.canSendToOfficer) {
      res.status(problem ? 400 : 409).render('pages/case', {
        titleKey: 'deferrals.case.title',
        messageMax: OFFICER_MESSAGE_MAX,
        ...caseModel(view, requestLanguage(req)),
        messageProblem: problem ?? 'notSendable',
        messageValue: message.slice(0, OFFICER_MESSAGE_MAX * 2),
        formErrors: textErrors('message', view.canSendToOfficer ? problem : null),
        // The form is gone (sent from another tab, decided meanwhile): said at the top instead.
        caseConflict: view.canSendToOfficer ? null : 'deferrals.case.messageProblems.notSendable',
      });
      return;
    }
    // Lost a race with another tab: the case page shows where the case stands now.
    const sent = await this.cases.sendToOfficer(municipality.id, resident.pid, reference, message);
    res.redirect(303, `/saker/${encodeURIComponent(reference)}${sent ? '?sendt=1' : ''}`);
  }

  /** The resident's answer to the officer's question. */
  @Post(':reference/svar')
  async answer(
    @ForMunicipality() municipality: CurrentMunicipality,
    @CurrentResident() resident: ResidentIdentity,
    @Req() req: Request,
    @Res() res: Response,
    @Param('reference') reference: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const view = await this.cases.get(municipality.id, resident.pid, reference);
    if (!view) throw new NotFoundException();
    const text = typeof body?.answer === 'string' ? body.answer.trim() : '';
    const problem = textProblem(text);
    const answered =
      !problem && (await this.cases.answer(municipality.id, resident.pid, reference, text));
    if (!answered) {
      const fresh = (await this.cases.get(municipality.id, resident.pid, reference)) ?? view;
      res.status(problem ? 400 : 409).render('pages/case', {
        titleKey: 'deferrals.case.title',
        messageMax: OFFICER_MESSAGE_MAX,
        ...caseModel(fresh, requestLanguage(req)),
        answerProblem: problem ?? 'notAnswerable',
        answerValue: text.slice(0, OFFICER_MESSAGE_MAX * 2),
        formErrors: textErrors('answer', fresh.canAnswer ? problem : null),
        caseConflict: fresh.canAnswer ? null : 'deferrals.case.answerProblems.notAnswerable',
      });
      return;
    }
    res.redirect(303, `/saker/${encodeURIComponent(reference)}?besvart=1`);
  }
}
