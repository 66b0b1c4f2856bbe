import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { canonicalJson } from '../../shared/canonical-json';
import { auditEntryHash, GENESIS_HASH, sha256Hex } from '../audit-hash';
import { signStatement, statementText } from '../checkpoints/checkpoint-statement';
import { fingerprintOf } from '../checkpoints/signing-key';
import { type InclusionProof, PROOF_KIND, type ProofLink } from './inclusion-proof.format';
import { verifyInclusionProof } from './inclusion-proof.verifier';

const MUNICIPALITY = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const OTHER_MUNICIPALITY = '16fd2706-8baf-433b-82eb-8c7fada847da';
const keys = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');

interface Chained extends ProofLink {
  payload: object;
  prevHash: string;
}

/** Entries 1…n chained as the portal chains them. */
function chain(n: number, municipalityId = MUNICIPALITY): Chained[] {
  let prevHash = GENESIS_HASH;
  return Array.from({ length: n }, (_, i) => {
    const seq = i + 1;
    const payload = { reference: `UTS-${seq}`, outcome: seq % 2 ? 'approved' : 'rejected' };
    const createdAtIso = new Date(Date.UTC(2026, 11, 1, 9, seq)).toISOString();
    const payloadHash = sha256Hex(canonicalJson(payload));
    const type = 'deferral.decided';
    const subjectId = `request-${seq}`;
    const hash = auditEntryHash({
      prevHash,
      seq,
      municipalityId,
      type,
      subjectId,
      createdAtIso,
      payloadHash,
    });
    const entry = { seq, type, subjectId, createdAtIso, payloadHash, hash, payload, prevHash };
    prevHash = hash;
    return entry;
  });
}

function checkpointAt(
  entry: { seq: number; hash: string },
  options: { key?: KeyObject; municipalityId?: string } = {},
) {
  const statement = statementText({
    municipalityId: options.municipalityId ?? MUNICIPALITY,
    municipality: 'nordby',
    seq: entry.seq,
    hash: entry.hash,
    time: '2026-12-01T10:00:00.000Z',
    keyId: 'k1',
  });
  return {
    statement,
    signature: signStatement(statement, options.key ?? keys.privateKey),
    keyId: 'k1',
  };
}

/** A proof of entry `at` in a chain of `n`, up to a checkpoint of its last entry. */
function proofOf(entries: Chained[], at: number): InclusionProof {
  const entry = entries[at - 1];
  const links = entries
    .slice(at)
    .map(({ seq, type, subjectId, createdAtIso, payloadHash, hash }) => ({
      seq,
      type,
      subjectId,
      createdAtIso,
      payloadHash,
      hash,
    }));
  return {
    kind: PROOF_KIND,
    v: 1,
    municipalityId: MUNICIPALITY,
    municipality: 'nordby',
    entry: {
      seq: entry.seq,
      type: entry.type,
      subjectId: entry.subjectId,
      createdAt: entry.createdAtIso,
      payload: entry.payload,
      payloadHash: entry.payloadHash,
      prevHash: entry.prevHash,
      hash: entry.hash,
    },
    links,
    checkpoint: checkpointAt(entries[entries.length - 1]),
    publicKey: { keyId: 'k1', pem: '', fingerprint: fingerprintOf(keys.publicKey) },
  };
}

/** A deep copy to alter: what an attacker (or a careless editor) would send. */
const copy = (proof: InclusionProof) => JSON.parse(JSON.stringify(proof)) as Editable;
interface Editable {
  municipalityId: string;
  entry: Record<string, unknown> & { payload: Record<string, unknown> };
  links: Record<string, unknown>[];
  checkpoint: Record<string, unknown>;
}

const verify = (proof: unknown, key: KeyObject = keys.publicKey) =>
  verifyInclusionProof(proof, [key]);

