/**
 * A job an instance runs on a timer (audit checkpoints, retention, the hand-over check): at most
 * one round at a time (a round asked for while one runs gets that one), timers that never keep
 * the process alive, and a stop that waits for the round in flight so its transaction is not cut
 * off while the database closes. A failed round is handed to `onError`, which logs it and gives
 * the round's result; the timer goes on.
 */
export class PeriodicTask<T> {
  private timers: NodeJS.Timeout[] = [];
  private running?: Promise<T>;

  constructor(
    private readonly run: () => Promise<T>,
    private readonly onError: (error: unknown) => T,
  ) {}

  /** Every `intervalMs`, and once `firstAfterMs` after start when given. */
  start(intervalMs: number, firstAfterMs?: number): void {
    if (firstAfterMs !== undefined)
      this.timers.push(setTimeout(() => void this.round(), firstAfterMs));
    this.timers.push(setInterval(() => void this.round(), intervalMs));
    for (const timer of this.timers) timer.unref();
  }

  /** Stops the timers and waits for a round in flight. */
  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers = [];
    await this.running;
  }

  /** One round now, unless one is still running; resolves when it is done. */
  round(): Promise<T> {
    this.running ??= this.run()
      .catch((error: unknown) => this.onError(error))
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }
}
