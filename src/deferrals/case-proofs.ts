import { Injectable } from '@nestjs/common';
import {
  AuditInclusionProofs,
  type EntryQuery,
  type LocatedEntry,
  type ProofOutcome,
} from '../audit';
import type { DeferralRequest } from './deferral-request.entity';

/**
 * The audit entry of a request's decision in force: the officer's (`case.decided`) once one has
 * decided, the policy's (`deferral.decided`) before. Both are appended with the request's id as
 * their subject.
 */
export function decisionEntryQuery(
  request: Pick<DeferralRequest, 'id' | 'municipalityId' | 'decidedBy'>,
): EntryQuery {
  return {
    municipalityId: request.municipalityId,
    subjectId: request.id,
    types: request.decidedBy ? ['case.decided'] : ['deferral.decided'],
  };
}

/** A resident's proof that their decision is in the audit chain, for the case page and its download. */
@Injectable()
export class CaseProofs {
  constructor(private readonly proofs: AuditInclusionProofs) {}

  /** How often checkpoints are signed (AUDIT_CHECKPOINT_MINUTES): a new decision waits at most this. */
  get intervalMinutes(): number {
    return this.proofs.intervalMinutes;
  }

  locate(request: DeferralRequest): Promise<LocatedEntry | null> {
    return this.proofs.locate(decisionEntryQuery(request));
  }

  build(request: DeferralRequest): Promise<ProofOutcome> {
    return this.proofs.build(decisionEntryQuery(request));
  }
}
