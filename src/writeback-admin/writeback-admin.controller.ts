import {
  Body,
  Controller,
  Get,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Render,
  Res,
} from '@nestjs/common';
import type { Response } from 'express';
import { CurrentStaff, municipalitiesWhere, type StaffMember, StaffOnly } from '../auth';
import { resolutionNoteProblem, WritebackService } from '../writeback';
import {
  type WritebackNotice,
  type WritebackPageOptions,
  WritebackPagePresenter,
} from './writeback-page.presenter';

const BASE = '/saksbehandler/tilbakeskriving';
const PAGE = 'pages/staff/writebacks';
const uuid = new ParseUUIDPipe({ version: '4' });
const NOTICES: readonly string[] = ['retried', 'resolved'] satisfies WritebackNotice[];

/**
 * Finance officers' follow-up of write-backs that failed for good, across every municipality
 * they serve: the list with each error explained, retry, and "resolved by hand" with a note of
 * what they did in the finance system. A job of a municipality they do not serve is not found.
 */
@Controller('saksbehandler/tilbakeskriving')
@StaffOnly('finance-officer')
export class WritebackAdminController {
  constructor(
    private readonly writeback: WritebackService,
    private readonly page: WritebackPagePresenter,
  ) {}

  @Get()
  @Render(PAGE)
  list(@CurrentStaff() staff: StaffMember, @Query() query: Record<string, unknown>) {
    const { kommune, ok } = query;
    return this.page.model(staff, {
      filter: typeof kommune === 'string' ? kommune : undefined,
      notice: typeof ok === 'string' && NOTICES.includes(ok) ? (ok as WritebackNotice) : undefined,
    });
  }

  @Post(':jobId/prov-igjen')
  async retry(
    @CurrentStaff() staff: StaffMember,
    @Param('jobId', uuid) jobId: string,
    @Res() res: Response,
  ): Promise<void> {
    const served = municipalitiesWhere(staff, 'finance-officer');
    if (await this.writeback.retry(jobId, served, actorOf(staff))) {
      return res.redirect(303, `${BASE}?ok=retried`);
    }
    await this.refuse(res, staff, jobId, served);
  }

  @Post(':jobId/lost-manuelt')
  async resolve(
    @CurrentStaff() staff: StaffMember,
    @Param('jobId', uuid) jobId: string,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    const served = municipalitiesWhere(staff, 'finance-officer');
    // Whether the job can be acted on at all comes first: a note beside a row not shown helps nobody.
    if ((await this.writeback.statusOf(jobId, served)) !== 'failed') {
      return this.refuse(res, staff, jobId, served);
    }
    const note = typeof body?.note === 'string' ? body.note : '';
    const problem = resolutionNoteProblem(note);
    if (problem) {
      const messageKey =
        problem === 'required' ? 'staffWriteback.noteRequired' : 'staffWriteback.noteTooLong';
      res.status(400);
      return this.render(res, staff, { refusal: { jobId, messageKey, value: note } });
    }
    if (await this.writeback.resolveByHand(jobId, served, actorOf(staff), note)) {
      return res.redirect(303, `${BASE}?ok=resolved`);
    }
    await this.refuse(res, staff, jobId, served);
  }

  /** The list again, saying why the job could not be acted on: 404 not theirs, 409 not failed. */
  private async refuse(
    res: Response,
    staff: StaffMember,
    jobId: string,
    served: string[],
  ): Promise<void> {
    const found = (await this.writeback.statusOf(jobId, served)) !== null;
    res.status(found ? 409 : 404);
    await this.render(res, staff, { problem: found ? 'notFailed' : 'notFound' });
  }

  private async render(
    res: Response,
    staff: StaffMember,
    options: WritebackPageOptions,
  ): Promise<void> {
    res.render(PAGE, await this.page.model(staff, options));
  }
}

function actorOf(staff: StaffMember) {
  return { actor: staff.actor, name: staff.name };
}
