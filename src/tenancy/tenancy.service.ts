import { EntityManager } from '@mikro-orm/core';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import {
  type AppConfig,
  appConfig,
  type DatabaseConfig,
  databaseConfig,
} from '../config/app.config';
import { NotificationListener } from '../database';
import { CurrentMunicipality } from './current-municipality';
import { Municipality } from './municipality.entity';

/** How long the list is used before it is read again: the bound for changes made outside the portal. */
const CACHE_MS = 30_000;

/** The PostgreSQL channel a change of a municipality notifies, with its id as payload. */
export const MUNICIPALITIES_CHANNEL = 'municipalities_changed';

interface Municipalities {
  at: number;
  byHost: Map<string, CurrentMunicipality>;
  bySlug: Map<string, CurrentMunicipality>;
}

/**
 * Resolves the municipality for a host name; the list is small and kept in memory. A change made
 * through the portal (`notifyChanged` in its transaction) reaches this instance at once and, on
 * PostgreSQL, every other instance at its commit (LISTEN/NOTIFY); one made in the table by hand is
 * read within 30 s, as is anything changed while an instance was not listening.
 */
@Injectable()
export class TenancyService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Tenancy');
  private cache?: Municipalities;
  /** Counts invalidations: a read that began before one must not be kept as current. */
  private generation = 0;
  private reading?: { generation: number; list: Promise<Municipalities> };
  private listener?: NotificationListener;

  constructor(
    private readonly em: EntityManager,
    @Inject(appConfig.KEY) private readonly config: AppConfig,
    @Inject(databaseConfig.KEY) private readonly db: Pick<DatabaseConfig, 'kind' | 'url'>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.db.kind !== 'postgresql' || !this.db.url) return;
    this.listener = new NotificationListener(
      {
        url: this.db.url,
        channel: MUNICIPALITIES_CHANNEL,
        subject: "municipalities' changes",
        meanwhile: 'changes made on other instances are read within 30 s until listening again',
      },
      {
        changed: () => this.invalidate(),
        // Whatever changed while not listening was not heard: read the list again.
        listening: () => this.invalidate(),
        lost: () => undefined,
      },
      this.logger,
    );
    await this.listener.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.listener?.stop();
  }

  /** Whether changes made on other instances are heard at once (always, on SQLite's single process). */
  isListening(): boolean {
    return this.db.kind !== 'postgresql' || (this.listener?.isListening() ?? false);
  }

  /**
   * Tells every instance, at the commit of `em`'s transaction, that the municipality changed
   * (PostgreSQL; SQLite has one process). Call `invalidate` after the commit for this instance.
   */
  async notifyChanged(em: EntityManager, municipalityId: string): Promise<void> {
    if (this.db.kind !== 'postgresql') return;
    await em
      .getConnection()
      .execute(
        `select pg_notify('${MUNICIPALITIES_CHANNEL}', ?)`,
        [municipalityId],
        'run',
        em.getTransactionContext(),
      );
  }

  async resolve(hostname: string): Promise<CurrentMunicipality | undefined> {
    const { byHost, bySlug } = await this.load();
    const found = byHost.get(hostname.toLowerCase());
    if (found) return found;
    return this.config.defaultMunicipality
      ? bySlug.get(this.config.defaultMunicipality)
      : undefined;
  }

  async bySlug(slug: string): Promise<CurrentMunicipality | undefined> {
    return (await this.load()).bySlug.get(slug);
  }

  /**
   * The origin to put in links and redirect URIs for a request: its own host only when that host
   * name is one the municipality is configured with, else `PUBLIC_URL`. Never whatever a Host or
   * X-Forwarded-Host header says.
   */
  publicOrigin(
    municipality: CurrentMunicipality,
    req: { hostname: string; host: string; protocol: string },
  ): string {
    if (municipality.hostnames.includes(req.hostname.toLowerCase()))
      return `${req.protocol}://${req.host}`;
    return new URL(this.config.publicUrl).origin;
  }

  async byId(id: string): Promise<CurrentMunicipality | undefined> {
    return (await this.all()).find((m) => m.id === id);
  }

  /** Every municipality this installation serves, by slug. */
  async all(): Promise<CurrentMunicipality[]> {
    return [...(await this.load()).bySlug.values()];
  }

  /** Forget the cached list, e.g. after municipalities were added or changed. */
  invalidate(): void {
    this.generation += 1;
    this.cache = undefined;
  }

  private load(): Promise<Municipalities> | Municipalities {
    if (this.cache && Date.now() - this.cache.at < CACHE_MS) return this.cache;
    // One read at a time for all the requests that find the list out of date.
    if (this.reading?.generation === this.generation) return this.reading.list;
    const generation = this.generation;
    const list = this.read().then((read) => {
      if (this.generation === generation) this.cache = read;
      return read;
    });
    const reading = { generation, list };
    this.reading = reading;
    const done = () => {
      if (this.reading === reading) this.reading = undefined;
    };
    list.then(done, done);
    return list;
  }

  private async read(): Promise<Municipalities> {
    const at = Date.now();
    const rows = await this.em.fork().find(Municipality, {}, { orderBy: { slug: 'asc' } });
    const byHost = new Map<string, CurrentMunicipality>();
    const bySlug = new Map<string, CurrentMunicipality>();
    for (const row of rows) {
      const snapshot: CurrentMunicipality = {
        id: row.id,
        slug: row.slug,
        name: row.name,
        orgNumber: row.orgNumber,
        contactEmail: row.contactEmail,
        contactPhone: row.contactPhone,
        settings: { ...row.settings },
        hostnames: row.hostnames.map((host) => host.toLowerCase()),
      };
      bySlug.set(row.slug, snapshot);
      for (const host of row.hostnames) byHost.set(host.toLowerCase(), snapshot);
    }
    return { at, byHost, bySlug };
  }
}
