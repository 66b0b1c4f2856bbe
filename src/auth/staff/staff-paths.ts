/** Everything staff see lives under this prefix; the staff session is read there and nowhere else. */
export const STAFF_PREFIX = '/saksbehandler';

/** Case-blind, as Express routes are: `/Saksbehandler` reaches the same handlers. */
export function isStaffPath(path: string): boolean {
  const lower = path.toLowerCase();
  return lower === STAFF_PREFIX || lower.startsWith(`${STAFF_PREFIX}/`);
}
