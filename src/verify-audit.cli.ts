import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/core';
import { databaseConfig } from './config/app.config';
import { ConfigError } from './config/config.error';
import { buildOrmConfig } from './database';
import { startupFailureMessage } from './startup-failure';
import { parseAuditCheckpointConfig } from './audit/checkpoints/audit-checkpoint.config';
import { existingSigningKey, previousPublicKeys } from './audit/checkpoints/resolve-signing-key';
import { type PeriodScope, verifyAuditCommand } from './audit/verify/verify-audit.command';
import { ENTITIES } from './entities';

/**
 * The auditors' mapping of a period to a stretch of the chain, loaded only when a period is asked:
 * audit-review brings its Nest module, pages and services, ~0.3 s of the command's start.
 */
const scopeFor: PeriodScope = async (...args) =>
  (await import('./audit-review/index.js')).scopeFor(...args);

/**
 * `npm run audit:verify -- <municipality-slug> | --all [--from YYYY-MM-DD] [--to YYYY-MM-DD]
 * [--public-key <file>]`: verifies audit chains, or the stretch of them that checks a period (as
 * the auditors' verification page maps it), in the configured database (DATABASE_URL or SQLITE_PATH), and their signed checkpoints
 * against the given public keys or else the configured ones (AUDIT_SIGNING_KEY's, or the
 * development key file's outside production, and AUDIT_PREVIOUS_PUBLIC_KEYS); exit code 1 if any
 * chain is broken.
 */
async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const config = parseAuditCheckpointConfig(process.env, false);
  const own = existingSigningKey(config);
  const configured = [...(own ? [own.publicKey] : []), ...previousPublicKeys(config)];
  if (configured.length === 0 && !args.includes('--public-key'))
    process.stderr.write(
      'no public key to check checkpoints with (set AUDIT_SIGNING_KEY or pass --public-key <file>): any checkpoint fails\n',
    );
  const orm = await MikroORM.init(buildOrmConfig(databaseConfig(), ENTITIES));
  try {
    await orm.connect();
    const status = await orm.checkConnection();
    if (!status.ok) throw status.error ?? new ConfigError(status.reason);
    return await verifyAuditCommand(
      orm,
      args,
      {
        out: (line) => process.stdout.write(`${line}\n`),
        err: (line) => process.stderr.write(`${line}\n`),
      },
      configured,
      scopeFor,
    );
  } finally {
    await orm.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`verify-audit failed: ${startupFailureMessage(error)}\n`);
    process.exitCode = 1;
  },
);
