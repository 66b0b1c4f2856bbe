import { createParamDecorator, type ExecutionContext, ForbiddenException } from '@nestjs/common';
import type { Request } from 'express';
import type { ResidentIdentity } from './resident-identity';

/**
 * A person signed in through the municipality's own login (finance officers, auditors). Their
 * roles are per municipality; the staff login that sets them comes with the officers' issue.
 */
export interface StaffIdentity {
  kind: 'staff';
  subject: string;
  issuer: string;
  name?: string;
  /** Roles by municipality id. */
  roles: Readonly<Record<string, readonly string[]>>;
}

/** Who a session belongs to: a tagged union, so no code can take one kind for the other. */
export type Identity = ResidentIdentity | StaffIdentity;

/**
 * The signed-in resident of a resident route. Anything else (a staff session, or none) is refused,
 * so a handler can never see an identity without a `pid`.
 */
export const CurrentResident = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): ResidentIdentity => {
    const user: unknown = ctx.switchToHttp().getRequest<Request>().user;
    if (!isResident(user)) throw new ForbiddenException();
    return user;
  },
);

export function isResident(user: unknown): user is ResidentIdentity {
  const candidate = user as Partial<ResidentIdentity> | undefined;
  return (
    candidate?.kind === 'resident' && typeof candidate.pid === 'string' && candidate.pid !== ''
  );
}
