import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createApp } from './app.factory';
import { type AppConfig, appConfig } from './config/app.config';
import { HttpDrain } from './http-drain';
import { startupFailureMessage } from './startup-failure';
import { type WritebackConfig, writebackConfig } from './writeback/writeback.config';
import { ReceiptMailWorker } from './mail/receipt-mail.worker';
import { WritebackWorker } from './writeback/writeback.worker';

/** The longest shutdown waits for requests in flight (a decision may wait on the finance system). */
const HTTP_DRAIN_MS = 10_000;

export async function bootstrap(): Promise<NestExpressApplication> {
  const app = await createApp();
  const config = app.get<AppConfig>(appConfig.KEY);
  const http = new HttpDrain(app.getHttpServer());
  await app.listen(config.port, config.host);
  const logger = new Logger('Bootstrap');
  logger.log(`minside-faktura is listening on ${config.publicUrl}`);
  const shutdown = (signal: NodeJS.Signals) => {
    logger.log(`${signal} received, shutting down`);
    gracefulShutdown(app, http, logger).then(
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

/**
 * Nest's own `app.close()` runs the destroy hooks first and closes the HTTP server after them, so
 * requests would still arrive while the worker and its listeners wind down, and the server would
 * wait on keep-alive connections. The order here: stop taking requests and answer those in
 * flight while the write-back worker finishes its batch (recorded with its audit entries), then
 * let Nest close the rest, the database last. A shutdown that hangs all the same is cut off
 * before an orchestrator's usual 30 s grace period would kill it mid-write.
 */
async function gracefulShutdown(
  app: NestExpressApplication,
  http: HttpDrain,
  logger: Logger,
): Promise<void> {
  const worker = app.get(WritebackWorker);
  const receipts = app.get(ReceiptMailWorker);
  const { shutdownGraceMs } = app.get<WritebackConfig>(writebackConfig.KEY);
  const hardLimitMs = Math.max(HTTP_DRAIN_MS, shutdownGraceMs) + 5_000;
  setTimeout(() => {
    logger.error(`Shutdown did not finish within ${hardLimitMs} ms; exiting`);
    process.exit(1);
  }, hardLimitMs).unref();
  // Side by side: a request that commits an approval meanwhile leaves its jobs (write-back,
  // receipt) for the next poll of any instance; the workers take no new batch once stopping.
  await Promise.all([http.close(HTTP_DRAIN_MS), worker.stop(), receipts.stop()]);
  await app.close();
  logger.log('Shut down');
}

/** Prints why the portal could not start, as one line, and exits non-zero. */
export function exitOnStartupFailure(error: unknown): never {
  process.stderr.write(`minside-faktura could not start: ${startupFailureMessage(error)}\n`);
  process.exit(1);
}

if (require.main === module) bootstrap().catch(exitOnStartupFailure);
