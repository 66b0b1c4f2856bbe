import { DomainError } from '../shared/domain-error';
import type { FormProblem } from './deferral-form';

/** The posted form cannot become a request; nothing was stored. Shown on the form itself. */
export class DeferralFormError extends DomainError {
  readonly code = 'DEFERRAL_FORM';
  readonly status = 400;
  readonly messageKey = '400';

  constructor(
    readonly problems: FormProblem[],
    readonly values: Record<string, string>,
  ) {
    super(`Deferral form refused: ${problems.join(', ')}`);
  }
}

/** The invoice cannot be deferred here at all (paid, in collection, window closed). Nothing stored. */
export class DeferralNotPossibleError extends DomainError {
  readonly code = 'DEFERRAL_NOT_POSSIBLE';
  readonly status = 409;
  readonly messageKey = '400';

  constructor(readonly reason: string) {
    super(`Deferral not possible: ${reason}`);
  }
}
