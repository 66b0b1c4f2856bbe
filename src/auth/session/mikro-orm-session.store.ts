import { type EntityManager, MikroORM } from '@mikro-orm/core';
import { SqlitePlatform } from '@mikro-orm/sql';
import { Logger } from '@nestjs/common';
import { Store, type SessionData } from 'express-session';
import { fromJsonColumn, queryRows, rowDate } from '../../database';
import type { SessionCipher } from './session-cipher';
import { Session } from './session.entity';

type Callback<T = void> = (err?: unknown, value?: T) => void;

/** Skip expiry writes that would move it by less than this (or a tenth of the idle time, if less). */
const TOUCH_EVERY_MS = 60_000;
/** A session without a login (the OpenID state between /auth/login and the callback) lives this long. */
export const PRE_LOGIN_MS = 10 * 60_000;
const MAX_TRACKED = 100_000;
/** Expiry moves are gathered this long and written together (see `touch`). */
export const TOUCH_FLUSH_MS = 200;
/** At most this many sessions per write; a full batch is written at once. */
const TOUCH_BATCH = 500;
/**
 * A session whose stored expiry is this close is touched at once, before its page is sent, so a
 * write still waiting can never let it expire (another instance would end it on its next read).
 */
const TOUCH_NOW_WITHIN_MS = 10_000;

interface AuthFields {
  user?: { issuer?: string; sid?: string };
  staff?: { issuer?: string; sid?: string };
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
  /** Expiry moves not yet written (session id → new expiry), and the timer that will write them. */
  private pendingTouches = new Map<string, number>();
  private touchTimer?: NodeJS.Timeout;
  private touchWrites = new Set<Promise<void>>();
  private readonly logger = new Logger('Sessions');

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
        { short: true },
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
        // The provider session behind the login (a resident's or a member of staff's), so
        // that provider's front-channel logout can end it.
        oidcIssuer: fields.user?.issuer ?? fields.staff?.issuer ?? null,
        oidcSid: fields.user?.sid ?? fields.staff?.sid ?? null,
        municipalityId: fields.municipalityId ?? null,
      });
    });
  }

  /**
   * Rolling idle expiry without a database write on every page view: the expiry moves at most once
   * a minute per session, so the idle limit is kept to within a minute. The moves are written
   * behind the page, gathered for up to `TOUCH_FLUSH_MS` into one statement: under load many
   * people's pages share one write instead of each paying a round trip and an UPDATE of its own
   * (issue 18: a second round trip on every page of the list and decision loads). A session close
   * to its stored expiry is written before its page is sent, as before. If the process dies
   * before a gathered write, those sessions keep the expiry they had (still in the future, else
   * the read had ended them) and are moved again on their next page.
   */
  override touch(sid: string, data: SessionData, callback?: Callback): void {
    const expiresAt = this.expiry(data).getTime();
    const stored = this.storedExpiry.get(sid);
    if (stored !== undefined && expiresAt - stored < this.touchEveryMs) {
      callback?.();
      return;
    }
    this.remember(sid, expiresAt);
    if (stored === undefined || stored - Date.now() < TOUCH_NOW_WITHIN_MS) {
      this.run(callback, () => this.writeExpiries(new Map([[sid, expiresAt]])));
      return;
    }
    this.pendingTouches.set(sid, expiresAt);
    if (this.pendingTouches.size >= TOUCH_BATCH) this.flushTouches();
    else this.touchTimer ??= setTimeout(() => this.flushTouches(), TOUCH_FLUSH_MS);
    callback?.();
  }

  /** Writes the expiry moves still waiting; resolves when every write begun so far has ended. */
  async flush(): Promise<void> {
    this.flushTouches();
    await Promise.all([...this.touchWrites]);
  }

  private flushTouches(): void {
    clearTimeout(this.touchTimer);
    this.touchTimer = undefined;
    if (this.pendingTouches.size === 0) return;
    const batch = this.pendingTouches;
    this.pendingTouches = new Map();
    const write = this.writeExpiries(batch).catch((error: unknown) => {
      // Not written: forget what was remembered, so each of them is written on its next page.
      for (const sid of batch.keys()) this.storedExpiry.delete(sid);
      this.logger.warn({ err: error, sessions: batch.size }, 'Moving session expiries failed');
    });
    this.touchWrites.add(write);
    void write.finally(() => this.touchWrites.delete(write));
  }

  /**
   * Moves each session's expiry forward (never back: a login written meanwhile keeps its own),
   * in one plain statement with the moves as one JSON parameter, whatever their number.
   */
  private async writeExpiries(moves: Map<string, number>): Promise<void> {
    const sqlite = this.orm.em.getPlatform() instanceof SqlitePlatform;
    const rows = [...moves].map(([id, at]) => ({
      id,
      at: sqlite ? at : new Date(at).toISOString(),
    }));
    const sql = sqlite
      ? `update sessions set expires_at = v.at
           from (select json_extract(value, '$.id') as id, json_extract(value, '$.at') as at
                   from json_each(?)) as v
          where sessions.id = v.id and sessions.expires_at < v.at`
      : `update sessions as s set expires_at = v.at
           from json_to_recordset(cast(? as json)) as v(id text, at timestamptz)
          where s.id = v.id and s.expires_at < v.at`;
    await queryRows(this.orm, sql, [JSON.stringify(rows)]);
  }

  override destroy(sid: string, callback?: Callback): void {
    this.storedExpiry.delete(sid);
    this.run(callback, async () => {
      await this.orm.em.fork().nativeDelete(Session, { id: sid });
    });
  }

  /**
   * Ends every session a provider knows by this `sid` (its front-channel logout), in `em`'s
   * transaction, and returns what they held (a session sealed by another secret as `null`), so
   * the caller can record whose sessions ended.
   */
  async takeByOidcSid(
    em: EntityManager,
    issuer: string,
    oidcSid: string,
  ): Promise<(SessionData | null)[]> {
    const rows = await em.find(
      Session,
      { oidcIssuer: issuer, oidcSid },
      { fields: ['id', 'data'], disableIdentityMap: true },
    );
    if (rows.length === 0) return [];
    await em.nativeDelete(Session, { id: { $in: rows.map((row) => row.id) } });
    return rows.map((row) => {
      this.storedExpiry.delete(row.id);
      return this.cipher.open<SessionData>(row.id, row.data) ?? null;
    });
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
