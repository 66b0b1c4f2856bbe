import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time used during a run, from /proc (Linux): by the server under test, by every PostgreSQL
 * process on the machine, by this process (the load generator) and by the whole machine, each as
 * a share of one core (1.0 = one core busy for the whole run). Says what limits a figure: a server
 * at 1.0 is bound by its one JavaScript thread; a machine near its core count is simply full.
 * `postgres` counts every PostgreSQL process, other databases' and the server's own background
 * work too; what the run itself costs PostgreSQL is `postgresBenchDb` (the bench database's
 * backends only, see `PgWaitSampler`), set by `runLoad` when it samples the database.
 */
export interface CpuShares {
  server: number;
  /** The part of `server` spent in the kernel on its behalf (system calls, mostly). */
  serverKernel: number;
  /**
   * The server's main thread alone (for Node, the thread that runs JavaScript for requests; the
   * rest is GC helpers, libuv's pool and worker threads such as a simulation's). Near 1.0 it is
   * the limit, whatever the machine has left.
   */
  serverMainThread: number;
  /**
   * How long the main thread was ready to run but waited for a core (the run queue's delay, from
   * /proc/PID/task/PID/schedstat), as a share of the run: time a request spent neither on the CPU
   * nor waiting for I/O, because other threads or processes had both cores.
   */
  serverMainThreadWaiting?: number;
  /** Every PostgreSQL process on the machine (other databases' too). */
  postgres: number;
  /** The bench database's backends only. */
  postgresBenchDb?: number;
  loadgen: number;
  machine: number;
  cores: number;
  /** The time counted over. */
  seconds: number;
}

export const TICK = 100; // USER_HZ on Linux

/** utime and stime of a process (or of one thread: `PID/task/TID`), in ticks; zeros once it has ended. */
function userKernelTicks(pid: number | string): { user: number; kernel: number } {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { user: Number(fields[11]), kernel: Number(fields[12]) };
  } catch {
    return { user: 0, kernel: 0 };
  }
}

