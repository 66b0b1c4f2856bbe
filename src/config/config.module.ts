import { Module } from '@nestjs/common';
import { ConfigModule as NestConfigModule } from '@nestjs/config';
import { appConfig, databaseConfig } from './app.config';
import { validateEnv } from './validate-env';

/** Reads `.env` (if present) and the environment once, validates it, and exposes typed namespaces. */
@Module({
  imports: [
    NestConfigModule.forRoot({
      isGlobal: true,
      cache: true,
      envFilePath: ['.env'],
      ignoreEnvFile: process.env.NODE_ENV === 'test',
      load: [appConfig, databaseConfig],
      validate: validateEnv,
    }),
  ],
})
export class AppConfigModule {}
