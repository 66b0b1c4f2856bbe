import type { MikroORM } from '@mikro-orm/core';
import { queryRows } from '../../database';
import { UUID } from '../audit-query';
import { type VerificationOutcome, withLinkTarget } from './verification-outcome';

/**
 * What a failure's entry is, for the page: whether a broken link points at another entry of the
 * chain (entries out of order), and the decision the entry is about, for a link to its page. Read
 * after the check, outside its snapshot: it only names things, the verdict stands as it was.
 */
export async function diagnose(
  orm: MikroORM,
  municipalityId: string,
  outcome: VerificationOutcome,
): Promise<VerificationOutcome> {
  if (outcome.verdict !== 'failed') return outcome;
  let named: VerificationOutcome = outcome;
  if (outcome.reason === 'link') {
    const [linked] = await queryRows<{ seq: number | string }>(
      orm,
      'select seq from audit_entries where municipality_id = ? and hash = ? order by seq limit 1',
      [municipalityId, outcome.actual],
    );
    named = withLinkTarget(outcome, linked ? Number(linked.seq) : null);
  }
  const [entry] = await queryRows<{ subject_id: string }>(
    orm,
    'select subject_id from audit_entries where municipality_id = ? and seq = ?',
    [municipalityId, outcome.seq],
  );
  if (!entry || !UUID.test(entry.subject_id) || named.verdict !== 'failed') return named;
  const [decision] = await queryRows<{ id: string; reference: string }>(
    orm,
    'select id, reference from deferral_requests where municipality_id = ? and id = ?',
    [municipalityId, entry.subject_id],
  );
  return decision
    ? { ...named, decision: { id: decision.id, reference: decision.reference } }
    : named;
}
