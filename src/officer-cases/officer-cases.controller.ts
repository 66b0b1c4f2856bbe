import {
  Body,
  Controller,
  Get,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Render,
  Req,
  Res,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { CurrentStaff, type StaffMember, StaffOnly } from '../auth';
import {
  CASE_TEXT_MAX,
  CaseWorkService,
  officerDueDateProblem,
  type CaseActionResult,
  type CaseActor,
} from '../deferrals';
import { containsIdentityNumber } from '../shared/national-identity-number';
import { requestLanguage } from '../shared/request-context';
import { ForMunicipality, publicOrigin, type CurrentMunicipality } from '../tenancy';
import { parseQueueFilter } from './case-queue';
import { OfficerCasesService } from './officer-cases.service';

const BASE = '/saksbehandler/saker';
const uuid = new ParseUUIDPipe({ version: '4' });
const actorOf = (staff: StaffMember): CaseActor => ({ actor: staff.actor, name: staff.name });
const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

/** A form's problems, by field, as the case page shows them beside the fields. */
type Problems = Record<string, string>;

function lengthProblem(value: string, missing: string): string | undefined {
  if (value === '') return missing;
  return textProblem(value);
}

/**
 * What the resident reads (and gets by e-mail) must not carry an identity number: the resident
 * knows their own, and an e-mail is no place for one.
 */
function textProblem(value: string): string | undefined {
  if (value.length > CASE_TEXT_MAX) return 'tooLong';
  if (containsIdentityNumber(value)) return 'identityNumber';
  return undefined;
}

/**
 * The finance officers' case work: the queue of cases waiting for a person (across every
 * municipality the officer serves), a case with everything needed to decide it, and the steps:
 * take (or take over a stale claim), give back, approve with a due date, reject with a reason,
 * ask the resident. Server-rendered, without JavaScript; every step is a CSRF-protected form that
 * answers with a redirect, or the case page again with the problem beside its field.
 */
@Controller('saksbehandler/saker')
@StaffOnly('finance-officer')
export class OfficerCasesController {
  constructor(
    private readonly pages: OfficerCasesService,
    private readonly work: CaseWorkService,
  ) {}

  @Get()
  @Render('pages/staff/cases')
  queue(
    @CurrentStaff() staff: StaffMember,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
  ) {
    const filter = parseQueueFilter(query, this.pages.served(staff));
    return this.pages.queuePage(staff, filter, requestLanguage(req));
  }

  @Get(':id')
  async show(
    @CurrentStaff() staff: StaffMember,
    @ForMunicipality() municipality: CurrentMunicipality,
    @Param('id', uuid) id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.render(res, staff, municipality, id, req, 200, {
      done: typeof req.query.ok === 'string' ? req.query.ok : undefined,
    });
  }

  @Post(':id/ta')
  async take(
    @CurrentStaff() staff: StaffMember,
    @ForMunicipality() municipality: CurrentMunicipality,
    @Param('id', uuid) id: string,
    @Body() body: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const from = text(body?.fra) || undefined;
    const result = await this.work.take(this.pages.served(staff), id, actorOf(staff), from);
    await this.answer(res, staff, municipality, id, req, result, 'taken');
  }

  @Post(':id/slipp')
  async release(
    @CurrentStaff() staff: StaffMember,
    @ForMunicipality() municipality: CurrentMunicipality,
    @Param('id', uuid) id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const result = await this.work.release(this.pages.served(staff), id, actorOf(staff));
    await this.answer(res, staff, municipality, id, req, result, 'released');
  }

  @Post(':id/innvilg')
  async approve(
    @CurrentStaff() staff: StaffMember,
    @ForMunicipality() municipality: CurrentMunicipality,
    @Param('id', uuid) id: string,
    @Body() body: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const found = await this.pages.find(staff, id);
    if (!found) throw new NotFoundException();
    const dueDate = text(body?.dueDate);
    const message = text(body?.approveMessage);
    const problems: Problems = {};
    const dateProblem = officerDueDateProblem(dueDate, found.request);
    if (dateProblem) problems.dueDate = dateProblem;
    const messageProblem = textProblem(message);
    if (messageProblem) problems.approveMessage = messageProblem;
    if (Object.keys(problems).length > 0)
      return this.render(res, staff, municipality, id, req, 400, {
        problems,
        values: { dueDate, approveMessage: message },
      });
    const result = await this.work.approve(this.pages.served(staff), id, actorOf(staff), {
      dueDate,
      message: message || null,
      origin: publicOrigin(req),
    });
    await this.answer(res, staff, municipality, id, req, result, 'approved');
  }

  @Post(':id/avslag')
  async reject(
    @CurrentStaff() staff: StaffMember,
    @ForMunicipality() municipality: CurrentMunicipality,
    @Param('id', uuid) id: string,
    @Body() body: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const found = await this.pages.find(staff, id);
    if (!found) throw new NotFoundException();
    const page = await this.pages.casePage(staff, found, municipality, requestLanguage(req));
    const code = text(body?.reasonCode);
    const own = text(body?.reasonText);
    const standard = page.rejectionTexts.find((t) => t.code === code);
    const problems: Problems = {};
    if (code !== '' && code !== 'own' && !standard) problems.reasonCode = 'unknown';
    // A standard text in the resident's language, with the officer's own words after it if any;
    // or only the officer's own words.
    const reason = [standard?.text, own].filter(Boolean).join('\n\n');
    if (!standard && !problems.reasonCode) {
      const problem = lengthProblem(own, 'missing');
      if (problem) problems.reasonText = problem;
    } else {
      const problem = textProblem(own);
      if (problem) problems.reasonText = problem;
    }
    if (Object.keys(problems).length > 0)
      return this.render(res, staff, municipality, id, req, 400, {
        problems,
        values: { reasonCode: code, reasonText: own },
      });
    const result = await this.work.reject(this.pages.served(staff), id, actorOf(staff), {
      reason,
      reasonCode: standard?.code ?? null,
      origin: publicOrigin(req),
    });
    await this.answer(res, staff, municipality, id, req, result, 'rejected');
  }

  @Post(':id/sporsmal')
  async ask(
    @CurrentStaff() staff: StaffMember,
    @ForMunicipality() municipality: CurrentMunicipality,
    @Param('id', uuid) id: string,
    @Body() body: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const question = text(body?.question);
    const problem = lengthProblem(question, 'missing');
    if (problem)
      return this.render(res, staff, municipality, id, req, 400, {
        problems: { question: problem },
        values: { question },
      });
    const result = await this.work.askResident(this.pages.served(staff), id, actorOf(staff), {
      question,
      origin: publicOrigin(req),
    });
    await this.answer(res, staff, municipality, id, req, result, 'asked');
  }

  /** A step done: back to the case (PRG). Refused: 404, or 409 and the case as it now stands. */
  private async answer(
    res: Response,
    staff: StaffMember,
    municipality: CurrentMunicipality,
    id: string,
    req: Request,
    result: CaseActionResult,
    done: string,
  ): Promise<void> {
    if (result.ok) return res.redirect(303, `${BASE}/${id}?ok=${done}`);
    if (result.refusal === 'not_found') throw new NotFoundException();
    await this.render(res, staff, municipality, id, req, 409, { refusal: result.refusal });
  }

  private async render(
    res: Response,
    staff: StaffMember,
    municipality: CurrentMunicipality,
    id: string,
    req: Request,
    status: number,
    extras: {
      problems?: Problems;
      values?: Record<string, string>;
      refusal?: string;
      done?: string;
    },
  ): Promise<void> {
    const found = await this.pages.find(staff, id);
    if (!found) throw new NotFoundException();
    const page = await this.pages.casePage(staff, found, municipality, requestLanguage(req));
    // Looking at a resident's case is recorded: who saw whose data, when.
    if (status === 200) await this.work.recordOpened(found.request, actorOf(staff));
    const problems = extras.problems ?? {};
    res.status(status).render('pages/staff/case', {
      ...page,
      ...extras,
      values: { dueDate: page.suggestedDueDate, ...extras.values },
      problemList: Object.entries(problems).map(([field, problem]) => ({ field, problem })),
      caseTextMax: CASE_TEXT_MAX,
    });
  }
}
