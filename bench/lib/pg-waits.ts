import { connect } from './database';
import { processTicks } from './cpu-usage';

/**
 * What the bench database's backends are doing while a run is under way, sampled every 100 ms
 * from pg_stat_activity: average number of connections per state and wait event, e.g.
 * `active/Lock:tuple` (waiting for a row lock) or `idle in transaction` (waiting for the client
 * inside a transaction).
 *
 * The same samples give the CPU time of the bench database's backends alone (other databases on
 * the server, and other helpers' work on it, left out): every sample lists the backends of
 * `current_database()` (the sampler's own excepted) and reads each one's utime + stime from
 * /proc/<pid>/stat. A backend's share is its last reading minus its first; one born during the run
 * (`backend_start` after the sampler started) counts from 0.
 * The pools are warm, so nearly every backend is there from the first sample to the last; what a
 * backend does in the <100 ms between its last sample and its exit is missed.
 */
export class PgWaitSampler {
  private readonly totals = new Map<string, number>();
  private samples = 0;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  /** Per backend pid: ticks at the first and the last sample, and whether it was there at the start. */
  private readonly backends = new Map<number, { first: number; last: number; atStart: boolean }>();
  private readonly startedAt = new Date();

  private constructor(private readonly client: Awaited<ReturnType<typeof connect>>) {}

  /** Takes the first sample (the backends there before the load) before it resolves. */
  static async start(url: string): Promise<PgWaitSampler> {
    const sampler = new PgWaitSampler(await connect(url));
    await sampler.sample(true);
    sampler.timer = setInterval(() => void sampler.sample(false), 100);
    return sampler;
  }

  private sample(first: boolean): Promise<void> {
    if (this.running) return this.running;
    this.running = this.take(first).finally(() => (this.running = undefined));
    return this.running;
  }

  private async take(first: boolean): Promise<void> {
    try {
      const { rows } = await this.client.query<{
        pid: number;
        state: string | null;
        key: string | null;
        born_before: boolean;
      }>(
        `select pid, state, state || coalesce('/' || wait_event_type || ':' || wait_event, '') as key,
                backend_start < $1 as born_before
           from pg_stat_activity
          where datname = current_database() and pid <> pg_backend_pid()`,
        [this.startedAt],
      );
      for (const row of rows) {
        const ticks = processTicks(row.pid);
        const known = this.backends.get(row.pid);
        if (known) known.last = Math.max(known.last, ticks);
        // Counted from 0 only if it was born after the start (a backend the first sample missed,
        // e.g. because that sample failed, counts from its first reading instead).
        else
          this.backends.set(row.pid, {
            first: ticks,
            last: ticks,
            atStart: first || row.born_before,
          });
      }
      if (first) return; // the baseline reading, before the load: not a wait sample
      this.samples++;
      for (const row of rows) {
        if (!row.key || row.state === 'idle') continue;
        this.totals.set(row.key, (this.totals.get(row.key) ?? 0) + 1);
      }
    } catch {
      // a missed sample is no loss
    }
  }

  /**
   * Takes a last sample, then gives the average connections per state/wait event over the samples
   * (idle connections left out) and the CPU ticks the bench database's backends used in between.
   */
  async stop(): Promise<{ waits: Record<string, number>; backendTicks: number; backends: number }> {
    clearInterval(this.timer);
    await this.running;
    await this.sample(false);
    await this.client.end().catch(() => undefined);
    const averages = [...this.totals.entries()]
      .map(([key, total]) => [key, Number((total / Math.max(1, this.samples)).toFixed(2))] as const)
      .filter(([, avg]) => avg >= 0.05)
      .sort((a, b) => b[1] - a[1]);
    let backendTicks = 0;
    for (const b of this.backends.values()) backendTicks += b.last - (b.atStart ? b.first : 0);
    return { waits: Object.fromEntries(averages), backendTicks, backends: this.backends.size };
  }
}