/** Nanoseconds a thread (`PID/task/TID`) has spent waiting on a run queue; undefined if unreadable. */
function runQueueWaitNs(thread: string): number | undefined {
  try {
    const [, waiting] = readFileSync(`/proc/${thread}/schedstat`, 'utf8').trim().split(/\s+/);
    const ns = Number(waiting);
    return Number.isFinite(ns) ? ns : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Read- and write-type system calls a process has made (`syscr`, `syscw` of /proc/PID/io: read,
 * readv, recvmsg, write, writev, sendmsg and the like; not epoll_wait), or undefined where the
 * file cannot be read.
 */
export function ioCalls(pid: number | string): { reads: number; writes: number } | undefined {
  try {
    const io = readFileSync(`/proc/${pid}/io`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}: (\\d+)$`, 'm').exec(io)?.[1]);
    const reads = field('syscr');
    const writes = field('syscw');
    return Number.isFinite(reads) && Number.isFinite(writes) ? { reads, writes } : undefined;
  } catch {
    return undefined;
  }
}

export function processTicks(pid: number | string): number {
  const { user, kernel } = userKernelTicks(pid);
  return user + kernel;
}

/** CPU ticks of each PostgreSQL process, by pid. */
function postgresTicks(): Map<string, number> {
  const ticks = new Map<string, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres')
        ticks.set(entry, processTicks(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  return ticks;
}

/** What the processes alive at the end used since the start (from 0 for those started since). */
function postgresDelta(before: Map<string, number>): number {
  let total = 0;
  for (const [pid, now] of postgresTicks()) total += Math.max(0, now - (before.get(pid) ?? 0));
  return total;
}

function machineTicks(): { busy: number; cores: number } {
  const lines = readFileSync('/proc/stat', 'utf8').split('\n');
  const [, ...values] = lines[0].trim().split(/\s+/).map(Number);
  const idle = values[3] + values[4];
  const all = values.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: all - idle, cores: lines.filter((l) => /^cpu\d/.test(l)).length };
}

/** Starts counting; `stop()` gives the shares over the time between. PostgreSQL processes that
 * end before the run does are missed, so its share is a lower bound. */
export function startCpuCount(serverPid: number | undefined) {
  if (process.platform !== 'linux') return { stop: (): CpuShares | undefined => undefined };
  const started = performance.now();
  const server0 = serverPid ? userKernelTicks(serverPid) : { user: 0, kernel: 0 };
  // A process's main thread has the process's id as its thread id.
  const mainThread = serverPid ? `${serverPid}/task/${serverPid}` : undefined;
  const main0 = mainThread ? userKernelTicks(mainThread) : { user: 0, kernel: 0 };
  const waiting0 = mainThread ? runQueueWaitNs(mainThread) : undefined;
  const pg0 = postgresTicks();
  const self0 = process.cpuUsage();
  const machine0 = machineTicks();
  return {
    stop(): CpuShares {
      const seconds = (performance.now() - started) / 1000;
      const self = process.cpuUsage(self0);
      const machine = machineTicks();
      const share = (ticks: number) => Number((ticks / TICK / seconds).toFixed(2));
      const serverShares = () => {
        if (!serverPid || !mainThread) return { server: 0, serverKernel: 0, serverMainThread: 0 };
        const now = userKernelTicks(serverPid);
        const main = userKernelTicks(mainThread);
        const waiting1 = runQueueWaitNs(mainThread);
        return {
          server: share(now.user - server0.user + now.kernel - server0.kernel),
          serverKernel: share(now.kernel - server0.kernel),
          serverMainThread: share(main.user - main0.user + main.kernel - main0.kernel),
          ...(waiting0 !== undefined && waiting1 !== undefined
            ? {
                serverMainThreadWaiting: Number(((waiting1 - waiting0) / 1e9 / seconds).toFixed(3)),
              }
            : {}),
        };
      };
      return {
        ...serverShares(),
        postgres: share(postgresDelta(pg0)),
        loadgen: Number(((self.user + self.system) / 1e6 / seconds).toFixed(2)),
        machine: share(machine.busy - machine0.busy),
        cores: machine.cores,
        seconds: Number(seconds.toFixed(3)),
      };
    },
  };
}

/**
 * A process's name for the census: its command name, and for Node the script it runs (the
 * audit command, a portal, a simulator), so the harness's own children can be told apart.
 */
function processName(pid: string): string {
  const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  if (Number(pid) === process.pid) return 'bench harness';
  if (comm !== 'node' && comm !== 'MainThread') return comm;
  const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  const script = args.slice(1).find((a) => /\.[cm]?js$/.test(a));
  return script ? `node ${script.split('/').at(-1)}` : 'node';
}

/** A process's or a group's CPU over a counted stretch, as a share of one core. */
export interface CpuConsumer {
  readonly name: string;
  readonly share: number;
}

/**
 * Who used the machine's CPU between start and `stop()`, by process name (PostgreSQL's processes
 * together; Node by script), the largest first: for a run whose figure is one process's wall time
 * (the audit command), where something else busy on the same two cores shows only as a slower
 * figure. Every process is read every 250 ms, so one that ends meanwhile (the command itself)
 * counts up to its last reading.
 */
export function startCpuCensus() {
  if (process.platform !== 'linux')
    return { stop: (): { machine: number; consumers: CpuConsumer[] } | undefined => undefined };
  const started = performance.now();
  const first = new Map<string, number>();
  const last = new Map<string, { name: string; ticks: number }>();
  let starting = true;
  const read = () => {
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        const ticks = processTicks(pid);
        const seen = last.get(pid);
        if (!seen) {
          // Alive at the start: counted from then; started during the count: from zero.
          first.set(pid, starting ? ticks : 0);
          last.set(pid, { name: processName(pid), ticks });
        } else if (ticks >= seen.ticks) seen.ticks = ticks;
      } catch {
        // the process ended meanwhile
      }
    }
  };
  read();
  starting = false;
  const machine0 = machineTicks();
  const timer = setInterval(read, 250);
  return {
    stop(): { machine: number; consumers: CpuConsumer[] } {
      clearInterval(timer);
      read();
      const seconds = (performance.now() - started) / 1000;
      const byName = new Map<string, number>();
      for (const [pid, { name, ticks }] of last) {
        const used = ticks - (first.get(pid) ?? 0);
        if (used > 0) byName.set(name, (byName.get(name) ?? 0) + used);
      }
      const share = (ticks: number) => Number((ticks / TICK / seconds).toFixed(2));
      return {
        machine: share(machineTicks().busy - machine0.busy),
        consumers: [...byName]
          .map(([name, ticks]) => ({ name, share: share(ticks) }))
          .filter((c) => c.share >= 0.01)
          .sort((a, b) => b.share - a.share),
      };
    },
  };
}
