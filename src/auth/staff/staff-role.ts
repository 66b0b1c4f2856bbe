/**
 * What a member of staff may do in a municipality; the claim mapping gives each per municipality.
 * `operator` runs the installation: the finance-system settings, never cases, policy or audit.
 */
export const STAFF_ROLES = ['finance-officer', 'policy-approver', 'auditor', 'operator'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export function isStaffRole(value: unknown): value is StaffRole {
  return (STAFF_ROLES as readonly unknown[]).includes(value);
}
