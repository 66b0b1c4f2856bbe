import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/core';
import { databaseConfig } from './config/app.config';
import { ConfigError } from './config/config.error';
import { startupFailureMessage } from './startup-failure';
import { buildOrmConfig } from './database/orm.config';
import { ENTITIES } from './entities';

/** `npm run migrate`: applies pending migrations; a deployment runs it before starting new instances. */
async function main(): Promise<void> {
  const db = databaseConfig();
  // A migration may rightly run long (an index on a big table); it still gives up on a lock
  // rather than queue live traffic behind itself.
  const orm = await MikroORM.init(
    buildOrmConfig({ ...db, statementTimeoutMs: 0, idleInTransactionTimeoutMs: 0 }, ENTITIES),
  );
  try {
    await orm.connect();
    const status = await orm.checkConnection();
    if (!status.ok) throw status.error ?? new ConfigError(status.reason);
    const applied = await orm.migrator.up();
    process.stdout.write(
      applied.length === 0
        ? `${db.kind}: the database is up to date\n`
        : `${db.kind}: applied ${applied.map((m) => m.name).join(', ')}\n`,
    );
  } finally {
    await orm.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`migrate failed: ${startupFailureMessage(error)}\n`);
  process.exit(1);
});
