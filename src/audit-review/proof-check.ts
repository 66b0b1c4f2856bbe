import { Injectable } from '@nestjs/common';
import {
  AuditCheckpoints,
  AuditInclusionProofs,
  PROOF_KIND,
  type ProofVerdict,
  verifyInclusionProof,
} from '../audit';

/** The largest proof text the page takes: a proof of a busy hour's chain is some hundred kB. */
export const PROOF_TEXT_MAX_BYTES = 2 * 1024 * 1024;

/** Input the page refuses beside the field, keeping the text. */
export const PROOF_INPUT_PROBLEMS = ['missing', 'notJson', 'tooLarge', 'notProof'] as const;
export type ProofInputProblem = (typeof PROOF_INPUT_PROBLEMS)[number];

/**
 * What the database says of the proven entry: the same hash at its seq, another, none, or not
 * asked (a municipality the auditor does not serve).
 */
export const CHAIN_ANSWERS = ['agrees', 'differs', 'missing', 'notServed'] as const;
export type ChainAnswer = (typeof CHAIN_ANSWERS)[number];

export type ProofCheck =
  | { readonly kind: 'refused'; readonly problem: ProofInputProblem }
  | { readonly kind: 'checked'; readonly verdict: ProofVerdict; readonly chain?: ChainAnswer };

/** The text as a proof's JSON, or why the page cannot take it. */
export function readProofText(text: string): { value: unknown } | { problem: ProofInputProblem } {
  if (text.trim() === '') return { problem: 'missing' };
  if (Buffer.byteLength(text, 'utf8') > PROOF_TEXT_MAX_BYTES) return { problem: 'tooLarge' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: 'notJson' };
  }
  const kind = (value as { kind?: unknown } | null)?.kind;
  return kind === PROOF_KIND ? { value } : { problem: 'notProof' };
}

/**
 * An auditor's check of a proof a resident brings: the proof itself under the portal's own public
 * keys (its current and earlier signing keys), and then the chain in the database, which must hold
 * the entry's hash at its seq. A proof that holds against a database that differs means the chain
 * was rewritten after the checkpoint was signed.
 */
@Injectable()
export class ProofCheckService {
  constructor(
    private readonly proofs: AuditInclusionProofs,
    private readonly checkpoints: AuditCheckpoints,
  ) {}

  async check(text: string, servedMunicipalityIds: readonly string[]): Promise<ProofCheck> {
    const read = readProofText(text);
    if ('problem' in read) return { kind: 'refused', problem: read.problem };
    const verdict = verifyInclusionProof(read.value, this.checkpoints.trustedKeys());
    if (!verdict.ok) return { kind: 'checked', verdict };
    if (!servedMunicipalityIds.includes(verdict.municipalityId))
      return { kind: 'checked', verdict, chain: 'notServed' };
    const stored = await this.proofs.hashAt(verdict.municipalityId, verdict.seq);
    const chain = stored === null ? 'missing' : stored === verdict.hash ? 'agrees' : 'differs';
    return { kind: 'checked', verdict, chain };
  }
}
