import type { FormProblem } from './deferral-form';

/** The posted form cannot become a request; nothing was stored. Shown on the form itself. */
export class DeferralFormError extends Error {
  constructor(
    readonly problems: FormProblem[],
    readonly values: Record<string, string>,
  ) {
    super(`Deferral form refused: ${problems.join(', ')}`);
  }
}

/** The invoice cannot be deferred here at all (paid, in collection, window closed). Nothing stored. */
export class DeferralNotPossibleError extends Error {
  constructor(readonly reason: string) {
    super(`Deferral not possible: ${reason}`);
  }
}
