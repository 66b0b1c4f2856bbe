import { DomainError } from '../../shared/domain-error';

/** No such draft or version for this municipality (another municipality's are not found either). */
export class DraftNotFoundError extends DomainError {
  readonly code = 'POLICY_DRAFT_NOT_FOUND';
  readonly status = 404;
  readonly messageKey = '404';

  constructor() {
    super('No such policy draft or version for this municipality');
  }
}

/** The draft is not in a state that allows this step (e.g. approving one not submitted). */
export class DraftStateError extends DomainError {
  readonly code = 'POLICY_DRAFT_STATE';
  readonly status = 409;
  readonly messageKey = 'draftState';

  constructor(readonly draftStatus: string) {
    super(`The policy draft is ${draftStatus}; this step is not possible now`);
  }
}

/** Four eyes: nobody approves a draft they wrote any of. */
export class OwnDraftApprovalError extends DomainError {
  readonly code = 'POLICY_OWN_DRAFT';
  readonly status = 403;
  readonly messageKey = 'ownDraft';

  constructor() {
    super('A policy draft must be approved by someone who did not write it');
  }
}

/** The municipality has no policy in force to draft from (it is seeded at start). */
export class PolicyNotInForceError extends Error {
  override readonly name = 'PolicyNotInForceError';

  constructor(readonly municipalityId: string) {
    super(`No policy in force for municipality ${municipalityId}`);
  }
}
