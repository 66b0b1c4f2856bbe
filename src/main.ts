import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { AppConfig, appConfig } from './config/app.config';
import { startupFailureMessage } from './startup-failure';

async function bootstrap(): Promise<void> {
  const app = await createApp();
  const config = app.get<AppConfig>(appConfig.KEY);
  await app.listen(config.port, config.host);
  new Logger('Bootstrap').log(`minside-faktura is listening on ${config.publicUrl}`);
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`minside-faktura could not start: ${startupFailureMessage(error)}\n`);
  process.exit(1);
});
