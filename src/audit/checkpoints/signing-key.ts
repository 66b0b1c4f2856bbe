import { createPrivateKey, createPublicKey, hash, type KeyObject } from 'node:crypto';

/** RFC 8410's PKCS#8 wrapping of an Ed25519 private key: this fixed prefix, then the 32-byte seed. */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SEED = /^[A-Za-z0-9_-]{43}$/;

/** Where the portal's signing key came from, so pages and logs can say how far to trust it. */
export type SigningKeySource = 'configured' | 'development-file' | 'ephemeral';

export interface SigningKey {
  readonly keyId: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly source: SigningKeySource;
}

/** What an auditor needs to check checkpoints: the public key, its id and its fingerprint. */
export interface PublicKeyInfo {
  readonly keyId: string;
  /** SPKI PEM (`-----BEGIN PUBLIC KEY-----`). */
  readonly pem: string;
  /** `sha256:` and the hex sha256 of the key's DER (SPKI) bytes, as `openssl pkey -pubin -outform DER | sha256sum` shows it. */
  readonly fingerprint: string;
  readonly source: SigningKeySource;
}

/** True for the base64url text of 32 bytes: what AUDIT_SIGNING_KEY holds. */
export function isSeed(text: string): boolean {
  return SEED.test(text);
}

/**
 * The key from its 32-byte seed (base64url, 43 characters). A seed rather than a PEM because it is
 * one line, which environment variables and secret stores keep intact; `keyId` defaults to one
 * derived from the public key, so a new key gets a new id by itself.
 */
export function signingKeyFromSeed(
  seed: string,
  keyId?: string,
  source: SigningKeySource = 'configured',
): SigningKey {
  if (!isSeed(seed))
    throw new TypeError('an Ed25519 seed is 32 bytes in base64url (43 characters)');
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, Buffer.from(seed, 'base64url')]),
    format: 'der',
    type: 'pkcs8',
  });
  return fromPrivateKey(privateKey, keyId, source);
}

export function fromPrivateKey(
  privateKey: KeyObject,
  keyId: string | undefined,
  source: SigningKeySource,
): SigningKey {
  const publicKey = createPublicKey(privateKey);
  return { keyId: keyId ?? defaultKeyId(publicKey), privateKey, publicKey, source };
}

/** The seed of an Ed25519 private key, base64url: the last 32 bytes of its PKCS#8 form. */
export function seedOf(privateKey: KeyObject): string {
  return privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(-32).toString('base64url');
}

export function fingerprintOf(publicKey: KeyObject): string {
  return `sha256:${hash('sha256', publicKey.export({ format: 'der', type: 'spki' }), 'hex')}`;
}

export function defaultKeyId(publicKey: KeyObject): string {
  return `ed25519-${fingerprintOf(publicKey).slice('sha256:'.length, 'sha256:'.length + 16)}`;
}

export function publicKeyInfo(key: SigningKey): PublicKeyInfo {
  return {
    keyId: key.keyId,
    pem: key.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    fingerprint: fingerprintOf(key.publicKey),
    source: key.source,
  };
}

/**
 * Every Ed25519 public key in a PEM text (an auditor may trust several, across a key change).
 * Throws a TypeError naming what is wrong, never the text itself.
 */
export function readPublicKeys(pem: string): KeyObject[] {
  const blocks = pem.match(/-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/g) ?? [];
  if (blocks.length === 0) throw new TypeError('no "BEGIN PUBLIC KEY" block');
  return blocks.map((block) => {
    const key = createPublicKey(block);
    if (key.asymmetricKeyType !== 'ed25519')
      throw new TypeError(`a ${key.asymmetricKeyType ?? 'unknown'} key, not Ed25519`);
    return key;
  });
}
