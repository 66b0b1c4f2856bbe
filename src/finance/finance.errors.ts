/**
 * Failures of a finance system call, the same for every adapter. Callers branch on the class:
 * not found and rejected are final for that request; unavailable may succeed later.
 */
export abstract class FinanceError extends Error {
  abstract readonly code: string;
}

/** The invoice (or municipality) does not exist for this resident. Another resident's invoice is also "not found". */
export class FinanceNotFoundError extends FinanceError {
  override readonly name = 'FinanceNotFoundError';
  readonly code = 'FINANCE_NOT_FOUND';

  constructor(readonly resource: 'invoice' | 'municipality') {
    super(`The finance system has no such ${resource} for this resident`);
  }
}

/** Reason codes finance systems give; a finance system may send codes beyond these. */
export type FinanceRejectionReason =
  | 'INVOICE_PAID'
  | 'INVOICE_IN_DEBT_COLLECTION'
  | 'DUE_DATE_NOT_LATER'
  | 'DUE_DATE_TOO_LATE'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'INVALID_REQUEST'
  | (string & {});

/** The finance system understood the request and refused it; retrying will not help. */
export class FinanceRejectedError extends FinanceError {
  override readonly name = 'FinanceRejectedError';
  readonly code = 'FINANCE_REJECTED';

  /** `message` is the finance system's own text: for logs and officers, not for residents. */
  constructor(
    readonly reasonCode: FinanceRejectionReason,
    message: string,
  ) {
    super(message);
  }
}

export type FinanceUnavailableReason =
  | 'timeout'
  | 'network'
  | 'server-error'
  | 'rate-limited'
  | 'bad-response'
  | 'circuit-open'
  | 'unauthorized'
  | 'not-configured';

/** The finance system could not give a usable answer now; the same call may succeed later. */
export class FinanceUnavailableError extends FinanceError {
  override readonly name = 'FinanceUnavailableError';
  readonly code = 'FINANCE_UNAVAILABLE';
  readonly retryable = true;

  constructor(
    readonly reason: FinanceUnavailableReason,
    message: string,
    /** Seconds the finance system asked us to wait (Retry-After), or until the circuit half-opens. */
    readonly retryAfterSeconds?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
