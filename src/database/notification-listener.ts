import { Client } from 'pg';

const RETRY_FIRST_MS = 200;
const RETRY_MAX_MS = 5_000;
const CHANNEL = /^[a-z_]{1,63}$/;

export interface NotificationEvents {
  /** A NOTIFY on the channel (from another instance or this one), with its payload. */
  changed(payload: string): void;
  /** Listening (again): from now on every change is heard, but ones made meanwhile were not. */
  listening(): void;
  /** Not listening: changes made elsewhere cannot be heard until `listening` comes. */
  lost(): void;
}

export interface NotificationListenerOptions {
  url: string;
  /** The PostgreSQL channel, a plain lower-case name (it is written into `LISTEN`). */
  channel: string;
  /** What is listened for, in the log lines: "policy changes". */
  subject: string;
  /** What the owner does while not listening, in the warning: "the version in force is read …". */
  meanwhile: string;
}

interface ListenerLogger {
  log(message: string): void;
  warn(message: string): void;
}

/**
 * One dedicated PostgreSQL connection (outside the ORM's pool, which hands connections to whoever
 * asks) that LISTENs on a channel, for an in-memory copy that other instances change (the policy
 * in force, the municipalities). NOTIFY is delivered at commit, so never for a change rolled back.
 * It reconnects on its own, with backoff; its owner treats the time between `lost` and `listening`
 * as "anything may have changed".
 */
export class NotificationListener {
  private client?: Client;
  private retry?: NodeJS.Timeout;
  private delayMs = RETRY_FIRST_MS;
  private stopped = false;
  private listening = false;

  constructor(
    private readonly options: NotificationListenerOptions,
    private readonly events: NotificationEvents,
    private readonly logger: ListenerLogger,
  ) {
    if (!CHANNEL.test(options.channel))
      throw new Error(`Not a channel name to LISTEN on: ${options.channel}`);
  }

  isListening(): boolean {
    return this.listening;
  }

  /** Resolves once the first attempt has listened or failed (and then keeps retrying). */
  start(): Promise<void> {
    return this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    this.listening = false;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const { channel } = this.options;
    const client = new Client({
      connectionString: this.options.url,
      connectionTimeoutMillis: 5_000,
      keepAlive: true,
    });
    this.client = client;
    client.on('notification', (message) => {
      if (message.channel === channel && message.payload) this.events.changed(message.payload);
    });
    client.on('error', (error) => this.lose(client, error));
    client.on('end', () => this.lose(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${channel}`);
    } catch (error) {
      this.lose(client, error);
      return;
    }
    if (this.client !== client) return;
    if (this.delayMs > RETRY_FIRST_MS)
      this.logger.log(`Listening for ${this.options.subject} again`);
    this.delayMs = RETRY_FIRST_MS;
    this.listening = true;
    this.events.listening();
  }

  private lose(client: Client, error?: unknown): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.listening = false;
    this.events.lost();
    client.end().catch(() => undefined);
    if (this.stopped) return;
    // By code only: a driver's message may carry connection details.
    const code = (error as { code?: string } | undefined)?.code ?? 'connection ended';
    if (this.delayMs === RETRY_FIRST_MS)
      this.logger.warn(
        `Not listening for ${this.options.subject} (${code}); ${this.options.meanwhile}`,
      );
    this.retry = setTimeout(() => void this.connect(), this.delayMs);
    this.retry.unref();
    this.delayMs = Math.min(this.delayMs * 2, RETRY_MAX_MS);
  }
}
