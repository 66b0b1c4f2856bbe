import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/core';
import type { Request } from 'express';
import type { SessionData } from 'express-session';
import type { StaffIdentity } from '../identity';
import type { ResidentIdentity } from '../resident-identity';
import type { MikroOrmSessionStore } from './mikro-orm-session.store';

export const SESSION_STORE = Symbol('SESSION_STORE');
export const STAFF_SESSION_STORE = Symbol('STAFF_SESSION_STORE');

/** express-session's callbacks, as a promise that always rejects with an Error. */
function settle(resolve: () => void, reject: (error: Error) => void) {
  return (err: unknown) =>
    err ? reject(err instanceof Error ? err : new Error('session store failure')) : resolve();
}
const PRUNE_EVERY_MS = 10 * 60_000;

/** Login and logout on the server-side session; a new session id at login stops session fixation. */
@Injectable()
export class SessionService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Sessions');
  private pruneTimer?: NodeJS.Timeout;

  constructor(
    @Inject(SESSION_STORE) private readonly store: MikroOrmSessionStore,
    @Inject(STAFF_SESSION_STORE) private readonly staffStore: MikroOrmSessionStore,
  ) {}

  onModuleInit(): void {
    this.pruneTimer = setInterval(() => {
      this.store
        .prune()
        .catch((error: unknown) =>
          this.logger.warn({ err: error }, 'Pruning expired sessions failed'),
        );
    }, PRUNE_EVERY_MS);
    this.pruneTimer.unref();
  }

  /** The expiry moves still gathered are written before the database goes away. */
  async onModuleDestroy(): Promise<void> {
    clearInterval(this.pruneTimer);
    await Promise.all([this.store.flush(), this.staffStore.flush()]);
  }

  async startAuthenticated(req: Request, identity: ResidentIdentity): Promise<void> {
    const municipalityId = req.municipality?.id ?? '';
    await new Promise<void>((resolve, reject) => req.session.regenerate(settle(resolve, reject)));
    req.session.user = { ...identity, municipalityId };
    req.session.municipalityId = municipalityId;
    req.session.authenticatedAt = Date.now();
    await new Promise<void>((resolve, reject) => req.session.save(settle(resolve, reject)));
  }

  /** The same for a member of staff, in the staff session (the request is on a staff path). */
  async startStaffSession(req: Request, identity: StaffIdentity): Promise<void> {
    const municipalityId = req.municipality?.id ?? '';
    await new Promise<void>((resolve, reject) => req.session.regenerate(settle(resolve, reject)));
    req.session.staff = { ...identity, municipalityId };
    req.session.municipalityId = municipalityId;
    req.session.authenticatedAt = Date.now();
    await new Promise<void>((resolve, reject) => req.session.save(settle(resolve, reject)));
  }

  async end(req: Request): Promise<void> {
    await new Promise<void>((resolve, reject) => req.session.destroy(settle(resolve, reject)));
  }

  /**
   * Ends, in `em`'s transaction, every session (a resident's or a member of staff's: one table)
   * that the provider `issuer` knows by `sid`; returns what each held, `null` if unreadable.
   */
  endByOidcSid(em: EntityManager, issuer: string, sid: string): Promise<(SessionData | null)[]> {
    return this.store.takeByOidcSid(em, issuer, sid);
  }
}
