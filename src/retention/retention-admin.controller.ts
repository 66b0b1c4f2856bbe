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
import { RetentionAdminPage, type RetentionPageState } from './retention-admin.page';
import { RetentionAdminService } from './retention-admin.service';

const BASE = '/saksbehandler/drift/oppbevaring';
const PAGE = 'pages/staff/retention-settings';

/**
 * Operators' page for how long each municipality keeps residents' personal data after a decision
 * (its archive plan's period; the installation's RETENTION_YEARS where it sets none), with how many
 * requests the next daily run removes. A municipality they do not serve is not found.
 */
@Controller('saksbehandler/drift/oppbevaring')
@StaffOnly('operator')
export class RetentionAdminController {
  constructor(
    private readonly retention: RetentionAdminService,
    private readonly page: RetentionAdminPage,
  ) {}

  @Get()
  @Render(PAGE)
  async show(@CurrentStaff() staff: StaffMember, @Query('lagret') saved?: string) {
    return this.page.model(await this.retention.views(served(staff)), {
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
    const years = typeof body.years === 'string' ? body.years : '';
    const outcome = municipalitySlugOf(slug)
      ? await this.retention.save(slug, served(staff), actingStaff(staff), {
          years,
          confirmed: body.confirm === 'yes',
        })
      : undefined;
    if (!outcome) throw new NotFoundException();
    if (outcome.saved) return res.redirect(303, `${BASE}?lagret=${slug}`);
    res.status(400);
    const state: RetentionPageState = { slug, years, refused: outcome };
    res.render(PAGE, this.page.model(await this.retention.views(served(staff)), state));
  }
}

const served = (staff: StaffMember) => municipalitiesWhere(staff, 'operator');
