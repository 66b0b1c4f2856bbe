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

/** An activation named a version that is not one of the municipality's own. */
export class UnknownPolicyVersionError extends Error {
  override readonly name = 'UnknownPolicyVersionError';
  readonly code = 'policy.unknown-version';

  constructor(
    readonly municipalityId: string,
    readonly versionId: string,
  ) {
    super(`no policy version ${versionId} for municipality ${municipalityId}`);
  }
}

/** A stored version's text no longer validates or no longer hashes to its stored hash. */
export class StoredPolicyError extends Error {
  override readonly name = 'StoredPolicyError';
  readonly code = 'policy.stored-version-broken';

  constructor(
    readonly hash: string,
    problem: string,
  ) {
    super(`stored policy version ${hash.slice(0, 12)} ${problem}`);
  }
}
