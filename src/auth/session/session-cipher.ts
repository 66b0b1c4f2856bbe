import {
  createCipheriv,
  createDecipheriv,
  createSecretKey,
  hkdfSync,
  type KeyObject,
  randomBytes,
} from 'node:crypto';

/** A session's data as stored: AES-256-GCM under a key derived from SESSION_SECRET. */
export interface SealedSessionData {
  v: 1;
  iv: string;
  tag: string;
  data: string;
}

/**
 * Seals what a session holds (the identity number, the ID token kept for logout, the login state)
 * so that the sessions table, its backups and its replicas hold no personal data in clear. The
 * row id is bound in as associated data: a sealed value copied onto another row does not open.
 */
export class SessionCipher {
  /** A KeyObject, not bytes: every request opens its session, and a raw key is imported anew each time. */
  private readonly key: KeyObject;

  constructor(secret: string) {
    this.key = createSecretKey(
      Buffer.from(hkdfSync('sha256', secret, 'minside-faktura', 'session data at rest v1', 32)),
    );
  }

  seal(sid: string, value: unknown): SealedSessionData {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv).setAAD(Buffer.from(sid));
    const data = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return {
      v: 1,
      iv: iv.toString('base64url'),
      tag: cipher.getAuthTag().toString('base64url'),
      data: data.toString('base64url'),
    };
  }

  /** The data, or undefined when the row was not sealed by this secret for this id. */
  open<T>(sid: string, sealed: unknown): T | undefined {
    const box = sealed as Partial<SealedSessionData> | null;
    if (
      box?.v !== 1 ||
      typeof box.iv !== 'string' ||
      typeof box.tag !== 'string' ||
      typeof box.data !== 'string'
    ) {
      return undefined;
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(box.iv, 'base64url'))
        .setAAD(Buffer.from(sid))
        .setAuthTag(Buffer.from(box.tag, 'base64url'));
      const text = Buffer.concat([
        decipher.update(Buffer.from(box.data, 'base64url')),
        decipher.final(),
      ]).toString('utf8');
      return JSON.parse(text) as T;
    } catch {
      return undefined;
    }
  }
}
