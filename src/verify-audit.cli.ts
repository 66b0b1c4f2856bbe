import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/core';
import { databaseConfig } from './config/app.config';
import { ConfigError } from './config/config.error';
import { buildOrmConfig } from './database';
import { startupFailureMessage } from './startup-failure';
import { verifyAuditCommand } from './audit/verify/verify-audit.command';
import { ENTITIES } from './entities';

/**
 * `node dist/src/verify-audit.cli.js <municipality-slug> | --all`: verifies audit chains in
 * the configured database (DATABASE_URL or SQLITE_PATH); exit code 1 if any chain is broken.
 */
async function main(): Promise<number> {
  const orm = await MikroORM.init(buildOrmConfig(databaseConfig(), ENTITIES));
  try {
    await orm.connect();
    const status = await orm.checkConnection();
    if (!status.ok) throw status.error ?? new ConfigError(status.reason);
    return await verifyAuditCommand(orm, process.argv.slice(2), {
      out: (line) => process.stdout.write(`${line}\n`),
      err: (line) => process.stderr.write(`${line}\n`),
    });
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
