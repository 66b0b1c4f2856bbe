import type { KeyObject } from 'node:crypto';
import { canonicalJson } from '../../shared/canonical-json';
import { auditEntryHash, sha256Hex } from '../audit-hash';
import { parseStatement, signedBy } from '../checkpoints/checkpoint-statement';
import { fingerprintOf } from '../checkpoints/signing-key';
import {
  type InclusionProof,
  PROOF_KIND,
  PROOF_VERSION,
  type ProofEntry,
  type ProofLink,
} from './inclusion-proof.format';

/** What can be wrong with a proof, for a page to say in the reader's language. */
export const PROOF_PROBLEM_CODES = [
  'notProof',
  'malformed',
  'payloadAltered',
  'entryAltered',
  'linkMissing',
  'linkAltered',
  'notStatement',
  'notSigned',
  'otherMunicipality',
  'checkpointSeq',
  'chainRewritten',
] as const;
export type ProofProblemCode = (typeof PROOF_PROBLEM_CODES)[number];

export interface ProofProblem {
  readonly code: ProofProblemCode;
  /** The entry the problem is at (or the one that was due). */
  readonly seq?: number;
  /** linkMissing: the entry found instead; checkpointSeq: the checkpoint's entry. */
  readonly found?: number;
  /** malformed: which field, e.g. `links[3].hash`. */
  readonly field?: string;
  /** The problem in one English line (the CLI's verdict). */
  readonly message: string;
}

export type ProofVerdict =
  | {
      readonly ok: true;
      readonly municipalityId: string;
      readonly municipality: string;
      readonly seq: number;
      readonly hash: string;
      readonly type: string;
      readonly subjectId: string;
      /** How many later entries were walked to reach the checkpoint. */
      readonly links: number;
      readonly checkpoint: { readonly seq: number; readonly time: string; readonly keyId: string };
      /** The fingerprint of the given key the checkpoint verified under. */
      readonly fingerprint: string;
    }
  | { readonly ok: false; readonly problem: ProofProblem };

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * Checks a proof with nothing but the proof and the public key(s) the reader trusts (never the key
 * inside the proof): the entry's payload hash and hash recomputed from its fields, each later
 * entry's hash recomputed on the one before with consecutive seqs, and the checkpoint signed by a
 * given key, of the same municipality, at the last entry with that entry's hash. Names the first
 * problem. Pure: the CLI and the auditors' page share it.
 */
export function verifyInclusionProof(
  value: unknown,
  publicKeys: readonly KeyObject[],
): ProofVerdict {
  const read = readProof(value);
  if ('problem' in read) return { ok: false, problem: read.problem };
  const { proof } = read;
  const { entry, municipalityId } = proof;
  const fail = (problem: Omit<ProofProblem, 'message'>): ProofVerdict => ({
    ok: false,
    problem: { ...problem, message: messageOf(problem) },
  });

  const payloadHash = sha256Hex(canonicalJson(entry.payload));
  if (payloadHash !== entry.payloadHash) return fail({ code: 'payloadAltered', seq: entry.seq });
  const entryHash = auditEntryHash({
    prevHash: entry.prevHash,
    seq: entry.seq,
    municipalityId,
    type: entry.type,
    subjectId: entry.subjectId,
    createdAtIso: entry.createdAt,
    payloadHash,
  });
  if (entryHash !== entry.hash) return fail({ code: 'entryAltered', seq: entry.seq });

  let last = { seq: entry.seq, hash: entry.hash };
  for (const link of proof.links) {
    if (link.seq !== last.seq + 1)
      return fail({ code: 'linkMissing', seq: last.seq + 1, found: link.seq });
    const hash = auditEntryHash({
      prevHash: last.hash,
      seq: link.seq,
      municipalityId,
      type: link.type,
      subjectId: link.subjectId,
      createdAtIso: link.createdAtIso,
      payloadHash: link.payloadHash,
    });
    if (hash !== link.hash) return fail({ code: 'linkAltered', seq: link.seq });
    last = { seq: link.seq, hash };
  }

  const { statement: text, signature } = proof.checkpoint;
  const statement = parseStatement(text);
  if (!statement) return fail({ code: 'notStatement' });
  const key = signedBy(text, signature, publicKeys);
  if (!key) return fail({ code: 'notSigned', seq: statement.seq });
  if (statement.municipalityId !== municipalityId) return fail({ code: 'otherMunicipality' });
  if (statement.seq !== last.seq)
    return fail({ code: 'checkpointSeq', seq: last.seq, found: statement.seq });
  if (statement.hash !== last.hash) return fail({ code: 'chainRewritten', seq: last.seq });
  return {
    ok: true,
    municipalityId,
    municipality: proof.municipality,
    seq: entry.seq,
    hash: entry.hash,
    type: entry.type,
    subjectId: entry.subjectId,
    links: proof.links.length,
    checkpoint: { seq: statement.seq, time: statement.time, keyId: statement.keyId },
    fingerprint: fingerprintOf(key),
  };
}

