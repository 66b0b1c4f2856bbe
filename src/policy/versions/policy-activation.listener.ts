import { Client } from 'pg';

/** The PostgreSQL channel an activation notifies, with the municipality's id as payload. */
export const POLICY_CHANNEL = 'policy_activated';

const RETRY_FIRST_MS = 200;
const RETRY_MAX_MS = 5_000;

export interface PolicyListenerEvents {
  /** Another instance (or this one) changed the municipality's version in force. */
  changed(municipalityId: string): void;
  /** Listening (again): from now on every change is heard, but ones made meanwhile were not. */
  listening(): void;
  /** Not listening: changes made elsewhere cannot be heard until `listening` comes. */
  lost(): void;
}

interface ListenerLogger {
  log(message: string): void;
  warn(message: string): void;
}

/**
 * One dedicated connection (outside the ORM's pool, which hands connections to whoever asks)
 * that LISTENs for activations. It reconnects on its own, with backoff; its owner treats the time
 * between `lost` and `listening` as "anything may have changed".
 */
export class PolicyActivationListener {
  private client?: Client;
  private retry?: NodeJS.Timeout;
  private delayMs = RETRY_FIRST_MS;
  private stopped = false;
  private listening = false;

  constructor(
    private readonly url: string,
    private readonly events: PolicyListenerEvents,
    private readonly logger: ListenerLogger,
  ) {}

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
    const client = new Client({
      connectionString: this.url,
      connectionTimeoutMillis: 5_000,
      keepAlive: true,
    });
    this.client = client;
    client.on('notification', (message) => {
      if (message.channel === POLICY_CHANNEL && message.payload)
        this.events.changed(message.payload);
    });
    client.on('error', (error) => this.lose(client, error));
    client.on('end', () => this.lose(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${POLICY_CHANNEL}`);
    } catch (error) {
      this.lose(client, error);
      return;
    }
    if (this.client !== client) return;
    if (this.delayMs > RETRY_FIRST_MS) this.logger.log('Listening for policy changes again');
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
        `Not listening for policy changes (${code}); the version in force is read for every decision until listening again`,
      );
    this.retry = setTimeout(() => void this.connect(), this.delayMs);
    this.retry.unref();
    this.delayMs = Math.min(this.delayMs * 2, RETRY_MAX_MS);
  }
}
