import { generateKeyPairSync, sign, verify } from 'node:crypto';
import {
  defaultKeyId,
  fingerprintOf,
  publicKeyInfo,
  readPublicKeys,
  seedOf,
  signingKeyFromSeed,
} from './signing-key';

// RFC 8032, section 7.1, test 1: the seed, its public key and the signature of the empty message.
const RFC_SEED = Buffer.from(
  '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
  'hex',
).toString('base64url');
const RFC_PUBLIC = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';
const RFC_SIGNATURE =
  'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b';

describe('signingKeyFromSeed', () => {
  it('makes the RFC 8032 key from its seed, signing as the RFC says', () => {
    const key = signingKeyFromSeed(RFC_SEED, 'k1');
    const spki = key.publicKey.export({ format: 'der', type: 'spki' });
    expect(spki.subarray(-32).toString('hex')).toBe(RFC_PUBLIC);
    expect(sign(null, Buffer.alloc(0), key.privateKey).toString('hex')).toBe(RFC_SIGNATURE);
    expect(key).toMatchObject({ keyId: 'k1', source: 'configured' });
  });

  it('derives the key id from the public key when none is given', () => {
    const key = signingKeyFromSeed(RFC_SEED);
    expect(key.keyId).toBe(defaultKeyId(key.publicKey));
    expect(key.keyId).toMatch(/^ed25519-[0-9a-f]{16}$/);
  });

  it.each([
    ['too short', RFC_SEED.slice(1)],
    ['standard base64 with padding', Buffer.alloc(32, 0xff).toString('base64')],
    ['a PEM', '-----BEGIN PRIVATE KEY-----'],
  ])('refuses a seed that is %s', (_what, seed) => {
    expect(() => signingKeyFromSeed(seed)).toThrow(/32 bytes in base64url/);
  });
});

describe('seedOf', () => {
  it('gives back the seed a key was made from', () => {
    expect(seedOf(signingKeyFromSeed(RFC_SEED).privateKey)).toBe(RFC_SEED);
  });
});

describe('publicKeyInfo', () => {
  it('gives a PEM that verifies what the key signed, and its sha256 fingerprint', () => {
    const key = signingKeyFromSeed(RFC_SEED, 'k1');
    const info = publicKeyInfo(key);
    const [publicKey] = readPublicKeys(info.pem);
    const message = Buffer.from('checkpoint');
    expect(verify(null, message, publicKey, sign(null, message, key.privateKey))).toBe(true);
    expect(info.fingerprint).toBe(fingerprintOf(key.publicKey));
    expect(info.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});

describe('readPublicKeys', () => {
  it('reads every key of a text holding several', () => {
    const pems = [0, 1].map(() =>
      generateKeyPairSync('ed25519').publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    );
    expect(readPublicKeys(`old:\n${pems[0]}\nnew:\n${pems[1]}`)).toHaveLength(2);
  });

  it('refuses a key that is not Ed25519 and a text without a key', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({
      format: 'pem',
      type: 'spki',
    });
    expect(() => readPublicKeys(rsa.toString())).toThrow(/rsa key, not Ed25519/);
    expect(() => readPublicKeys('hello')).toThrow(/no "BEGIN PUBLIC KEY" block/);
  });
});
