import type { EntityManager } from '@mikro-orm/core';
import { newAuditSalt } from '../../audit';
import { DeferralRequest } from '../deferral-request.entity';

/**
 * The request's salt for hashing a text into its audit entries. A row an instance of the previous
 * release inserted during a rolling upgrade has none: it gets one here, in the caller's
 * transaction, which has already locked the row with the step's conditional update.
 */
export async function auditSaltFor(em: EntityManager, request: DeferralRequest): Promise<string> {
  if (request.auditSalt) return request.auditSalt;
  const salt = newAuditSalt();
  const set = await em.nativeUpdate(
    DeferralRequest,
    { id: request.id, auditSalt: null, personalDataRemovedAt: null },
    { auditSalt: salt },
  );
  if (set !== 1) throw new Error(`Request ${request.reference} has no salt to hash its texts with`);
  request.auditSalt = salt;
  return salt;
}
