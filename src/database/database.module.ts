import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Global, Module } from '@nestjs/common';
import { databaseConfig } from '../config/app.config';
import { CommitQueues } from './commit-queues';
import { DatabaseStartup } from './database-startup';
import { buildOrmConfig } from './orm.config';

@Global()
@Module({
  imports: [
    // No `inject`: the factory reads the validated config itself, which lets the module detect the
    // driver without a hint fixed at import time.
    MikroOrmModule.forRootAsync({
      useFactory: () => ({ ...buildOrmConfig(databaseConfig()), registerRequestContext: true }),
    }),
  ],
  providers: [DatabaseStartup, CommitQueues],
  exports: [CommitQueues],
})
export class DatabaseModule {}
