import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { verifyExportFile } from './audit/export/export-verifier';

const USAGE =
  'usage: npm run audit:verify-export -- <export.jsonl> --public-key <key.pem> [--public-key <older.pem>]';

/**
 * `npm run audit:verify-export -- export.jsonl --public-key key.pem`: checks an audit export with
 * no database and no portal, only the file and the municipality's published public key(s): each
 * entry's hash and link, and each signed checkpoint. Exit code 0 when it holds, 1 when not (the
 * first problem named by line and entry), 2 on wrong use.
 */
async function main(args: string[]): Promise<number> {
  const keys: KeyObject[] = [];
  let file: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--public-key') keys.push(createPublicKey(readFileSync(args[++i] ?? '')));
    else if (file === undefined) file = args[i];
    else return usage();
  }
  if (!file || keys.length === 0) return usage();
  const report = await verifyExportFile(file, keys);
  if (!report.ok) {
    process.stderr.write(`NOT VERIFIED: ${file}: ${report.problem}\n`);
    return 1;
  }
  process.stdout.write(
    `VERIFIED: ${file}: ${report.entries} entries of ${report.municipality} chain unbroken; ` +
      (report.signedUpTo === null
        ? 'no signed checkpoint in the export, so only its own consistency is shown\n'
        : `${report.checkpointsVerified} signed checkpoint(s), the chain signed up to entry ${report.signedUpTo}\n`),
  );
  return 0;
}

function usage(): number {
  process.stderr.write(`${USAGE}\n`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`audit:verify-export failed: ${(error as Error).message}\n`);
    process.exitCode = 2;
  },
);
