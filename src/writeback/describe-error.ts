import { redactIdentityNumbers } from '../shared/national-identity-number';

/** Driver errors may quote a query's parameters; identity numbers are masked before logging. */
export function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return redactIdentityNumbers(text, '<11 digits>').slice(0, 500);
}
