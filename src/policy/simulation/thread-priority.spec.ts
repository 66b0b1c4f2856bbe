import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startWorker } from './worker-thread';

const SCHED_OTHER = 0;
const SCHED_IDLE = 5;

function policyOf(thread: string): number {
  return Number(/^policy\s*:\s*(\d+)$/m.exec(readFileSync(`/proc/${thread}/sched`, 'utf8'))?.[1]);
}

const linux = process.platform === 'linux' ? describe : describe.skip;
/** util-linux's chrt sets the policy; a system without it keeps the nice value only. */
const hasChrt = spawnSync('chrt', ['--version'], { stdio: 'ignore' }).status === 0;

linux('lowerThisThreadsPriority (the simulation worker thread)', () => {
  it('moves the calling thread to nice 10 and SCHED_IDLE (where chrt is), and no other thread', async () => {
    const worker = startWorker(join(__dirname, 'testing'), 'priority-check.worker', {});
    const [report] = (await once(worker, 'message')) as [
      { lowered: { nice: boolean; idlePolicy: boolean }; policy: number; nice: number },
    ];
    await worker.terminate();
    expect(report.lowered).toEqual({ nice: true, idlePolicy: hasChrt });
    expect(report.policy).toBe(hasChrt ? SCHED_IDLE : SCHED_OTHER);
    expect(report.nice).toBe(10);
    // The thread that serves requests keeps its own policy.
    expect(policyOf('thread-self')).toBe(SCHED_OTHER);
  });
});
