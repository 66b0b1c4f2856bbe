import { DomainError } from '../shared/domain-error';

/** A host name that is no municipality's, with no default municipality configured. */
export class UnknownMunicipalityError extends DomainError {
  readonly code = 'UNKNOWN_MUNICIPALITY';
  readonly status = 404;
  readonly messageKey = 'unknownMunicipality';

  constructor() {
    super('No municipality is served on this host name');
  }
}
