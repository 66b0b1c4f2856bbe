/**
 * The finance-system stand-in (dev/finance-server) as a child process of the bench, serving the
 * bench's own ledger instead of the demo residents. dev/finance-server/main.ts always serves the
 * demo ledger, so this wrapper passes `ledger` to the same `startFinanceServer`.
 *
 * Env: PORT, FINANCE_API_KEY, FINANCE_TODAY, LEDGER_FILE (JSON: DemoLedgerEntry[]).
 */
import { readFileSync } from 'node:fs';
import { assertIsoDate } from '../../src/shared/calendar-date';
import type { DemoLedgerEntry } from '../../dev/finance-server/demo-invoices';
import { startFinanceServer } from '../../dev/finance-server/finance-server';

async function main(): Promise<void> {
  const ledger = JSON.parse(
    readFileSync(process.env.LEDGER_FILE ?? '', 'utf8'),
  ) as DemoLedgerEntry[];
  const server = await startFinanceServer({
    port: Number(process.env.PORT ?? 0),
    host: '127.0.0.1',
    apiKey: process.env.FINANCE_API_KEY ?? '',
    today: assertIsoDate(process.env.FINANCE_TODAY, 'FINANCE_TODAY'),
    ledger,
    municipalities: [...new Set(ledger.map((entry) => entry.municipality))],
  });
  console.log(`finance server ready at ${server.url} with ${ledger.length} residents`);
  const stop = () => void server.close().finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
