import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createApp } from './app.factory';
import { type AppConfig, appConfig } from './config/app.config';
import { startupFailureMessage } from './startup-failure';

const SHUTDOWN_GRACE_MS = 10_000;

export async function bootstrap(): Promise<NestExpressApplication> {
  const app = await createApp();
  const config = app.get<AppConfig>(appConfig.KEY);
  await app.listen(config.port, config.host);
  const logger = new Logger('Bootstrap');
  logger.log(`minside-faktura is listening on ${config.publicUrl}`);

  // Graceful shutdown: stop taking connections, let requests and jobs in flight finish, close the
  // database, then exit 0. A shutdown that hangs is cut off so the orchestrator is not kept waiting.
  const shutdown = (signal: NodeJS.Signals) => {
    logger.log(`${signal} received, shutting down`);
    setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS).unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  return app;
}

/** Prints why the portal could not start, as one line, and exits non-zero. */
export function exitOnStartupFailure(error: unknown): never {
  process.stderr.write(`minside-faktura could not start: ${startupFailureMessage(error)}\n`);
  process.exit(1);
}

if (require.main === module) bootstrap().catch(exitOnStartupFailure);
