import { randomBytes } from 'node:crypto';
import { sha256Hex } from './audit-hash';

const SALT_BYTES = 32;
/** Salts drawn 128 at a time (as Node draws `randomUUID`s): a decision makes two, on every request. */
const POOL_BYTES = SALT_BYTES * 128;
let pool = Buffer.alloc(0);
let taken = 0;

/** 32 random bytes as 64 hex digits: the salt one record's texts are hashed with in the chain. */
export function newAuditSalt(): string {
  if (taken + SALT_BYTES > pool.length) {
    pool = randomBytes(POOL_BYTES);
    taken = 0;
  }
  const salt = pool.toString('hex', taken, taken + SALT_BYTES);
  taken += SALT_BYTES;
  return salt;
}

/**
 * What an audit payload holds in place of a personal text (an officer's reason or question, a
 * resident's message, a resolution note): sha256 of the record's salt, a line feed and the text.
 * The chain cannot be rewritten, so the text itself stays in its row, where the retention job can
 * remove it; the hash still ties that row to the chain while the salt exists. Without the salt
 * nobody can confirm a guess (a short answer, an identity number) against the hash, and once the
 * salt is removed with the text, the hash says nothing about either.
 */
export function saltedSha256(salt: string, text: string): string {
  if (!/^[0-9a-f]{64}$/.test(salt)) throw new TypeError('salt must be 64 hex digits');
  return sha256Hex(`${salt}\n${text}`);
}
