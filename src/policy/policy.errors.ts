import { ConfigError } from '../config/config.error';
import { formatPolicyError, type PolicyError } from './policy.types';

/** The facts handed to `evaluate` are incomplete or mistyped: a bug in the caller, not a decision. */
export class InvalidFactsError extends Error {
  override readonly name = 'InvalidFactsError';
  readonly code = 'policy.invalid-facts';

  constructor(readonly problems: readonly string[]) {
    super(`Facts for the deferral policy are invalid: ${problems.join('; ')}`);
  }
}

/** The policy file read at start-up does not validate; the app refuses to start with every reason. */
export class InvalidPolicyFileError extends ConfigError {
  constructor(
    readonly file: string,
    readonly errors: readonly PolicyError[],
  ) {
    super(`${file} is not a valid deferral policy: ${errors.map(formatPolicyError).join('; ')}`);
  }
}
