import { createHash } from 'node:crypto';
import type { StaffIdentity } from '../identity';
import type { StaffRole } from './staff-role';

/** A member of staff as a staff route sees them: their roles in this request's municipality only. */
export interface StaffMember {
  /** The staff provider's `sub`. */
  readonly subject: string;
  readonly issuer: string;
  readonly name?: string;
  /**
   * Who did it, for audit entries and "drafted by"/"approved by" columns: `staff:<sub>`, stable
   * across logins and name changes (a `sub` longer than 80 characters or with characters outside
   * printable ASCII becomes `staff:sha256:<40 hex>` of it). Each `staff.login` audit entry pairs it
   * with the name the provider gave.
   */
  readonly actor: string;
  readonly roles: readonly StaffRole[];
  /**
   * Every municipality where the claim mapping gives them a role (this one included, if any), for
   * pages that span the municipalities an inter-municipal office serves.
   */
  readonly rolesByMunicipality: Readonly<Record<string, readonly StaffRole[]>>;
}

/** Who did a staff action, as its audit entry and a draft's "by" columns name them. */
export interface ActingStaff {
  readonly actor: string;
  readonly name?: string;
}

/** The member of staff as the one acting. */
export function actingStaff(staff: StaffMember): ActingStaff {
  return { actor: staff.actor, name: staff.name };
}

/** The municipalities (ids) where the member of staff holds `role`. */
export function municipalitiesWhere(staff: StaffMember, role: StaffRole): string[] {
  return Object.entries(staff.rolesByMunicipality)
    .filter(([, roles]) => roles.includes(role))
    .map(([id]) => id);
}

const PLAIN_SUBJECT = /^[\x21-\x7e]{1,80}$/;

export function staffActor(subject: string): string {
  if (PLAIN_SUBJECT.test(subject)) return `staff:${subject}`;
  return `staff:sha256:${createHash('sha256').update(subject).digest('hex').slice(0, 40)}`;
}

export function staffMember(identity: StaffIdentity, municipalityId: string): StaffMember {
  return {
    subject: identity.subject,
    issuer: identity.issuer,
    name: identity.name,
    actor: staffActor(identity.subject),
    roles: identity.roles[municipalityId] ?? [],
    rolesByMunicipality: identity.roles,
  };
}
