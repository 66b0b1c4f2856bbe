import { connect } from './database';

/**
 * What the bench database's backends are doing while a run is under way, sampled every 100 ms
 * from pg_stat_activity: average number of connections per state and wait event, e.g.
 * `active/Lock:tuple` (waiting for a row lock) or `idle in transaction` (waiting for the client
 * inside a transaction).
 */
export class PgWaitSampler {
  private readonly totals = new Map<string, number>();
  private samples = 0;
  private timer?: NodeJS.Timeout;
  private busy = false;

  private constructor(private readonly client: Awaited<ReturnType<typeof connect>>) {}

  static async start(url: string): Promise<PgWaitSampler> {
    const sampler = new PgWaitSampler(await connect(url));
    sampler.timer = setInterval(() => void sampler.sample(), 100);
    return sampler;
  }

  private async sample(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const { rows } = await this.client.query<{ key: string; n: number }>(
        `select state || coalesce('/' || wait_event_type || ':' || wait_event, '') as key, count(*)::int as n
           from pg_stat_activity
          where datname = current_database() and pid <> pg_backend_pid() and state is not null and state <> 'idle'
          group by 1`,
      );
      this.samples++;
      for (const row of rows) this.totals.set(row.key, (this.totals.get(row.key) ?? 0) + row.n);
    } catch {
      // a missed sample is no loss
    } finally {
      this.busy = false;
    }
  }

  /** Average connections per state/wait event over the samples (idle connections left out). */
  async stop(): Promise<Record<string, number>> {
    clearInterval(this.timer);
    await this.client.end().catch(() => undefined);
    const averages = [...this.totals.entries()]
      .map(([key, total]) => [key, Number((total / Math.max(1, this.samples)).toFixed(2))] as const)
      .filter(([, avg]) => avg >= 0.05)
      .sort((a, b) => b[1] - a[1]);
    return Object.fromEntries(averages);
  }
}
