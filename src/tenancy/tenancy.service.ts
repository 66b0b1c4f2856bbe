import { EntityManager } from '@mikro-orm/core';
import { Inject, Injectable } from '@nestjs/common';
import { type AppConfig, appConfig } from '../config/app.config';
import { CurrentMunicipality } from './current-municipality';
import { Municipality } from './municipality.entity';

const CACHE_MS = 30_000;

/** Resolves the municipality for a host name; the list is small and cached briefly. */
@Injectable()
export class TenancyService {
  private cache?: {
    at: number;
    byHost: Map<string, CurrentMunicipality>;
    bySlug: Map<string, CurrentMunicipality>;
  };

  constructor(
    private readonly em: EntityManager,
    @Inject(appConfig.KEY) private readonly config: AppConfig,
  ) {}

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
    this.cache = undefined;
  }

  private async load() {
    if (this.cache && Date.now() - this.cache.at < CACHE_MS) return this.cache;
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
    this.cache = { at: Date.now(), byHost, bySlug };
    return this.cache;
  }
}
