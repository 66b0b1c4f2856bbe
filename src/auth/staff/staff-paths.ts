/** The staff's pages: home, login, policy and case work. */
export const STAFF_PREFIX = '/saksbehandler';
/** The auditors' pages (read-only reviews of decisions and of the audit chain). */
export const AUDIT_PREFIX = '/revisjon';

/**
 * Everything staff see lives under one of these prefixes; the staff session is read there and
 * nowhere else, and the resident's session is never read there.
 */
export const STAFF_PREFIXES: readonly string[] = [STAFF_PREFIX, AUDIT_PREFIX];

/** Case-blind, as Express routes are: `/Saksbehandler` reaches the same handlers. */
export function isStaffPath(path: string): boolean {
  const lower = path.toLowerCase();
  return STAFF_PREFIXES.some((prefix) => lower === prefix || lower.startsWith(`${prefix}/`));
}
