import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson } from '../../shared/canonical-json';
import { auditEntryHash, GENESIS_HASH, sha256Hex } from '../audit-hash';
import { signStatement, statementText } from '../checkpoints/checkpoint-statement';
import { EXPORT_FORMAT, type ExportEntry } from './export-format';
import { checkpointSeqs, verifyExport, verifyExportFile } from './export-verifier';

const MUNICIPALITY = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const keys = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');

/** Entries chained as the portal chains them, from `payloads`. */
function chain(payloads: readonly object[]): ExportEntry[] {
  let prevHash = GENESIS_HASH;
  return payloads.map((payload, seq) => {
    const createdAt = new Date(Date.UTC(2026, 10, 1, 9, seq)).toISOString();
    const payloadHash = sha256Hex(canonicalJson(payload));
    const hash = auditEntryHash({
      prevHash,
      seq,
      municipalityId: MUNICIPALITY,
      type: 'deferral.decided',
      subjectId: `request-${seq}`,
      createdAtIso: createdAt,
      payloadHash,
    });
    const entry: ExportEntry = {
      kind: 'entry',
      seq,
      type: 'deferral.decided',
      subjectId: `request-${seq}`,
      createdAt,
      payload,
      payloadHash,
      prevHash,
      hash,
      inPeriod: true,
    };
    prevHash = hash;
    return entry;
  });
}

function checkpoint(entry: ExportEntry, key: KeyObject = keys.privateKey) {
  const statement = statementText({
    municipalityId: MUNICIPALITY,
    municipality: 'nordby',
    seq: entry.seq,
    hash: entry.hash,
    time: '2026-11-01T10:00:00.000Z',
    keyId: 'k1',
  });
  return { kind: 'checkpoint', statement, signature: signStatement(statement, key) };
}

function file(entries: readonly object[], checkpoints: readonly object[], footer = true): string[] {
  const header = {
    kind: 'header',
    format: EXPORT_FORMAT,
    v: 1,
    municipalityId: MUNICIPALITY,
    municipality: 'nordby',
    period: { from: '2026-11-01', to: '2026-11-30' },
    fromSeq: 0,
    prevHash: GENESIS_HASH,
    exportedAt: '2026-12-01T00:00:00.000Z',
  };
  return [header, ...entries, ...checkpoints]
    .concat(
      footer ? [{ kind: 'footer', entries: entries.length, checkpoints: checkpoints.length }] : [],
    )
    .map((line) => JSON.stringify(line));
}

async function* linesOf(lines: readonly string[]) {
  for (const line of lines) yield line;
}

const verify = (lines: string[], key: KeyObject = keys.publicKey) =>
  verifyExport(linesOf(lines), [key]);

const payloads = [{ outcome: 'approved' }, { outcome: 'rejected' }, { outcome: 'approved' }];

