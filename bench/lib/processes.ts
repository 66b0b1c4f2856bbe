import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the compiled harness and the portal snapshot it runs live (bench/tsconfig.json outDir). */
export const OUT_DIR = join(__dirname, '..', '..');
export const PROJECT_ROOT = join(OUT_DIR, '..', '..');

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A child process the harness started; every one of them is stopped at the end, whatever happens. */
export class Child {
  private readonly lines: string[] = [];
  private readonly listeners = new Set<(line: string) => void>();
  readonly exited: Promise<ChildExit>;
  exit?: ChildExit;

  constructor(
    readonly name: string,
    readonly proc: ChildProcess,
  ) {
    const collect = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue;
        this.lines.push(line);
        if (this.lines.length > 200) this.lines.shift();
        for (const listener of this.listeners) listener(line);
      }
    };
    proc.stdout?.on('data', collect);
    proc.stderr?.on('data', collect);
    this.exited = new Promise((resolve) =>
      proc.once('exit', (code, signal) => {
        this.exit = { code, signal };
        running.delete(this);
        resolve(this.exit);
      }),
    );
  }

  get pid(): number {
    return this.proc.pid ?? -1;
  }

  get alive(): boolean {
    return this.exit === undefined;
  }

  /** The last lines it wrote, for error messages. */
  tail(count = 15): string {
    return this.lines.slice(-count).join('\n');
  }

  /** Resolves with the first line (already written or still to come) that matches. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<string> {
    const seen = this.lines.find((line) => pattern.test(line));
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          done(
            new Error(
              `${this.name}: no line matching ${pattern} within ${timeoutMs} ms\n${this.tail()}`,
            ),
          ),
        timeoutMs,
      );
      const listener = (line: string) => {
        if (pattern.test(line)) done(undefined, line);
      };
      const onExit = () =>
        done(
          new Error(
            `${this.name} exited (${describeExit(this.exit)}) before printing ${pattern}\n${this.tail()}`,
          ),
        );
      const done = (error?: Error, line?: string) => {
        clearTimeout(timer);
        this.listeners.delete(listener);
        this.proc.off('exit', onExit);
        if (error) reject(error);
        else resolve(line as string);
      };
      this.listeners.add(listener);
      this.proc.once('exit', onExit);
    });
  }

  /** SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs = 12_000): Promise<ChildExit> {
    if (!this.alive) return this.exit as ChildExit;
    this.proc.kill('SIGTERM');
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), graceMs);
    const exit = await this.exited;
    clearTimeout(timer);
    return exit;
  }
}

const running = new Set<Child>();

export function describeExit(exit: ChildExit | undefined): string {
  if (!exit) return 'running';
  return exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
}

/** The environment every child gets: no inherited secrets or database URLs, only what is passed. */
function baseEnv(): Record<string, string> {
  const keep = ['PATH', 'HOME', 'LANG', 'TZ', 'TMPDIR'];
  return Object.fromEntries(
    keep.filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k] as string]),
  );
}

/** Runs a compiled script from the harness's out dir (e.g. `src/main.js`) on this Node. */
export function startNode(
  name: string,
  script: string,
  env: Record<string, string>,
  nodeArgs: string[] = [],
  args: string[] = [],
): Child {
  const path = join(OUT_DIR, script);
  if (!existsSync(path))
    throw new Error(`${path} is missing: build the harness with \`npm run bench\``);
  const proc = spawn(process.execPath, [...nodeArgs, path, ...args], {
    cwd: PROJECT_ROOT,
    env: { ...baseEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const child = new Child(name, proc);
  running.add(child);
  return child;
}

/** Runs a script to completion; rejects with its output when it exits non-zero. */
export async function runNode(
  name: string,
  script: string,
  env: Record<string, string>,
  args: string[] = [],
  timeoutMs = 600_000,
): Promise<{ output: string; ms: number }> {
  const started = performance.now();
  const child = startNode(name, script, env, [], args);
  const output: string[] = [];
  child.proc.stdout?.on('data', (c: Buffer) => output.push(c.toString()));
  child.proc.stderr?.on('data', (c: Buffer) => output.push(c.toString()));
  const timer = setTimeout(() => child.proc.kill('SIGKILL'), timeoutMs);
  const exit = await child.exited;
  clearTimeout(timer);
  const text = output.join('');
  if (exit.code !== 0)
    throw new Error(
      `${name} failed (${describeExit(exit)}): ${text.trim().split('\n').slice(-5).join(' | ')}`,
    );
  return { output: text, ms: performance.now() - started };
}

/** Stops every child still running, in parallel. */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((child) => child.stop(8_000).catch(() => undefined)));
}

/** Last resort on exit: nothing the harness started may outlive it. */
process.on('exit', () => {
  for (const child of running) child.proc.kill('SIGKILL');
});

/** Polls `url` until it answers 200; fails early if `child` exits. Returns ms waited. */
export async function waitForOk(
  url: string,
  options: {
    timeoutMs: number;
    child?: Child;
    intervalMs?: number;
    headers?: Record<string, string>;
  },
): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (options.child && !options.child.alive) {
      throw new Error(
        `${options.child.name} exited (${describeExit(options.child.exit)}) before ${url} answered\n${options.child.tail()}`,
      );
    }
    try {
      const response = await fetch(url, {
        headers: options.headers,
        signal: AbortSignal.timeout(2_000),
      });
      await response.arrayBuffer();
      if (response.status === 200) return performance.now() - started;
    } catch {
      // not listening yet
    }
    if (performance.now() - started > options.timeoutMs) {
      throw new Error(
        `${url} did not answer 200 within ${options.timeoutMs} ms${options.child ? `\n${options.child.tail()}` : ''}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 20));
  }
}

/** Resident set size of a process in bytes (Linux), or undefined once it is gone. */
export function rssBytes(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Samples the RSS of some processes every `intervalMs` and keeps each one's maximum. */
export class RssSampler {
  private readonly max = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private readonly targets = new Map<string, number>();

  constructor(private readonly intervalMs = 200) {}

  watch(label: string, pid: number): void {
    this.targets.set(label, pid);
    this.sample();
    this.timer ??= setInterval(() => this.sample(), this.intervalMs);
  }

  unwatch(label: string): void {
    this.sample();
    this.targets.delete(label);
    if (this.targets.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  maxBytes(label: string): number | undefined {
    return this.max.get(label);
  }

  all(): Record<string, number> {
    return Object.fromEntries(this.max);
  }

  private sample(): void {
    for (const [label, pid] of this.targets) {
      const rss = rssBytes(pid);
      if (rss !== undefined && rss > (this.max.get(label) ?? 0)) this.max.set(label, rss);
    }
  }
}