function messageOf(problem: Omit<ProofProblem, 'message'>): string {
  const { seq, found, field } = problem;
  switch (problem.code) {
    case 'notProof':
      return `not an audit inclusion proof (${PROOF_KIND} v${PROOF_VERSION})`;
    case 'malformed':
      return `${field}: missing or not valid`;
    case 'payloadAltered':
      return `entry ${seq}: its payload is not what was chained (altered)`;
    case 'entryAltered':
      return `entry ${seq}: its hash does not match its fields (altered)`;
    case 'linkMissing':
      return `entry ${found} where entry ${seq} was due (a link is missing or out of order)`;
    case 'linkAltered':
      return `entry ${seq}: its hash does not follow from its fields and the entry before it (altered)`;
    case 'notStatement':
      return 'the checkpoint is not a checkpoint statement';
    case 'notSigned':
      return `the checkpoint at entry ${seq} is not signed by the given key`;
    case 'otherMunicipality':
      return "the checkpoint is of another municipality's chain";
    case 'checkpointSeq':
      return `the checkpoint is of entry ${found}, but the links end at entry ${seq}`;
    case 'chainRewritten':
      return `entry ${seq} differs from the signed checkpoint (the chain was rewritten)`;
  }
}

type Read = { proof: InclusionProof } | { problem: ProofProblem };

/** The proof's shape checked field by field, naming the first field that is wrong. */
function readProof(value: unknown): Read {
  const malformed = (field: string): Read => ({
    problem: { code: 'malformed', field, message: messageOf({ code: 'malformed', field }) },
  });
  if (!isObject(value) || value.kind !== PROOF_KIND || value.v !== PROOF_VERSION)
    return { problem: { code: 'notProof', message: messageOf({ code: 'notProof' }) } };
  if (typeof value.municipalityId !== 'string') return malformed('municipalityId');
  const entry = value.entry;
  if (!isObject(entry)) return malformed('entry');
  const entryField = wrongField(entry, ENTRY_FIELDS);
  if (entryField) return malformed(`entry.${entryField}`);
  if (!('payload' in entry)) return malformed('entry.payload');
  if (!Array.isArray(value.links)) return malformed('links');
  for (const [i, link] of (value.links as unknown[]).entries()) {
    if (!isObject(link)) return malformed(`links[${i}]`);
    const linkField = wrongField(link, LINK_FIELDS);
    if (linkField) return malformed(`links[${i}].${linkField}`);
  }
  const checkpoint = value.checkpoint;
  if (!isObject(checkpoint)) return malformed('checkpoint');
  for (const field of ['statement', 'signature'])
    if (typeof checkpoint[field] !== 'string') return malformed(`checkpoint.${field}`);
  return { proof: value as unknown as InclusionProof };
}

type FieldKind = 'seq' | 'hex' | 'text';
const ENTRY_FIELDS: Record<keyof Omit<ProofEntry, 'payload'>, FieldKind> = {
  seq: 'seq',
  type: 'text',
  subjectId: 'text',
  createdAt: 'text',
  payloadHash: 'hex',
  prevHash: 'hex',
  hash: 'hex',
};
const LINK_FIELDS: Record<keyof ProofLink, FieldKind> = {
  seq: 'seq',
  type: 'text',
  subjectId: 'text',
  createdAtIso: 'text',
  payloadHash: 'hex',
  hash: 'hex',
};

function wrongField(value: Record<string, unknown>, fields: Record<string, FieldKind>) {
  return Object.entries(fields).find(([name, kind]) => {
    const field = value[name];
    if (kind === 'seq') return !Number.isSafeInteger(field) || (field as number) < 1;
    if (kind === 'hex') return typeof field !== 'string' || !HEX64.test(field);
    return typeof field !== 'string';
  })?.[0];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
