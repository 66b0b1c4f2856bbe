import { Controller, Get, NotFoundException, Param, ParseUUIDPipe, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CurrentStaff, municipalitiesWhere, type StaffMember, StaffOnly } from '../auth';
import { requestLanguage } from '../shared/request-context';
import { PolicyHistoryPages } from './policy-history.pages';

const uuid = new ParseUUIDPipe({ version: '4' });

/**
 * The policy history for auditors: every version of the municipalities they serve (who drafted
 * and approved it, when it was in force, how many decisions it made), and one version with what
 * changed from the one before. Read only; policy text is no personal data, so opening is not
 * recorded.
 */
@Controller('revisjon/regelverk')
@StaffOnly('auditor')
export class PolicyHistoryController {
  constructor(private readonly pages: PolicyHistoryPages) {}

  @Get()
  async list(@CurrentStaff() staff: StaffMember, @Res() res: Response): Promise<void> {
    res.render(
      'pages/audit/policy-history',
      await this.pages.list(municipalitiesWhere(staff, 'auditor')),
    );
  }

  @Get(':id')
  async version(
    @CurrentStaff() staff: StaffMember,
    @Param('id', uuid) id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const served = municipalitiesWhere(staff, 'auditor');
    const model = await this.pages.version(served, id, requestLanguage(req));
    if (!model) throw new NotFoundException();
    res.render('pages/audit/policy-version', model);
  }
}
