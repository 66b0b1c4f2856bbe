import { spawnSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/** Nice value for a simulation thread: it gets the CPU the request thread leaves. */
const BACKGROUND_NICE = 10;

/** What was lowered: the nice value, and whether the thread now runs only on idle CPU. */
export interface LoweredPriority {
  nice: boolean;
  idlePolicy: boolean;
}

/**
 * Lowers the calling thread's scheduling priority, so on a busy machine the request thread wins
 * the CPU and residents' pages keep their pace while a simulation runs. Linux only: there the nice
 * value belongs to the thread (setpriority on the calling thread); elsewhere it would lower the
 * whole process, so nothing is done. Best effort: a refusal leaves the priority as it was.
 *
 * A nice value alone was not enough. With the list at 200/s and simulations running back to back
 * on two cores, the request thread waited for a core ~1/3 of the time (`bench`: 0.31–0.35 of
 * the run, 0.07–0.10 without simulations; 0.22–0.25 with this): Linux's scheduler lets a running
 * thread finish its slice before a woken one of higher weight takes the core. A thread under
 * SCHED_IDLE is preempted as soon as any other thread wakes, so the thread is also moved to that
 * policy, with util-linux's `chrt` (Node has no call for it; lowering one's own thread needs no
 * privilege).
 */
export function lowerThisThreadsPriority(): LoweredPriority {
  if (process.platform !== 'linux') return { nice: false, idlePolicy: false };
  let nice = false;
  try {
    setPriority(BACKGROUND_NICE);
    nice = true;
  } catch {
    // left as it was
  }
  return { nice, idlePolicy: idleSchedulingPolicy() };
}

/** SCHED_IDLE for the calling thread (`/proc/thread-self` names it); false if it could not be set. */
function idleSchedulingPolicy(): boolean {
  try {
    const threadId = readlinkSync('/proc/thread-self').split('/').pop();
    if (!threadId || !/^\d+$/.test(threadId)) return false;
    const chrt = spawnSync('chrt', ['--idle', '-p', '0', threadId], {
      stdio: 'ignore',
      timeout: 2_000,
    });
    return chrt.status === 0;
  } catch {
    return false;
  }
}
