import { createHash } from 'node:crypto';
import { canonicalJson } from '../../shared/canonical-json';

/** Identifies a policy version: sha256 (hex) of its canonical JSON. Stored with every decision. */
export function policyHash(policy: unknown): string {
  return createHash('sha256').update(canonicalJson(policy), 'utf8').digest('hex');
}
