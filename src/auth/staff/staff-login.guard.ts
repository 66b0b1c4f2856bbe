import { type ExecutionContext, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import { safeReturnPath } from '../../shared/request-context';
import { isStaffPath, STAFF_PREFIX } from './staff-paths';
import { STAFF_OIDC, StaffOidcStrategy } from './staff-oidc.strategy';
import { StaffLoginError } from './staff.errors';

/**
 * Runs the staff strategy: on the login path it redirects to the staff provider, on the callback
 * it completes the login. Any failure is one page offering the staff login again.
 */
@Injectable()
export class StaffLoginGuard extends AuthGuard(STAFF_OIDC) {
  constructor(private readonly moduleRef: ModuleRef) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!this.moduleRef.get(StaffOidcStrategy, { strict: false }))
      throw new StaffLoginError('staffLoginUnavailable');
    const req = context.switchToHttp().getRequest<Request>();
    if (!req.path.endsWith('/callback')) {
      const returnTo = safeReturnPath(req.query.return, STAFF_PREFIX);
      req.session.staffReturnTo = isStaffPath(returnTo.split('?')[0]) ? returnTo : STAFF_PREFIX;
    }
    return (await super.canActivate(context)) as boolean;
  }

  override getAuthenticateOptions(): { session: boolean } {
    return { session: false };
  }

  override handleRequest<TUser>(err: unknown, user: TUser): TUser {
    if (err || !user) throw new StaffLoginError('staffLoginFailed');
    return user;
  }
}
