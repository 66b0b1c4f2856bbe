import type { Request } from 'express';
import { SessionEndedError } from '../auth.errors';
import { isStaffPath } from '../staff/staff-paths';

/** `/<section>/<id>/<action>`, the resident's forms: the page they are on is `/<section>/<id>`. */
const FORM_ACTION = /^(\/[a-z-]+\/[A-Za-z0-9_.~%-]+)\/[a-z-]+$/;

/**
 * A token refused on a resident's form (`/<section>/<id>/<action>`) of the portal's own when no one
 * is signed in: the token was bound to a session that has ended (idle or absolute limit) while the
 * page was open. Answered as that (401, log in again, back to the page) rather than a bare 403.
 * With a live session a refused token is no lapse of time but a forged or stale form, and a post
 * anywhere else (logout, an unknown path) is no resident's form: both left a 403.
 */
export function sessionEndedOnRefusedToken(req: Request): SessionEndedError | undefined {
  if (req.user !== undefined || isStaffPath(req.path)) return undefined;
  const page = FORM_ACTION.exec(req.path)?.[1];
  return page ? new SessionEndedError(page) : undefined;
}
