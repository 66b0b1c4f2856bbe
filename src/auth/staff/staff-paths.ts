/** The staff's pages: home, login, policy and case work. */
export const STAFF_PREFIX = '/saksbehandler';
/**
 * Where the staff provider POSTs its logout tokens (Back-Channel Logout): no cookie and no CSRF
 * token come with them, the token's signature is what counts.
 */
export const STAFF_BACKCHANNEL_LOGOUT_PATH = `${STAFF_PREFIX}/backchannel-logout`;

/** A provider's back-channel logout call, as the route matches it (case-blind, a trailing slash). */
export function isBackChannelLogout(req: { method: string; path: string }): boolean {
  return (
    req.method === 'POST' &&
    req.path.toLowerCase().replace(/\/$/, '') === STAFF_BACKCHANNEL_LOGOUT_PATH
  );
}

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
