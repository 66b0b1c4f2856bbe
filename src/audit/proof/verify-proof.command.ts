import { readFile } from 'node:fs/promises';
import { readPublicKeys } from '../checkpoints/signing-key';
import { verifyInclusionProof } from './inclusion-proof.verifier';

export const VERIFY_PROOF_USAGE =
  'usage: npm run audit:verify-proof -- <revisjonsbevis.json> --public-key <key.pem> [--public-key <older.pem>]';

export interface CommandOutput {
  out(line: string): void;
  err(line: string): void;
}

/**
 * `npm run audit:verify-proof -- revisjonsbevis.json --public-key key.pem`: checks a resident's
 * proof with the file and the municipality's published public key(s) only, no database. One line:
 * VERIFIED (exit 0), NOT VERIFIED naming the first problem (exit 1), or the usage (exit 2).
 */
export async function verifyProofCommand(
  args: readonly string[],
  output: CommandOutput,
): Promise<number> {
  const keyFiles: string[] = [];
  let file: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--public-key') {
      const next = args[++i];
      if (next === undefined) return usage(output);
      keyFiles.push(next);
    } else if (file === undefined) file = args[i];
    else return usage(output);
  }
  if (!file || keyFiles.length === 0) return usage(output);
  const keys = (await Promise.all(keyFiles.map((f) => readFile(f, 'utf8')))).flatMap(
    readPublicKeys,
  );
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    output.err(`NOT VERIFIED: ${file}: not JSON`);
    return 1;
  }
  const verdict = verifyInclusionProof(value, keys);
  if (!verdict.ok) {
    output.err(`NOT VERIFIED: ${file}: ${verdict.problem.message}`);
    return 1;
  }
  output.out(
    `VERIFIED: ${file}: entry ${verdict.seq} (${verdict.type}, hash ${verdict.hash}) is in the ` +
      `${verdict.municipality} audit chain under the checkpoint of entry ${verdict.checkpoint.seq} ` +
      `signed ${verdict.checkpoint.time} by key ${verdict.checkpoint.keyId} (${verdict.fingerprint})`,
  );
  return 0;
}

function usage(output: CommandOutput): number {
  output.err(VERIFY_PROOF_USAGE);
  return 2;
}
