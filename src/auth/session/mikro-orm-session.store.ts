import { MikroORM } from '@mikro-orm/core';
import { Store, type SessionData } from 'express-session';
import { fromJsonColumn, queryRows, rowDate } from '../../database/query-rows';
import { Session } from './session.entity';

type Callback<T = void> = (err?: unknown, value?: T) => void;

const TOUCH_EVERY_MS = 60_000;
const MAX_TRACKED = 100_000;

interface AuthFields {
  user?: { issuer?: string; sid?: string };
  authenticatedAt?: number;
  municipalityId?: string;
}

/** express-session's store on our own database, so sessions survive restarts and can be revoked. */
export class MikroOrmSessionStore extends Store {
  /**
   * Each session's idle expiry as stored, from the last read or write of it here: a touch that
   * would move it by less than a minute is skipped. Taken from the row itself, so a restarted
   * instance (or another instance) does not write a session again that was just written.
   */
  private readonly storedExpiry = new Map<string, number>();

  constructor(
    private readonly orm: MikroORM,
    private readonly idleMs: number,
  ) {
    super();
  }

  override get(sid: string, callback: Callback<SessionData | null>): void {
    this.run(callback, async () => {
      // Every request reads its session: plain SQL, no entity (see `queryRows`).
      const [row] = await queryRows<{ data: unknown; expires_at: unknown }>(
        this.orm,
        'select data, expires_at from sessions where id = ?',
        [sid],
      );
      if (!row) return null;
      const expiresAt = rowDate(row.expires_at).getTime();
      if (expiresAt <= Date.now()) {
        this.storedExpiry.delete(sid);
        await this.orm.em.fork().nativeDelete(Session, { id: sid });
        return null;
      }
      this.remember(sid, expiresAt);
      return fromJsonColumn<SessionData>(row.data);
    });
  }

  override set(sid: string, data: SessionData, callback?: Callback): void {
    const expiresAt = this.expiry(data);
    this.remember(sid, expiresAt.getTime());
    this.run(callback, async () => {
      const fields = data as SessionData & AuthFields;
      const em = this.orm.em.fork();
      await em.upsert(Session, {
        id: sid,
        data: JSON.parse(JSON.stringify(data)) as Record<string, unknown>,
        expiresAt,
        authenticatedAt: fields.authenticatedAt ? new Date(fields.authenticatedAt) : null,
        oidcIssuer: fields.user?.issuer ?? null,
        oidcSid: fields.user?.sid ?? null,
        municipalityId: fields.municipalityId ?? null,
      });
    });
  }

  /**
   * Rolling idle expiry without a database write on every page view: the expiry moves at most once
   * a minute per session, so the idle limit is kept to within a minute.
   */
  override touch(sid: string, data: SessionData, callback?: Callback): void {
    const expiresAt = this.expiry(data);
    const stored = this.storedExpiry.get(sid);
    if (stored !== undefined && expiresAt.getTime() - stored < TOUCH_EVERY_MS) {
      callback?.();
      return;
    }
    this.remember(sid, expiresAt.getTime());
    this.run(callback, async () => {
      await this.orm.em.fork().nativeUpdate(Session, { id: sid }, { expiresAt });
    });
  }

  override destroy(sid: string, callback?: Callback): void {
    this.storedExpiry.delete(sid);
    this.run(callback, async () => {
      await this.orm.em.fork().nativeDelete(Session, { id: sid });
    });
  }

  /** Ends every session ID-porten knows by this `sid` (front-channel logout). Returns how many. */
  async destroyByOidcSid(issuer: string, oidcSid: string): Promise<number> {
    return this.orm.em.fork().nativeDelete(Session, { oidcIssuer: issuer, oidcSid });
  }

  /** Removes expired rows; called periodically. */
  async prune(): Promise<number> {
    return this.orm.em.fork().nativeDelete(Session, { expiresAt: { $lte: new Date() } });
  }

  private remember(sid: string, expiresAt: number): void {
    if (this.storedExpiry.size >= MAX_TRACKED && !this.storedExpiry.has(sid))
      this.storedExpiry.clear();
    this.storedExpiry.set(sid, expiresAt);
  }

  private expiry(data: SessionData): Date {
    const cookieExpiry = data.cookie?.expires ? new Date(data.cookie.expires).getTime() : 0;
    return new Date(Math.max(cookieExpiry, Date.now() + this.idleMs));
  }

  private run<T>(callback: Callback<T> | undefined, work: () => Promise<T>): void {
    work().then(
      (value) => callback?.(undefined, value),
      (error: unknown) => callback?.(error),
    );
  }
}
