import { ExecutionContext, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import { safeReturnPath } from '../shared/request-context';
import { IDPORTEN, IdportenStrategy } from './idporten.strategy';
import { LoginError } from './auth.errors';
import { LoginRefusedError } from './resident-identity';

/**
 * Runs the ID-porten strategy: on /auth/login it redirects to ID-porten, on /auth/callback it
 * completes the login. Failures become pages a resident understands, never a stack trace.
 */
@Injectable()
export class IdportenLoginGuard extends AuthGuard(IDPORTEN) {
  constructor(private readonly moduleRef: ModuleRef) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!this.moduleRef.get(IdportenStrategy, { strict: false }))
      throw new LoginError('loginUnavailable');
    const req = context.switchToHttp().getRequest<Request>();
    if (req.path.endsWith('/login'))
      req.session.returnTo = safeReturnPath(req.query.returnTo, '/fakturaer');
    return (await super.canActivate(context)) as boolean;
  }

  override getAuthenticateOptions(): { session: boolean } {
    return { session: false };
  }

  override handleRequest<TUser>(err: unknown, user: TUser): TUser {
    if (err instanceof LoginRefusedError && err.reason !== 'notYetValid') {
      throw err.reason === 'acrTooLow'
        ? new LoginError('loginAcrTooLow')
        : new LoginError('loginMissingPid');
    }
    if (err || !user) throw new LoginError('loginFailed');
    return user;
  }
}
