import { readFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { lowerThisThreadsPriority } from '../thread-priority';

/**
 * For thread-priority.spec: lowers this worker thread's priority as the simulation's worker does,
 * then reports what Linux says of this thread (its scheduling policy and nice value).
 */
const lowered = lowerThisThreadsPriority();
const sched = readFileSync('/proc/thread-self/sched', 'utf8');
const stat = readFileSync('/proc/thread-self/stat', 'utf8');
parentPort?.postMessage({
  lowered,
  policy: Number(/^policy\s*:\s*(\d+)$/m.exec(sched)?.[1]),
  nice: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]),
});
