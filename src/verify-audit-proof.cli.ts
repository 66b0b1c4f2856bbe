import { verifyProofCommand } from './audit/proof/verify-proof.command';

/**
 * `npm run audit:verify-proof -- revisjonsbevis.json --public-key key.pem`: checks a resident's
 * proof that their decision is in the audit chain, with no database and no portal: the file and
 * the municipality's published public key(s). Exit code 0 when it holds, 1 when not (the first
 * problem named), 2 on wrong use.
 */
verifyProofCommand(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`audit:verify-proof failed: ${(error as Error).message}\n`);
    process.exitCode = 2;
  },
);
