/**
 * Issue 18, item 4: what Nest's HTTP adapter itself costs a request, Express against Fastify, with
 * everything else equal. One Nest application, one global guard and one GET route that renders the
 * invoice list page (the list baseline's templates and helpers, one synthetic resident's ten
 * invoices from the bench's data generator); no session, CSRF, helmet or database, so the only
 * difference between the two servers is the adapter. Each is started in turn, warmed up, then
 * loaded paced at 500/s and 1,000/s and at its maximum, and its CPU per request is read from
 * /proc as in `npm run bench`.
 *
 * `@nestjs/platform-fastify` is not a dependency of the portal. To run it:
 *   npm install --no-save @nestjs/platform-fastify@12.5.0
 *   npx tsc -p bench/tsconfig.json && node bench/.out/bench/experiments/http-adapter.js
 * (`--no-save` leaves package.json and the lock file alone; the next `npm ci` removes it again.)
 */
import { fork } from 'node:child_process';
import {
  Controller,
  Get,
  Header,
  Injectable,
  Module,
  type CanActivate,
  type ExecutionContext,
  type INestApplication,
} from '@nestjs/common';
import { AbstractHttpAdapter, APP_GUARD, NestFactory } from '@nestjs/core';
import { arrangeInvoices } from '../../src/invoices/invoice-view';
import type { IsoDate } from '../../src/shared/calendar-date';
import { LANGUAGE_NAMES, renderListPage } from '../baselines/list-page';
import { residentLedger, syntheticResidents } from '../data/ledger';
import { Random } from '../data/random';
import { runLoad } from '../lib/loadgen';

const TODAY = '2026-12-07' as IsoDate;
const ADAPTERS = ['express', 'fastify'] as const;
type Adapter = (typeof ADAPTERS)[number];

/** The page's context as the portal's controller and locals make it, for one resident. */
function pageContext(): () => Record<string, unknown> {
  const random = new Random(18);
  const [resident] = syntheticResidents(random, 1);
  const ledger = residentLedger(random, resident, 'fjordvik', TODAY, 10, { next: 1 }, '100001');
  return () => {
    const view = arrangeInvoices(ledger.invoices, TODAY);
    return {
      municipality: { id: 'm', slug: 'fjordvik', name: 'Fjordvik kommune', settings: {} },
      signedIn: true,
      userName: resident.name,
      lang: 'nb',
      returnPath: encodeURIComponent('/fakturaer'),
      currentPath: '/fakturaer',
      languages: ['nb', 'nn', 'en'].map((code) => ({
        code,
        name: LANGUAGE_NAMES[code],
        current: code === 'nb',
      })),
      csrfToken: 'x'.repeat(86),
      titleKey: 'invoices.title',
      ...view,
      open: view.open.map((i) => ({ ...i, collector: null })),
      currentNav: 'invoices',
    };
  };
}

@Injectable()
class HeaderGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<{ headers: Record<string, unknown> }>();
    return req.headers['x-refuse'] === undefined;
  }
}

const context = pageContext();

@Controller('fakturaer')
class ListController {
  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  list(): string {
    return renderListPage(context());
  }
}

@Module({
  controllers: [ListController],
  providers: [{ provide: APP_GUARD, useClass: HeaderGuard }],
})
class ExperimentModule {}

async function serve(adapter: Adapter, port: number): Promise<void> {
  // By name at run time: the portal does not depend on the Fastify adapter (see above).
  const platform = `@nestjs/platform-${adapter}`;
  const { ExpressAdapter, FastifyAdapter } = (await import(platform)) as Record<
    string,
    new () => AbstractHttpAdapter
  >;
  const app: INestApplication = await NestFactory.create(
    ExperimentModule,
    adapter === 'express' ? new ExpressAdapter() : new FastifyAdapter(),
    { logger: false },
  );
  if (adapter === 'express') {
    // As the portal's configureWeb: no ETag on pages, no X-Powered-By.
    const express = app.getHttpAdapter().getInstance() as {
      set(k: string, v: unknown): void;
      disable(k: string): void;
    };
    express.set('etag', false);
    express.disable('x-powered-by');
  }
  await app.listen(port, '127.0.0.1');
  process.send?.('ready');
}

async function measure(adapter: Adapter, port: number): Promise<string> {
  const child = fork(__filename, ['serve', adapter, String(port)], {
    // V8's default heap sizes, not production's (bench/lib/portal.ts): with those this small
    // app's heap went into a full collection every ~0.3 s at 500 requests/s (23 mark-compacts in
    // 6 s with --trace-gc; --no-memory-reducer did not always stop it), both adapters then cost
    // 1.1-1.4 ms a request instead of ~0.5, and that noise was larger than their difference.
    execArgv: [],
  });
  await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`${adapter} server exited with ${code}`)));
  });
  const url = `http://127.0.0.1:${port}`;
  const next = () => ({
    method: 'GET' as const,
    path: '/fakturaer',
    headers: { accept: 'text/html' },
  });
  const ok = (status: number) => status === 200;
  try {
    await runLoad({ name: 'warm-up', url, connections: 8, durationS: 2, next, ok });
    const parts: string[] = [];
    for (const rate of [500, 1000]) {
      const run = await runLoad({
        name: `${adapter} ${rate}/s paced`,
        url,
        connections: 20,
        durationS: 8,
        rate,
        next,
        ok,
        serverPid: child.pid,
      });
      parts.push(
        `${rate}/s paced ${run.cpuMsPerRequest?.server.toFixed(3)} ms (p99 ${run.latencyMs.p99} ms, errors ${run.errors})`,
      );
    }
    const max = await runLoad({
      name: `${adapter} max`,
      url,
      connections: 32,
      durationS: 8,
      next,
      ok,
      serverPid: child.pid,
    });
    parts.push(
      `max ${Math.round(max.throughput)}/s ${max.cpuMsPerRequest?.server.toFixed(3)} ms (errors ${max.errors})`,
    );
    return `${adapter.padEnd(7)} CPU per request: ${parts.join(' | ')}`;
  } finally {
    child.removeAllListeners('exit');
    child.kill();
  }
}

async function main(): Promise<void> {
  const [mode, adapter, port] = process.argv.slice(2);
  if (mode === 'serve') return serve(adapter as Adapter, Number(port));
  const rounds = Number(process.env.ROUNDS ?? 3);
  for (let round = 0; round < rounds; round++)
    for (const [i, name] of ADAPTERS.entries())
      console.log(await measure(name, 4600 + round * 10 + i));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
