import { ZodError, z } from 'zod';
import { assertIsoDate } from '../../src/shared/calendar-date';
import { xledgerFaultSchema } from './xledger-faults';
import { startXledgerServer } from './xledger-server';

const DEV_TOKENS = { fjordvik: 'fjordvik-dev-xledger-token', asdal: 'asdal-dev-xledger-token00' };

/**
 * `PORT=4020 XLEDGER_TOKENS='{"fjordvik":"…"}' node dist/dev/xledger-server/main.js`. Optional:
 * HOST, XLEDGER_TODAY (YYYY-MM-DD), XLEDGER_FAULT_MODE / _PROBABILITY / _DELAY_MS / _OPERATIONS.
 */
async function main(): Promise<void> {
  const tokens = process.env.XLEDGER_TOKENS
    ? z.record(z.string(), z.string().min(16)).parse(JSON.parse(process.env.XLEDGER_TOKENS))
    : DEV_TOKENS;
  if (!process.env.XLEDGER_TOKENS)
    console.warn(
      `XLEDGER_TOKENS not set; using the development tokens ${JSON.stringify(DEV_TOKENS)}`,
    );
  const server = await startXledgerServer({
    port: Number(process.env.PORT ?? 4020),
    host: process.env.HOST ?? '127.0.0.1',
    tokens,
    today: process.env.XLEDGER_TODAY
      ? assertIsoDate(process.env.XLEDGER_TODAY, 'XLEDGER_TODAY')
      : undefined,
    faults: xledgerFaultSchema.parse({
      mode: process.env.XLEDGER_FAULT_MODE ?? 'none',
      probability: process.env.XLEDGER_FAULT_PROBABILITY
        ? Number(process.env.XLEDGER_FAULT_PROBABILITY)
        : undefined,
      delayMs: process.env.XLEDGER_FAULT_DELAY_MS
        ? Number(process.env.XLEDGER_FAULT_DELAY_MS)
        : undefined,
      operations: process.env.XLEDGER_FAULT_OPERATIONS?.split(',').map((o) => o.trim()),
    }),
  });
  console.log(
    `Xledger stand-in on ${server.url} (today ${server.today}, faults: ${server.faults.current().mode})`,
  );
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof ZodError ? `Invalid settings: ${error.message}` : error);
  process.exit(1);
});
