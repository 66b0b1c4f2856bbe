import { ZodError } from 'zod';
import { assertIsoDate } from '../../src/shared/calendar-date';
import { faultsFromEnv } from './faults';
import { startFinanceServer } from './finance-server';

/**
 * `PORT=4010 FINANCE_API_KEY=… node dist/dev/finance-server/main.js`. Optional: HOST, FINANCE_TODAY
 * (YYYY-MM-DD), FINANCE_FAULT_MODE / _PROBABILITY / _DELAY_MS / _PATHS.
 */
async function main(): Promise<void> {
  const apiKey = process.env.FINANCE_API_KEY ?? 'dev-finance-key';
  if (!process.env.FINANCE_API_KEY)
    console.warn('FINANCE_API_KEY not set; using the development key "dev-finance-key"');
  const server = await startFinanceServer({
    port: Number(process.env.PORT ?? 4010),
    host: process.env.HOST ?? '127.0.0.1',
    apiKey,
    today: process.env.FINANCE_TODAY
      ? assertIsoDate(process.env.FINANCE_TODAY, 'FINANCE_TODAY')
      : undefined,
    faults: faultsFromEnv(process.env),
  });
  console.log(
    `Finance system stand-in on ${server.url} (today ${server.today}, faults: ${server.faults.current().mode})`,
  );
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof ZodError ? `Invalid fault settings: ${error.message}` : error);
  process.exit(1);
});