describe(verifyExport, () => {
  it('accepts an export whose entries chain and whose checkpoint the key signed', async () => {
    const entries = chain(payloads);
    expect(await verify(file(entries, [checkpoint(entries[2])]))).toEqual({
      ok: true,
      municipality: 'nordby',
      entries: 3,
      checkpointsVerified: 1,
      signedUpTo: 2,
    });
  });

  it('names the entry whose payload was altered', async () => {
    const entries = chain(payloads);
    const altered = [entries[0], { ...entries[1], payload: { outcome: 'approved' } }, entries[2]];
    expect((await verify(file(altered, []))).problem).toBe(
      'line 3: entry 1: its payload is not what was chained (altered)',
    );
  });

  it('names the gap where an entry was removed, and the swap where two were reordered', async () => {
    const entries = chain(payloads);
    expect((await verify(file([entries[0], entries[2]], []))).problem).toBe(
      'line 3: entry 2 where entry 1 was due (removed or reordered)',
    );
    expect((await verify(file([entries[1], entries[0], entries[2]], []))).problem).toMatch(
      /^line 2: entry 1 where entry 0 was due/,
    );
  });

  it('refuses a chain recomputed after a change, against the checkpoint signed before it', async () => {
    const signed = chain(payloads);
    const rewritten = chain([payloads[0], { outcome: 'approved' }, payloads[2]]);
    const report = await verify(file(rewritten, [checkpoint(signed[2])]));
    expect(report.ok).toBe(false);
    expect(report.problem).toBe(
      'line 5: entry 2 differs from the signed checkpoint (the chain was rewritten)',
    );
  });

  it('refuses a checkpoint signed by another key, and one for an entry not exported', async () => {
    const entries = chain(payloads);
    expect((await verify(file(entries, [checkpoint(entries[2], other.privateKey)]))).problem).toBe(
      'line 5: checkpoint at entry 2: not signed by the given key',
    );
    const beyond = { ...entries[2], seq: 7 };
    expect((await verify(file(entries, [checkpoint(beyond)]))).problem).toBe(
      'line 5: checkpoint at entry 7: that entry is not in the export',
    );
  });

  it('gives the same verdicts when told the checkpoints beforehand, keeping only their hashes', async () => {
    const entries = chain(payloads);
    const told = async (lines: string[]) =>
      verifyExport(linesOf(lines), [keys.publicKey], {
        checkpointSeqs: await checkpointSeqs(linesOf(lines)),
      });
    const whole = file(entries, [checkpoint(entries[1])]);
    expect(await told(whole)).toEqual(await verify(whole));
    const rewritten = chain([payloads[0], { outcome: 'approved' }, payloads[2]]);
    const refused = file(rewritten, [checkpoint(entries[2])]);
    expect((await told(refused)).problem).toBe((await verify(refused)).problem);
    const beyond = file(entries, [checkpoint({ ...entries[2], seq: 7 })]);
    expect((await told(beyond)).problem).toBe((await verify(beyond)).problem);
  });

  it('finds every checkpoint line in the first reading, however its kind is written', async () => {
    const entries = chain(payloads);
    // The same JSON with the word nowhere in it as written.
    const escaped = JSON.stringify(checkpoint(entries[0])).replaceAll(
      'checkpoint',
      '\\u0063heckpoint',
    );
    expect(escaped).not.toContain('checkpoint');
    const lines = file(entries, [checkpoint(entries[2])]);
    lines.splice(4, 0, escaped);
    const seqs = await checkpointSeqs(linesOf(lines));
    expect([...seqs].sort()).toEqual([0, 2]);
    expect(
      await verifyExport(linesOf(lines), [keys.publicKey], { checkpointSeqs: seqs }),
    ).toMatchObject({ ok: true, checkpointsVerified: 2 });
  });

  it('says the file changed when a checkpoint was not there at the first reading', async () => {
    const entries = chain(payloads);
    const lines = file(entries, [checkpoint(entries[1])]);
    const report = await verifyExport(linesOf(lines), [keys.publicKey], {
      checkpointSeqs: new Set([2]),
    });
    expect(report.problem).toBe(
      'line 5: checkpoint at entry 1: the file changed while it was read',
    );
  });

  it('checks a file as it checks its lines, reading it twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'export-verifier-'));
    try {
      const entries = chain(payloads);
      const accepted = join(dir, 'accepted.jsonl');
      writeFileSync(accepted, file(entries, [checkpoint(entries[2])]).join('\n') + '\n');
      expect(await verifyExportFile(accepted, [keys.publicKey])).toEqual({
        ok: true,
        municipality: 'nordby',
        entries: 3,
        checkpointsVerified: 1,
        signedUpTo: 2,
      });
      const rewritten = chain([payloads[0], { outcome: 'approved' }, payloads[2]]);
      const refused = join(dir, 'refused.jsonl');
      writeFileSync(refused, file(rewritten, [checkpoint(entries[2])]).join('\r\n'));
      expect((await verifyExportFile(refused, [keys.publicKey])).problem).toBe(
        'line 5: entry 2 differs from the signed checkpoint (the chain was rewritten)',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses an export cut short, and a file that is not one', async () => {
    expect((await verify(file(chain(payloads), [], false))).problem).toBe(
      'line 4: no footer: the export is cut short',
    );
    expect((await verify(['{"kind":"something"}'])).problem).toMatch(/not an audit export/);
  });
});
