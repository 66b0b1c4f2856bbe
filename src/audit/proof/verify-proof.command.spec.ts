import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VERIFY_PROOF_USAGE, verifyProofCommand } from './verify-proof.command';

const dir = mkdtempSync(join(tmpdir(), 'verify-proof-'));
const keyFile = join(dir, 'key.pem');
writeFileSync(
  keyFile,
  generateKeyPairSync('ed25519').publicKey.export({ format: 'pem', type: 'spki' }).toString(),
);

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await verifyProofCommand(args, {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  });
  return { code, out, err };
}

describe(verifyProofCommand.name, () => {
  it('shows the usage (exit 2) without a file or without a key', async () => {
    expect(await run([])).toEqual({ code: 2, out: [], err: [VERIFY_PROOF_USAGE] });
    expect(await run([join(dir, 'x.json')])).toMatchObject({ code: 2 });
    expect(await run([join(dir, 'x.json'), '--public-key'])).toMatchObject({ code: 2 });
    expect(await run(['a.json', 'b.json', '--public-key', keyFile])).toMatchObject({ code: 2 });
  });

  it('answers NOT VERIFIED in one line (exit 1) for a file that is not JSON or not a proof', async () => {
    const notJson = join(dir, 'not.json');
    writeFileSync(notJson, '{"kind": ');
    expect(await run([notJson, '--public-key', keyFile])).toEqual({
      code: 1,
      out: [],
      err: [`NOT VERIFIED: ${notJson}: not JSON`],
    });
    const other = join(dir, 'export.json');
    writeFileSync(other, '{"kind":"minside-faktura/audit-export","v":1}');
    expect(await run([other, '--public-key', keyFile])).toEqual({
      code: 1,
      out: [],
      err: [
        `NOT VERIFIED: ${other}: not an audit inclusion proof (minside-faktura/audit-inclusion-proof v1)`,
      ],
    });
  });

  it('refuses a key file that holds no Ed25519 public key', async () => {
    const bad = join(dir, 'bad.pem');
    writeFileSync(bad, 'not a key');
    await expect(run([join(dir, 'not.json'), '--public-key', bad])).rejects.toThrow(
      'no "BEGIN PUBLIC KEY" block',
    );
  });
});
