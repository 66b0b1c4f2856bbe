/**
 * Stores the latest of a stream of values (a long run's progress and heartbeat) without holding
 * up whoever reports them: `set` and `beat` return at once; one write is in flight at a time, and
 * what came in meanwhile is written, once, when it is done. So a fast run makes a few writes, not
 * one per step, and a run that holds every database connection it can get is never made to wait
 * for one of its own progress writes. A failed write goes to `onError`; the next one tries again.
 */
export class CoalescingWriter<T> {
  private latest?: T;
  private writing?: Promise<void>;
  private again = false;

  constructor(
    /** Stores `latest` (undefined until the first `set`) with a fresh heartbeat. */
    private readonly write: (latest: T | undefined) => Promise<unknown>,
    private readonly onError: (error: unknown) => void,
  ) {}

  set(value: T): void {
    this.latest = value;
    this.kick();
  }

  /** The run is alive though it reported nothing lately. */
  beat(): void {
    this.kick();
  }

  /** Resolves once nothing is left to write; never rejects. */
  async drain(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private kick(): void {
    if (this.writing) {
      this.again = true;
      return;
    }
    this.writing = this.writeUntilDone().finally(() => {
      this.writing = undefined;
    });
  }

  private async writeUntilDone(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.write(this.latest);
      } catch (error) {
        this.onError(error);
      }
    } while (this.again);
  }
}
