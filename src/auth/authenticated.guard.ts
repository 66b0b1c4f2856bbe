import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { LoginRequiredError } from './auth.errors';
import { isResident, isStaff } from './identity';
import { IS_PUBLIC } from './public.decorator';
import { STAFF_ROLES_KEY } from './staff/staff.guard';
import { isStaffPath } from './staff/staff-paths';
import { StaffLoginRequiredError, StaffRoleRequiredError } from './staff/staff.errors';

/**
 * Deny by default: a route opens to visitors only with @Public(); a `@StaffOnly` route is left to
 * its own guard; every other route needs a signed-in resident. A member of staff on a route that
 * declares no staff role is refused, so a staff route cannot forget to say who may use it.
 */
@Injectable()
export class AuthenticatedGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    if (this.reflector.getAllAndOverride<unknown>(STAFF_ROLES_KEY, targets) !== undefined)
      return true;
    const req = context.switchToHttp().getRequest<Request>();
    const user: unknown = req.user;
    if (isResident(user)) return true;
    if (isStaff(user)) throw new StaffRoleRequiredError();
    if (user) return true; // any other session identity: its route's decorator refuses it
    throw isStaffPath(req.path) ? new StaffLoginRequiredError() : new LoginRequiredError();
  }
}
