import { createParamDecorator, type ExecutionContext, ForbiddenException } from '@nestjs/common';
import type { Request } from 'express';
import type { ResidentIdentity } from './resident-identity';
import type { StaffRole } from './staff/staff-role';

/**
 * A person signed in through the municipality's own login (finance officers, approvers, auditors),
 * kept in a staff session only. Their roles are per municipality, from the claim mapping.
 */
export interface StaffIdentity {
  kind: 'staff';
  /** The provider's `sub`. */
  subject: string;
  issuer: string;
  name?: string;
  /** Roles by municipality id (a staff session holds those of the municipality it was made on). */
  roles: Readonly<Record<string, readonly StaffRole[]>>;
  /** The raw ID token, sent back as `id_token_hint` on logout. */
  idToken?: string;
  /** The provider's session id (`sid`), for front-channel logout. */
  sid?: string;
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

export function isStaff(user: unknown): user is StaffIdentity {
  const candidate = user as Partial<StaffIdentity> | undefined;
  return (
    candidate?.kind === 'staff' &&
    typeof candidate.subject === 'string' &&
    candidate.subject !== '' &&
    typeof candidate.roles === 'object' &&
    candidate.roles !== null
  );
}
