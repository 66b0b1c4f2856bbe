import {
  Body,
  Controller,
  Get,
  NotFoundException,
  Param,
  Post,
  Query,
  Render,
  Res,
} from '@nestjs/common';
import type { Response } from 'express';
import {
  actingStaff,
  CurrentStaff,
  municipalitiesWhere,
  type StaffMember,
  StaffOnly,
} from '../auth';
import { municipalitySlugOf } from '../tenancy';
import { LETTER_FIELDS, type LetterSettingsValues } from './letter-settings-form';
import { LettersAdminPage, type PageState } from './letters-admin.page';
import { LettersAdminService } from './letters-admin.service';

const BASE = '/saksbehandler/drift/brev';
const PAGE = 'pages/staff/letter-settings';

/**
 * Operators' page for how each municipality's decision letters reach residents: e-mail, or
 * digital post through KS Fiks SvarUt (secrets by variable name only), with a Maskinporten token
 * test. A municipality they do not serve is not found.
 */
@Controller('saksbehandler/drift/brev')
@StaffOnly('operator')
export class LettersAdminController {
  constructor(
    private readonly settings: LettersAdminService,
    private readonly page: LettersAdminPage,
  ) {}

  @Get()
  @Render(PAGE)
  async show(@CurrentStaff() staff: StaffMember, @Query('lagret') saved?: string) {
    return this.page.model(await this.settings.views(served(staff)), {
      saved: municipalitySlugOf(saved),
    });
  }

  @Post(':slug')
  async save(
    @CurrentStaff() staff: StaffMember,
    @Param('slug') slug: string,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    const values = Object.fromEntries(
      LETTER_FIELDS.map((field) => [field, text(body[field])]),
    ) as unknown as LetterSettingsValues;
    const outcome = municipalitySlugOf(slug)
      ? await this.settings.save(slug, served(staff), actingStaff(staff), values)
      : undefined;
    if (!outcome) throw new NotFoundException();
    if (outcome.saved) return res.redirect(303, `${BASE}?lagret=${slug}`);
    res.status(400);
    await this.render(res, staff, { slug, values, refusals: outcome.refusals });
  }

  @Post(':slug/test')
  async test(
    @CurrentStaff() staff: StaffMember,
    @Param('slug') slug: string,
    @Res() res: Response,
  ): Promise<void> {
    const result = municipalitySlugOf(slug)
      ? await this.settings.testToken(slug, served(staff))
      : undefined;
    if (!result) throw new NotFoundException();
    res.status(200);
    await this.render(res, staff, { slug, test: result });
  }

  private async render(res: Response, staff: StaffMember, state: PageState): Promise<void> {
    res.render(PAGE, this.page.model(await this.settings.views(served(staff)), state));
  }
}

const served = (staff: StaffMember) => municipalitiesWhere(staff, 'operator');
const text = (value: unknown) => (typeof value === 'string' ? value : '');
