/** What the auth feature offers the rest of the portal; other features import only this. */
export { CurrentResident, isResident } from './identity';
export { Public } from './public.decorator';
export type { ResidentIdentity } from './resident-identity';
export { CurrentStaff, StaffOnly } from './staff/staff-only.decorator';
export {
  type ActingStaff,
  actingStaff,
  municipalitiesWhere,
  type StaffMember,
} from './staff/staff-member';
export { STAFF_ROLES, type StaffRole } from './staff/staff-role';
export { STAFF_PREFIX } from './staff/staff-paths';
