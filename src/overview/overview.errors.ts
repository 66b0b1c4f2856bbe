import { DomainError } from '../shared/domain-error';

/**
 * The CSV asked for with a choice the page would refuse: a municipality not served (403, the
 * staff pages' "no role here" text) or a malformed period (400). The page itself answers such a
 * choice with its form and the error beside the field.
 */
export class OverviewChoiceRefusedError extends DomainError {
  readonly code = 'OVERVIEW_CHOICE_REFUSED';
  readonly messageKey: string;

  constructor(readonly status: 400 | 403) {
    super(status === 403 ? 'Municipality not served by this member of staff' : 'Malformed choice');
    this.messageKey = status === 403 ? 'staffRoleRequired' : '400';
  }
}
