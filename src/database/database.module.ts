import { MikroOrmModule } from '@mikro-orm/nestjs';
import type { Options } from '@mikro-orm/core';
import { type DynamicModule, Global, Module } from '@nestjs/common';
import { databaseConfig } from '../config/app.config';
import { CommitQueues } from './commit-queues';
import { DatabaseStartup } from './database-startup';
import { buildOrmConfig } from './orm.config';

/** The ORM for the whole portal; the app module names the entities (`src/entities.ts`). */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(entities: NonNullable<Options['entities']>): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        // No `inject`: the factory reads the validated config itself, which lets the module detect
        // the driver without a hint fixed at import time.
        MikroOrmModule.forRootAsync({
          useFactory: () => ({
            ...buildOrmConfig(databaseConfig(), entities),
            registerRequestContext: true,
          }),
        }),
      ],
      providers: [DatabaseStartup, CommitQueues],
      exports: [CommitQueues],
    };
  }
}
