import { setPriority } from 'node:os';

/** Nice value for a simulation thread: it gets the CPU the request thread leaves. */
const BACKGROUND_NICE = 10;

/**
 * Lowers the calling thread's scheduling priority, so on a busy machine the request thread wins
 * the CPU and residents' pages keep their pace while a simulation runs. Linux only: there the nice
 * value belongs to the thread (setpriority on the calling thread); elsewhere it would lower the
 * whole process, so nothing is done. Best effort: a refusal leaves the priority as it was.
 */
export function lowerThisThreadsPriority(): boolean {
  if (process.platform !== 'linux') return false;
  try {
    setPriority(BACKGROUND_NICE);
    return true;
  } catch {
    return false;
  }
}
