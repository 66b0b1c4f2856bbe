import { DomainError } from '../shared/domain-error';

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
