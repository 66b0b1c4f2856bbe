import { DomainError } from '../shared/domain-error';
import { safeReturnPath } from '../shared/request-context';

/** No signed-in person on a route that needs one; a browser asking for a page goes to log in. */
export class LoginRequiredError extends DomainError {
  readonly code = 'LOGIN_REQUIRED';
  readonly status = 401;
  readonly messageKey = '401';

  constructor() {
    super('Login required');
  }

  override pageRedirect(originalUrl: string): string {
    return `/auth/login?returnTo=${encodeURIComponent(originalUrl)}`;
  }
}

/**
 * A resident's form posted after the session ended (idle or absolute limit): nothing was done. Said
 * as what it is, with a login that comes back to `returnPath`, the page the form was on.
 */
export class SessionEndedError extends DomainError {
  readonly code = 'SESSION_ENDED';
  readonly status = 401;
  readonly messageKey = 'sessionEnded';
  override readonly offersLogin = true;
  override readonly loginPath: string;
  override readonly loginLabelKey = 'common.auth.loggedOut.again';

  constructor(returnPath: string) {
    super('Session ended before the form was sent');
    this.loginPath = `/auth/login?returnTo=${encodeURIComponent(safeReturnPath(returnPath, '/fakturaer'))}`;
  }
}

export type LoginFailure =
  'loginFailed' | 'loginMissingPid' | 'loginAcrTooLow' | 'loginUnavailable';

const STATUS: Record<LoginFailure, number> = {
  loginFailed: 401,
  loginMissingPid: 403,
  loginAcrTooLow: 403,
  loginUnavailable: 503,
};

/** A login that did not complete, with the page that explains why and offers to try again. */
export class LoginError extends DomainError {
  readonly code: string;
  readonly status: number;
  override readonly offersLogin = true;

  constructor(readonly messageKey: LoginFailure) {
    super(`Login failed: ${messageKey}`);
    this.code = messageKey;
    this.status = STATUS[messageKey];
  }
}
