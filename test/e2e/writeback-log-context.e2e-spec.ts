import { Agent } from 'node:http';
import {
  createPortalWorld,
  logLines,
  openDeferralForm,
  type PortalWorld,
  startPortalProcess,
  submitDeferral,
} from '../support/portal-process';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const DONE = /^Write-back \S+ attempt 1: done/;

/**
 * nestjs-pino finds a line's request through AsyncLocalStorage; the worker's timers must not
 * inherit the context of whichever request woke them (a real process, to read its real logs).
 */
describe('WritebackWorker log lines (e2e, real process)', () => {
  let world: PortalWorld;
  let portal: Awaited<ReturnType<typeof startPortalProcess>> | undefined;

  beforeAll(async () => {
    world = await createPortalWorld(2);
  }, 60_000);
  afterAll(async () => {
    portal?.child.kill('SIGKILL');
    await portal?.done;
    await world?.close();
  });

  it('carry no request id when a decision request woke the worker', async () => {
    // No polling to speak of: only the decisions wake the worker.
    const running = await startPortalProcess(world, { WRITEBACK_POLL_MS: '300000' });
    portal = running;
    const writebacks = () =>
      logLines(running.output()).filter((line) => String(line.msg).startsWith('Write-back '));
    const agent = new Agent({ keepAlive: true });
    const requestIds = ['decision-one-1234', 'decision-two-5678'];
    // The second decision wakes a worker whose last poll the first decision's wake started.
    for (const [i, resident] of world.residents.entries()) {
      const form = await openDeferralForm(world.url, resident);
      const answer = await submitDeferral(world.url, agent, form, {
        'x-request-id': requestIds[i],
      });
      expect(answer).toMatchObject({ kind: 'answer', status: 303 });
      while (writebacks().filter((l) => DONE.test(String(l.msg))).length <= i) await sleep(50);
    }
    agent.destroy();

    const lines = writebacks();
    expect(lines.filter((l) => DONE.test(String(l.msg)))).toHaveLength(2);
    for (const line of lines) {
      expect(line).not.toHaveProperty('req');
      for (const id of requestIds) expect(JSON.stringify(line)).not.toContain(id);
    }
    // The decision requests' own lines do carry their ids.
    const requestLines = logLines(running.output()).filter((l) => l.req !== undefined);
    for (const id of requestIds) expect(JSON.stringify(requestLines)).toContain(id);
  }, 60_000);
});
