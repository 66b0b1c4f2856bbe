import { DomainError } from '../shared/domain-error';

/** A form field sent twice, or as anything but text (a JSON body), is a malformed request. */
export class MalformedFormError extends DomainError {
  readonly code = 'MALFORMED_FORM';
  readonly status = 400;
  readonly messageKey = '400';

  constructor(readonly field: string) {
    super(`Form field "${field}" is not one text value`);
  }
}

/** One text field of a posted form: '' when absent; a list or another type is refused (400). */
export function field(body: Record<string, unknown>, name: string): string {
  const value = body?.[name];
  if (value === undefined) return '';
  if (typeof value !== 'string') throw new MalformedFormError(name);
  return value;
}
