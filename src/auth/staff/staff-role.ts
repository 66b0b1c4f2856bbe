/** What a member of staff may do in a municipality; the claim mapping gives each per municipality. */
export const STAFF_ROLES = ['finance-officer', 'policy-approver', 'auditor'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export function isStaffRole(value: unknown): value is StaffRole {
  return (STAFF_ROLES as readonly unknown[]).includes(value);
}
