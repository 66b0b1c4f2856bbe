import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { isStaff } from '../identity';
import { isStaffPath } from './staff-paths';
import { StaffLoginRequiredError, StaffRoleRequiredError } from './staff.errors';
import type { StaffRole } from './staff-role';

export const STAFF_ROLES_KEY = 'staffRoles';

/** Applied by `@StaffOnly`: a staff session of this municipality holding one of the roles. */
@Injectable()
export class StaffGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    // The staff session is read only under /saksbehandler: a staff route elsewhere could never
    // see one, so it is a mistake to be found at once rather than a route nobody can open.
    if (!isStaffPath(req.path))
      throw new Error(`@StaffOnly route outside /saksbehandler: ${req.path}`);
    const user: unknown = req.user;
    if (!isStaff(user) || !req.municipality) throw new StaffLoginRequiredError();
    const required =
      this.reflector.getAllAndOverride<StaffRole[] | undefined>(STAFF_ROLES_KEY, [
        context.getHandler(),
        context.getClass(),
      ]) ?? [];
    const held = user.roles[req.municipality.id] ?? [];
    const allowed =
      required.length === 0 ? held.length > 0 : required.some((r) => held.includes(r));
    if (!allowed) throw new StaffRoleRequiredError();
    return true;
  }
}
