/** A stored write-back error as officers read it: a sentence (translation key), a hint, the code. */
export interface ErrorExplanation {
  /** `staffWriteback.error.…`: what happened, in plain language. */
  key: string;
  /** `staffWriteback.hint.…`: what the officer can do about it. */
  hintKey: string;
  /** The part of the code the sentence may quote (a reason code, an exception name). */
  detail: string;
  /** The code as stored, for IT and the finance system's support. */
  code: string;
}

/** Reason codes the finance systems we know give; others are explained as "refused (CODE)". */
const REJECTIONS = new Set([
  'INVOICE_PAID',
  'INVOICE_IN_DEBT_COLLECTION',
  'DUE_DATE_NOT_LATER',
  'DUE_DATE_TOO_LATE',
  'IDEMPOTENCY_KEY_REUSED',
  'INVALID_REQUEST',
]);
const UNAVAILABLE = new Set([
  'timeout',
  'network',
  'server-error',
  'rate-limited',
  'bad-response',
  'circuit-open',
  'unauthorized',
  'not-configured',
]);
const NOT_FOUND = new Set(['invoice', 'municipality']);

const E = 'staffWriteback.error';
const H = 'staffWriteback.hint';

/**
 * Explains a `lastError` code as the outbox stores it (`rejected:<CODE>`, `not-found:<resource>`,
 * `unavailable:<reason>`, `invalid-command`, `unexpected:<Name>`). A code it does not know is
 * still shown, with a sentence that says so.
 */
export function explainWritebackError(code: string | null): ErrorExplanation {
  if (!code) return { key: `${E}.unknown`, hintKey: `${H}.unknown`, detail: '', code: '' };
  const colon = code.indexOf(':');
  const kind = colon < 0 ? code : code.slice(0, colon);
  const detail = colon < 0 ? '' : code.slice(colon + 1);
  const explained = (key: string, hint: string) => ({
    key: `${E}.${key}`,
    hintKey: `${H}.${hint}`,
    detail,
    code,
  });
  switch (kind) {
    case 'rejected':
      return explained(
        REJECTIONS.has(detail) ? `rejected.${detail}` : 'rejected.other',
        'rejected',
      );
    case 'not-found':
      return explained(NOT_FOUND.has(detail) ? `notFound.${detail}` : 'notFound.other', 'notFound');
    case 'unavailable':
      return explained(
        UNAVAILABLE.has(detail) ? `unavailable.${detail}` : 'unavailable.other',
        'unavailable',
      );
    case 'invalid-command':
      return explained('invalidCommand', 'invalidCommand');
    case 'unexpected':
      return explained('unexpected', 'unavailable');
    default:
      return explained('unknown', 'unknown');
  }
}

const CASE_REFERENCE = /\bUTS-[0-9A-Z]{4}-[0-9A-Z]{4}\b/;

/** The case reference in a write-back's reason ("Betalingsutsettelse UTS-7K3M-Q9TX"), else the reason. */
export function caseReferenceOf(reason: string): string {
  return CASE_REFERENCE.exec(reason)?.[0] ?? reason;
}
