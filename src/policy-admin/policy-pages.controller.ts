import {
  Body,
  Controller,
  Get,
  Param,
  ParseUUIDPipe,
  Post,
  Render,
  Req,
  Res,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { actingStaff, CurrentStaff, type StaffMember, StaffOnly } from '../auth';
import { requestLanguage } from '../shared/request-context';
import { ForMunicipality, type CurrentMunicipality } from '../tenancy';
import { type DraftPageExtras, PolicyAdminService } from './policy-admin.service';
import { field } from './form-fields';

const BASE = '/saksbehandler/regelverk';
const uuid = new ParseUUIDPipe({ version: '4' });

/**
 * Finance officers' pages for their municipality's deferral policy: see the version in force, draft
 * a change (parameters form or JSON), try and simulate it, submit it, and — for a policy approver
 * who wrote none of it — approve or send it back; roll back; export and import `.policy.json`.
 * Every page is server-rendered and works without JavaScript; every write is a form with CSRF and
 * answers with a redirect (PRG) or the same page with the errors beside their fields.
 */
@Controller('saksbehandler/regelverk')
@StaffOnly('finance-officer', 'policy-approver')
export class PolicyPagesController {
  constructor(private readonly admin: PolicyAdminService) {}

  /** A refused form: 400 and the draft page again, with what was typed and each problem. */
  private async refuseOnDraftPage(
    res: Response,
    municipalityId: string,
    id: string,
    staff: StaffMember,
    req: Request,
    extras: DraftPageExtras,
  ): Promise<void> {
    const model = await this.admin.draftPage(
      municipalityId,
      id,
      staff,
      requestLanguage(req),
      extras,
    );
    res.status(400).render('pages/staff/policy-draft', model);
  }

  @Get()
  @Render('pages/staff/policy')
  overview(
    @ForMunicipality() municipality: CurrentMunicipality,
    @CurrentStaff() staff: StaffMember,
    @Req() req: Request,
  ) {
    return this.admin.overview(municipality.id, staff, requestLanguage(req));
  }

  @Post('utkast')
  @StaffOnly('finance-officer')
  async create(
    @ForMunicipality() municipality: CurrentMunicipality,
    @CurrentStaff() staff: StaffMember,
    @Res() res: Response,
  ): Promise<void> {
    const draft = await this.admin.drafts.createFromActive(municipality.id, actingStaff(staff));
    res.redirect(303, `${BASE}/utkast/${draft.id}`);
  }

  @Post('import')
  @StaffOnly('finance-officer')
  async import(
    @ForMunicipality() municipality: CurrentMunicipality,
    @CurrentStaff() staff: StaffMember,
    @Body() body: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    // A chosen file wins over pasted text; either way it becomes a draft, checked like any other.
    const text = req.file ? req.file.buffer.toString('utf8') : field(body, 'policy');
    if (!text.trim()) {
      res.status(400);
      res.render('pages/staff/policy', {
        ...(await this.admin.overview(municipality.id, staff, requestLanguage(req))),
        importError: 'staffPolicy.import.empty',
      });
      return;
    }
    const draft = await this.admin.drafts.createFromImport(
      municipality.id,
      text,
      actingStaff(staff),
    );
    res.redirect(303, `${BASE}/utkast/${draft.id}`);
  }

  @Get('utkast/:id')
  @Render('pages/staff/policy-draft')
  draft(
    @ForMunicipality() municipality: CurrentMunicipality,
    @CurrentStaff() staff: StaffMember,
    @Param('id', uuid) id: string,
    @Req() req: Request,
  ) {
    return this.admin.draftPage(municipality.id, id, staff, requestLanguage(req), {
      saved: req.query.lagret === '1',
    });
  }

  /** Saves the rule JSON as typed, valid or not; the page shows each error at its JSON path. */
  @Post('utkast/:id/json')
  @StaffOnly('finance-officer')
  async saveJson(
    @ForMunicipality() municipality: CurrentMunicipality,
    @CurrentStaff() staff: StaffMember,
    @Param('id', uuid) id: string,
    @Body() body: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const { errors } = await this.admin.drafts.save(
      municipality.id,
      id,
      field(body, 'policy'),
      actingStaff(staff),
    );
    if (errors.length === 0) return res.redirect(303, `${BASE}/utkast/${id}?lagret=1`);
    await this.refuseOnDraftPage(res, municipality.id, id, staff, req, {
      jsonErrors: errors,
    });
  }

  /** Saves the parameters form: its values are written into the draft's JSON, then all of it validated. */
  @Post('utkast/:id/parametere')
  @StaffOnly('finance-officer')
  async saveParameters(
    @ForMunicipality() municipality: CurrentMunicipality,
    @CurrentStaff() staff: StaffMember,
    @Param('id', uuid) id: string,
    @Body() body: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const result = await this.admin.saveParameters(municipality.id, id, body, actingStaff(staff));
    if (result.ok) return res.redirect(303, `${BASE}/utkast/${id}?lagret=1`);
    await this.refuseOnDraftPage(res, municipality.id, id, staff, req, {
      parameterErrors: result.errors,
      parameterValues: result.values,
    });
  }

  @Post('utkast/:id/send')
  @StaffOnly('finance-officer')
  async submit(
    @ForMunicipality() municipality: CurrentMunicipality,
    @CurrentStaff() staff: StaffMember,
    @Param('id', uuid) id: string,
    @Body() body: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const result = await this.admin.drafts.submit(
      municipality.id,
      id,
      actingStaff(staff),
      field(body, 'comment'),
    );
    if (result.ok) return res.redirect(303, `${BASE}/utkast/${id}`);
    await this.refuseOnDraftPage(res, municipality.id, id, staff, req, {
      submitErrors: result.errors,
    });
  }

  @Post('utkast/:id/godkjenn')
  @StaffOnly('policy-approver')
  async approve(
    @ForMunicipality() municipality: CurrentMunicipality,
    @CurrentStaff() staff: StaffMember,
    @Param('id', uuid) id: string,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    await this.admin.drafts.approve(
      municipality.id,
      id,
      actingStaff(staff),
      field(body, 'comment'),
    );
    res.redirect(303, `${BASE}?publisert=${id}`);
  }

  @Post('utkast/:id/send-tilbake')
  @StaffOnly('policy-approver')
  async sendBack(
    @ForMunicipality() municipality: CurrentMunicipality,
    @CurrentStaff() staff: StaffMember,
    @Param('id', uuid) id: string,
    @Body() body: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const comment = field(body, 'comment');
    if (!comment.trim()) {
      await this.refuseOnDraftPage(res, municipality.id, id, staff, req, {
        returnError: 'staffPolicy.review.commentRequired',
      });
      return;
    }
    await this.admin.drafts.returnToAuthors(municipality.id, id, actingStaff(staff), comment);
    res.redirect(303, `${BASE}/utkast/${id}`);
  }

  @Post('utkast/:id/forkast')
  @StaffOnly('finance-officer')
  async discard(
    @ForMunicipality() municipality: CurrentMunicipality,
    @CurrentStaff() staff: StaffMember,
    @Param('id', uuid) id: string,
    @Res() res: Response,
  ): Promise<void> {
    await this.admin.drafts.discard(municipality.id, id, actingStaff(staff));
    res.redirect(303, BASE);
  }

  @Get('versjoner/:id')
  @Render('pages/staff/policy-version')
  version(
    @ForMunicipality() municipality: CurrentMunicipality,
    @CurrentStaff() staff: StaffMember,
    @Param('id', uuid) id: string,
    @Req() req: Request,
  ) {
    return this.admin.versionPage(municipality.id, id, staff, requestLanguage(req));
  }

  /** The version as a `.policy.json` file, to share with another municipality or keep in a repository. */
  @Get('versjoner/:id/fil')
  async export(
    @ForMunicipality() municipality: CurrentMunicipality,
    @Param('id', uuid) id: string,
    @Res() res: Response,
  ): Promise<void> {
    const file = await this.admin.exportVersion(municipality.id, id);
    res.type('application/json').attachment(file.name).send(file.text);
  }

  /** A rollback is a draft like any other: it puts the old version back only when approved. */
  @Post('versjoner/:id/tilbakerulling')
  @StaffOnly('finance-officer')
  async rollback(
    @ForMunicipality() municipality: CurrentMunicipality,
    @CurrentStaff() staff: StaffMember,
    @Param('id', uuid) id: string,
    @Res() res: Response,
  ): Promise<void> {
    const draft = await this.admin.drafts.createRollback(municipality.id, id, actingStaff(staff));
    res.redirect(303, `${BASE}/utkast/${draft.id}`);
  }
}
