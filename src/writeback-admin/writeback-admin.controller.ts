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
  type WritebackProblem,
} from './writeback-page.presenter';

const BASE = '/saksbehandler/tilbakeskriving';
const PAGE = 'pages/staff/writebacks';
const uuid = new ParseUUIDPipe({ version: '4' });
const NOTICES: readonly string[] = [
  'retried',
  'resolved',
  'registered',
  'checked',
] satisfies WritebackNotice[];
/** The counts a "check now" passes to its status message; anything else is left out. */
const COUNT = /^\d{1,6}$/;

/**
 * Finance officers' follow-up of write-backs, across every municipality they serve: new due dates
 * handed over for them to register (marked registered here, or closed by a read of the invoice,
 * which they may start now), and write-backs that failed for good, with each error explained,
 * retry, and "resolved by hand" with a note of what they did in the finance system. A job of a
 * municipality they do not serve is not found.
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
    const { kommune, ok, lest, lukket } = query;
    const notice =
      typeof ok === 'string' && NOTICES.includes(ok) ? (ok as WritebackNotice) : undefined;
    const counted = (value: unknown) =>
      typeof value === 'string' && COUNT.test(value) ? Number(value) : undefined;
    const [checked, closed] = [counted(lest), counted(lukket)];
    return this.page.model(staff, {
      filter: typeof kommune === 'string' ? kommune : undefined,
      notice:
        notice === 'checked' && (checked === undefined || closed === undefined)
          ? undefined
          : notice,
      checked:
        notice === 'checked' && checked !== undefined && closed !== undefined
          ? { checked, closed }
          : undefined,
    });
  }

  /**
   * Reads the invoices of the officer's open hand-overs now, as the periodic check does, and
   * tells how many it closed. A read that fails leaves its task open, and only the log says so.
   */
  @Post('sjekk')
  async check(@CurrentStaff() staff: StaffMember, @Res() res: Response): Promise<void> {
    const served = municipalitiesWhere(staff, 'finance-officer');
    const result = await this.writeback.checkHandovers(served);
    const closed = result.confirmed + result.notNeeded;
    res.redirect(303, `${BASE}?ok=checked&lest=${result.checked}&lukket=${closed}`);
  }

  @Post(':jobId/registrert')
  async register(
    @CurrentStaff() staff: StaffMember,
    @Param('jobId', uuid) jobId: string,
    @Res() res: Response,
  ): Promise<void> {
    const served = municipalitiesWhere(staff, 'finance-officer');
    if (await this.writeback.registerByHand(jobId, served, actorOf(staff))) {
      return res.redirect(303, `${BASE}?ok=registered`);
    }
    await this.refuse(res, staff, jobId, served, 'notHandedOver');
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

  /**
   * The list again, saying why the job could not be acted on: 404 not theirs, 409 not in the
   * state the form needs (failed, or handed over).
   */
  private async refuse(
    res: Response,
    staff: StaffMember,
    jobId: string,
    served: string[],
    conflict: WritebackProblem = 'notFailed',
  ): Promise<void> {
    const found = (await this.writeback.statusOf(jobId, served)) !== null;
    res.status(found ? 409 : 404);
    await this.render(res, staff, { problem: found ? conflict : 'notFound' });
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