describe(verifyInclusionProof.name, () => {
  const entries = chain(6);

  it('accepts a sound proof, naming the entry, the checkpoint and the key it verified under', () => {
    expect(verify(proofOf(entries, 3))).toEqual({
      ok: true,
      municipalityId: MUNICIPALITY,
      municipality: 'nordby',
      seq: 3,
      hash: entries[2].hash,
      type: 'deferral.decided',
      subjectId: 'request-3',
      links: 3,
      checkpoint: { seq: 6, time: '2026-12-01T10:00:00.000Z', keyId: 'k1' },
      fingerprint: fingerprintOf(keys.publicKey),
    });
  });

  it('accepts a proof of the checkpoint’s own entry (no links), and after a round trip through JSON', () => {
    const proof = proofOf(entries, 6);
    expect(proof.links).toEqual([]);
    expect(verify(JSON.parse(canonicalJson(proof)))).toMatchObject({ ok: true, seq: 6, links: 0 });
  });

  it('accepts the checkpoint under any of several given keys (a key change)', () => {
    expect(
      verifyInclusionProof(proofOf(entries, 2), [other.publicKey, keys.publicKey]),
    ).toMatchObject({ ok: true });
  });

  it('names an altered payload', () => {
    const proof = copy(proofOf(entries, 3));
    proof.entry.payload.outcome = 'rejected';
    expect(verify(proof)).toEqual({
      ok: false,
      problem: {
        code: 'payloadAltered',
        seq: 3,
        message: 'entry 3: its payload is not what was chained (altered)',
      },
    });
  });

  it('names an entry whose fields were altered, its payload hash made to match', () => {
    const proof = copy(proofOf(entries, 3));
    proof.entry.subjectId = 'request-99';
    expect(verify(proof)).toMatchObject({ ok: false, problem: { code: 'entryAltered', seq: 3 } });
  });

  it('names an altered link', () => {
    const proof = copy(proofOf(entries, 2));
    proof.links[1].type = 'writeback.succeeded';
    expect(verify(proof)).toEqual({
      ok: false,
      problem: {
        code: 'linkAltered',
        seq: 4,
        message:
          'entry 4: its hash does not follow from its fields and the entry before it (altered)',
      },
    });
  });

  it('names a missing link', () => {
    const proof = copy(proofOf(entries, 2));
    proof.links.splice(1, 1);
    expect(verify(proof)).toEqual({
      ok: false,
      problem: {
        code: 'linkMissing',
        seq: 4,
        found: 5,
        message: 'entry 5 where entry 4 was due (a link is missing or out of order)',
      },
    });
  });

  it('names the last link missing: the checkpoint is of an entry the links do not reach', () => {
    const proof = copy(proofOf(entries, 2));
    proof.links.pop();
    expect(verify(proof)).toMatchObject({
      ok: false,
      problem: {
        code: 'checkpointSeq',
        seq: 5,
        found: 6,
        message: 'the checkpoint is of entry 6, but the links end at entry 5',
      },
    });
  });

  it('refuses a checkpoint signed by another key than the one given', () => {
    expect(verify(proofOf(entries, 3), other.publicKey)).toEqual({
      ok: false,
      problem: {
        code: 'notSigned',
        seq: 6,
        message: 'the checkpoint at entry 6 is not signed by the given key',
      },
    });
    const forged = copy(proofOf(entries, 3));
    forged.checkpoint = checkpointAt(entries[5], { key: other.privateKey });
    expect(verify(forged)).toMatchObject({ ok: false, problem: { code: 'notSigned' } });
  });

  it('refuses a sound checkpoint of another entry than the one the links end at', () => {
    const proof = copy(proofOf(entries, 3));
    proof.checkpoint = checkpointAt(entries[4]);
    expect(verify(proof)).toMatchObject({
      ok: false,
      problem: { code: 'checkpointSeq', seq: 6, found: 5 },
    });
  });

  it('refuses a chain recomputed after a change: the signed checkpoint names the old hash', () => {
    // As someone with database access would: the payload changed, every hash after it recomputed.
    const forged = chainWithPayload(3, { reference: 'UTS-3', outcome: 'rejected' });
    const proof = copy(proofOf(forged, 3));
    proof.checkpoint = checkpointAt(entries[5]);
    expect(verify(proof)).toEqual({
      ok: false,
      problem: {
        code: 'chainRewritten',
        seq: 6,
        message: 'entry 6 differs from the signed checkpoint (the chain was rewritten)',
      },
    });
  });

  it('refuses a checkpoint of another municipality, and a proof claiming another municipality', () => {
    const foreign = copy(proofOf(entries, 3));
    foreign.checkpoint = checkpointAt(entries[5], { municipalityId: OTHER_MUNICIPALITY });
    expect(verify(foreign)).toMatchObject({
      ok: false,
      problem: { code: 'otherMunicipality' },
    });
    // The municipality is hashed into every entry: claiming another breaks the entry itself.
    const claimed = copy(proofOf(entries, 3));
    claimed.municipalityId = OTHER_MUNICIPALITY;
    expect(verify(claimed)).toMatchObject({ ok: false, problem: { code: 'entryAltered' } });
  });

  it('refuses what is not a proof, and names a field that is missing or wrong', () => {
    expect(verify({ kind: 'minside-faktura/audit-export', v: 1 })).toMatchObject({
      ok: false,
      problem: { code: 'notProof' },
    });
    expect(verify([1, 2])).toMatchObject({ ok: false, problem: { code: 'notProof' } });
    expect(verify({ ...proofOf(entries, 3), v: 2 })).toMatchObject({
      ok: false,
      problem: { code: 'notProof' },
    });
    const badHash = copy(proofOf(entries, 2));
    badHash.links[2].hash = 'not-a-hash';
    expect(verify(badHash)).toEqual({
      ok: false,
      problem: {
        code: 'malformed',
        field: 'links[2].hash',
        message: 'links[2].hash: missing or not valid',
      },
    });
    const noPayload = copy(proofOf(entries, 2));
    delete (noPayload.entry as Record<string, unknown>).payload;
    expect(verify(noPayload)).toMatchObject({
      problem: { code: 'malformed', field: 'entry.payload' },
    });
    const noSignature = copy(proofOf(entries, 2));
    delete noSignature.checkpoint.signature;
    expect(verify(noSignature)).toMatchObject({
      problem: { code: 'malformed', field: 'checkpoint.signature' },
    });
    const notStatement = copy(proofOf(entries, 2));
    notStatement.checkpoint.statement = '{"kind":"something else"}';
    expect(verify(notStatement)).toMatchObject({ problem: { code: 'notStatement' } });
  });
});

/** The same six entries, but entry `seq` with another payload and every hash from it recomputed. */
function chainWithPayload(seq: number, payload: object): Chained[] {
  const original = chain(6);
  let prevHash = GENESIS_HASH;
  return original.map((entry) => {
    const body = entry.seq === seq ? payload : entry.payload;
    const payloadHash = sha256Hex(canonicalJson(body));
    const hash = auditEntryHash({
      prevHash,
      seq: entry.seq,
      municipalityId: MUNICIPALITY,
      type: entry.type,
      subjectId: entry.subjectId,
      createdAtIso: entry.createdAtIso,
      payloadHash,
    });
    const next = { ...entry, payload: body, payloadHash, hash, prevHash };
    prevHash = hash;
    return next;
  });
}
