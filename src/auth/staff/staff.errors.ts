import { DomainError } from '../../shared/domain-error';

export const STAFF_LOGIN_PATH = '/saksbehandler/logg-inn';

/** No staff session on a staff route: a browser asking for a page goes to the staff login. */
export class StaffLoginRequiredError extends DomainError {
  readonly code = 'STAFF_LOGIN_REQUIRED';
  readonly status = 401;
  readonly messageKey = 'staffLoginRequired';

  constructor() {
    super('Staff login required');
  }

  override pageRedirect(originalUrl: string): string {
    return `${STAFF_LOGIN_PATH}?return=${encodeURIComponent(originalUrl)}`;
  }
}

/** A staff session without a role this route needs, in this request's municipality. */
export class StaffRoleRequiredError extends DomainError {
  readonly code = 'STAFF_ROLE_REQUIRED';
  readonly status = 403;
  readonly messageKey = 'staffRoleRequired';

  constructor() {
    super('No staff role for this route in this municipality');
  }
}

export type StaffLoginFailure = 'staffLoginFailed' | 'staffLoginUnavailable';

/** A staff login that did not complete; the page offers the staff login again. */
export class StaffLoginError extends DomainError {
  readonly code: string;
  readonly status: number;
  override readonly offersLogin = true;
  override readonly loginPath = STAFF_LOGIN_PATH;

  constructor(readonly messageKey: StaffLoginFailure) {
    super(`Staff login failed: ${messageKey}`);
    this.code = messageKey;
    this.status = messageKey === 'staffLoginUnavailable' ? 503 : 401;
  }
}
