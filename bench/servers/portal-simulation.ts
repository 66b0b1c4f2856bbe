/**
 * The portal exactly as `src/main.js` starts it (its own `bootstrap`), plus a loopback-only control
 * port through which the bench starts simulations on the portal's own SimulationService and polls
 * them: the staff pages that will start them are not what is measured, the simulation running
 * inside the process that serves residents is.
 *
 * Env: everything the portal takes, CONTROL_PORT, and SIMULATION_BATCH_SIZE for an experiment
 * with another batch size (the harness passes BENCH_SIMULATION_BATCH_SIZE on).
 *   POST /simulations  {"municipalityId", "draftText", "from"?, "to"?}  → the start result
 *   GET  /simulations/<municipalityId>/<jobId>                          → the status, without the
 *                                                                          list of changed cases
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { bootstrap, exitOnStartupFailure } from '../../src/main';
import { SimulationService, type SimulationStatus } from '../../src/policy';

function summary(status: SimulationStatus): unknown {
  if (status.state !== 'done') return status;
  const { cases, ...changed } = status.result.changed;
  return { ...status, result: { ...status.result, changed: { ...changed, listed: cases.length } } };
}

async function body(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

function send(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
}

async function main(): Promise<void> {
  const app = await bootstrap();
  const simulations = app.get(SimulationService);
  const batchSize = Number(process.env.SIMULATION_BATCH_SIZE);
  if (Number.isInteger(batchSize) && batchSize > 0) simulations.batchSize = batchSize;
  const control = createServer((req, res) => {
    const handle = async () => {
      if (req.method === 'POST' && req.url === '/simulations') {
        const { municipalityId, draftText, from, to } = (await body(req)) as Record<string, string>;
        const started = await simulations.start(municipalityId, draftText, { from, to });
        return send(res, started.ok ? 202 : 422, started.ok ? summary(started.job) : started);
      }
      const match = /^\/simulations\/([^/]+)\/([^/]+)$/.exec(req.url ?? '');
      if (req.method === 'GET' && match) {
        const status = await simulations.status(match[1], match[2]);
        return status ? send(res, 200, summary(status)) : send(res, 404, { error: 'not found' });
      }
      send(res, 404, { error: 'not found' });
    };
    handle().catch((error: unknown) => send(res, 500, { error: (error as Error).message }));
  });
  control.listen(Number(process.env.CONTROL_PORT), '127.0.0.1', () =>
    process.stdout.write(`simulation control listening on ${process.env.CONTROL_PORT}\n`),
  );
  control.unref();
}

main().catch(exitOnStartupFailure);
