import {
  applyDecorators,
  createParamDecorator,
  type ExecutionContext,
  SetMetadata,
  UseGuards,
} from '@nestjs/common';
import type { Request } from 'express';
import { isStaff } from '../identity';
import { StaffLoginRequiredError } from './staff.errors';
import { STAFF_ROLES_KEY, StaffGuard } from './staff.guard';
import { staffMember, type StaffMember } from './staff-member';
import type { StaffRole } from './staff-role';

/**
 * A staff route (class or handler), under `/saksbehandler` where the staff session is read. With
 * roles, the member of staff needs one of them in this request's municipality; with none, any
 * staff role there. No staff session: a page redirects to the staff login, anything else is 401;
 * a staff session without the role (or a resident's session, which is never read here): 403.
 */
export const StaffOnly = (...roles: StaffRole[]) =>
  applyDecorators(SetMetadata(STAFF_ROLES_KEY, roles), UseGuards(StaffGuard));

/** The signed-in member of staff on a `@StaffOnly` route, with their roles in this municipality. */
export const CurrentStaff = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): StaffMember => {
    const req = ctx.switchToHttp().getRequest<Request>();
    if (!isStaff(req.user) || !req.municipality) throw new StaffLoginRequiredError();
    return staffMember(req.user, req.municipality.id);
  },
);
