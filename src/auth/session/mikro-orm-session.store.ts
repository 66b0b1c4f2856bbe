import { MikroORM } from '@mikro-orm/core';
import { Store, type SessionData } from 'express-session';
import { dateParam, fromJsonColumn, queryRows, rowDate } from '../../database';
import type { SessionCipher } from './session-cipher';
import { Session } from './session.entity';

type Callback<T = void> = (err?: unknown, value?: T) => void;

/** Skip expiry writes that would move it by less than this (or a tenth of the idle time, if less). */
const TOUCH_EVERY_MS = 60_000;
/** A session without a login (the OpenID state between /auth/login and the callback) lives this long. */
export const PRE_LOGIN_MS = 10 * 60_000;
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
  /** With idle times of a few minutes a skipped minute would log an active person out. */
  private readonly touchEveryMs: number;

  constructor(
    private readonly orm: MikroORM,
    private readonly idleMs: number,
    private readonly cipher: SessionCipher,
  ) {
    super();
    this.touchEveryMs = Math.min(TOUCH_EVERY_MS, Math.floor(idleMs / 10));
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
      // Sealed by another secret, or written in clear before sessions were sealed: no session.
      return this.cipher.open<SessionData>(sid, fromJsonColumn(row.data)) ?? null;
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
        data: this.cipher.seal(sid, data) as unknown as Record<string, unknown>,
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
    if (stored !== undefined && expiresAt.getTime() - stored < this.touchEveryMs) {
      callback?.();
      return;
    }
    this.remember(sid, expiresAt.getTime());
    this.run(callback, async () => {
      // Once a minute per active person, before their page is sent: plain SQL, as the read above,
      // not an entity manager and the query builder for one column of one row.
      await this.orm.em
        .getConnection()
        .execute(
          'update sessions set expires_at = ? where id = ?',
          [dateParam(this.orm, expiresAt), sid],
          'run',
        );
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

  /**
   * The idle expiry; a session that never got a login (someone opened /auth/login and went no
   * further, or a flood of them) is gone within minutes instead of after the idle time.
   */
  private expiry(data: SessionData): Date {
    if (!(data as AuthFields).authenticatedAt) return new Date(Date.now() + PRE_LOGIN_MS);
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
