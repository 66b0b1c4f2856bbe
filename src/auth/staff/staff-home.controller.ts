import { Controller, Get, Render } from '@nestjs/common';
import { ForMunicipality, type CurrentMunicipality } from '../../tenancy';
import { STAFF_PREFIX } from './staff-paths';
import { CurrentStaff, StaffOnly } from './staff-only.decorator';
import type { StaffMember } from './staff-member';

/** The staff's landing page: who is signed in, their roles here, and what those roles open. */
@Controller(STAFF_PREFIX)
export class StaffHomeController {
  @Get()
  @StaffOnly()
  @Render('pages/staff/home')
  home(@CurrentStaff() staff: StaffMember, @ForMunicipality() municipality: CurrentMunicipality) {
    const has = (...roles: StaffMember['roles']) => roles.some((r) => staff.roles.includes(r));
    return {
      titleKey: 'staff.home.title',
      member: { name: staff.name, subject: staff.subject },
      municipalityName: municipality.name,
      roles: staff.roles.map((role) => ({ key: `staff.roles.${role}` })),
      policy: has('finance-officer', 'policy-approver'),
      cases: has('finance-officer'),
      audit: has('auditor'),
      operations: has('operator'),
    };
  }
}
