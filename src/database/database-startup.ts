import { MikroORM } from '@mikro-orm/core';
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { type DatabaseConfig, databaseConfig } from '../config/app.config';

/** A database that cannot be reached stops the start; pending migrations run here when configured. */
@Injectable()
export class DatabaseStartup implements OnModuleInit {
  private readonly logger = new Logger('Database');

  constructor(
    private readonly orm: MikroORM,
    @Inject(databaseConfig.KEY) private readonly db: DatabaseConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.orm.connect();
    const status = await this.orm.checkConnection();
    if (!status.ok)
      throw status.error ?? new Error(`the database is not reachable: ${status.reason}`);
    if (this.db.migrateOnStart) {
      const applied = await this.orm.migrator.up();
      if (applied.length > 0)
        this.logger.log(`Applied ${applied.length} migration(s) to ${this.db.kind}`);
      return;
    }
    const pending = await this.orm.migrator.getPending();
    if (pending.length > 0) {
      throw new Error(
        `the database has ${pending.length} pending migration(s): run \`npm run migrate\` first`,
      );
    }
  }
}
