/** What the audit feature offers the rest of the portal; other features import only this. */
export { sha256Hex } from './audit-hash';
export { newAuditSalt, saltedSha256 } from './salted-hash';
export type { AuditPayload } from './audit-payload';
export { AuditModule } from './audit.module';
export { AuditService } from './audit.service';
export type { AuditAppend, AuditEntryRef } from './audit.service';
export { AuditCheckpoints } from './checkpoints/audit-checkpoints';
export type { CheckpointOutcome, SignedCheckpoint } from './checkpoints/audit-checkpoints';
export type { PublicKeyInfo } from './checkpoints/signing-key';
export { AuditEntry } from './audit-entry.entity';
export { AUDIT_ENTRY_TYPES, type AuditEntryType } from './audit-entry-type';
export { auditExportCsvRows, auditExportLines } from './export/audit-export';
export type { ExportRequest } from './export/audit-export';
export { AuditVerifier } from './verify/audit.verifier';
export type { VerifyRange } from './verify/audit.verifier';
export type { AuditVerification } from './verify/audit-chain-check';
export { AuditInclusionProofs } from './proof/inclusion-proofs';
export type { EntryQuery, LocatedEntry, ProofOutcome } from './proof/inclusion-proofs';
export { PROOF_KIND } from './proof/inclusion-proof.format';
export type { InclusionProof } from './proof/inclusion-proof.format';
export { PROOF_PROBLEM_CODES, verifyInclusionProof } from './proof/inclusion-proof.verifier';
export type {
  ProofProblem,
  ProofProblemCode,
  ProofVerdict,
} from './proof/inclusion-proof.verifier';
