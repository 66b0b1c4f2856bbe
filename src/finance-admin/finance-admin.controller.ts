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
import { FinanceAdminService } from './finance-admin.service';
import { FinanceConnectionTest } from './finance-connection-test';
import type { FinanceSettingsValues } from './finance-settings-form';
import { FinanceAdminPage, type PageState } from './finance-admin.page';

const BASE = '/saksbehandler/drift/okonomisystem';
const PAGE = 'pages/staff/finance-settings';

/**
 * Operators' page for the finance system of each municipality they serve: what is configured
 * (credentials by variable name only), a form to change it, and "test connection". A
 * municipality they do not serve is not found.
 */
@Controller('saksbehandler/drift/okonomisystem')
@StaffOnly('operator')
export class FinanceAdminController {
  constructor(
    private readonly settings: FinanceAdminService,
    private readonly connection: FinanceConnectionTest,
    private readonly page: FinanceAdminPage,
  ) {}

  @Get()
  @Render(PAGE)
  async show(@CurrentStaff() staff: StaffMember, @Query('lagret') saved?: string) {
    return this.page.model(await this.served(staff), { saved: municipalitySlugOf(saved) });
  }

  @Post(':slug')
  async save(
    @CurrentStaff() staff: StaffMember,
    @Param('slug') slug: string,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    const values: FinanceSettingsValues = {
      adapter: text(body.adapter),
      baseUrl: text(body.baseUrl),
      vendor: text(body.vendor),
    };
    const outcome = municipalitySlugOf(slug)
      ? await this.settings.save(slug, this.servedIds(staff), actingStaff(staff), values)
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
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    const tenant = municipalitySlugOf(slug)
      ? await this.settings.tenant(slug, this.servedIds(staff))
      : undefined;
    if (!tenant) throw new NotFoundException();
    const pid = text(body.pid).replace(/\s/g, '');
    const invoiceNumber = text(body.invoiceNumber).trim();
    if (!FinanceConnectionTest.isIdentityNumber(pid)) {
      res.status(400);
      return this.render(res, staff, { slug, test: { pid, invoiceNumber, pidRefused: true } });
    }
    const result = await this.connection.run(tenant, actingStaff(staff), pid, invoiceNumber);
    // A test reads; what it saw is shown at once (200), not kept for a redirect.
    res.status(200);
    await this.render(res, staff, { slug, test: { pid: '', invoiceNumber, result } });
  }

  private servedIds(staff: StaffMember): string[] {
    return municipalitiesWhere(staff, 'operator');
  }

  private async served(staff: StaffMember) {
    return this.settings.views(this.servedIds(staff));
  }

  private async render(res: Response, staff: StaffMember, state: PageState): Promise<void> {
    res.render(PAGE, this.page.model(await this.served(staff), state));
  }
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
