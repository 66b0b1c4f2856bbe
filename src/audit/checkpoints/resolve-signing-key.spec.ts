import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fingerprintOf, publicKeyInfo, signingKeyFromSeed } from './signing-key';
import {
  existingSigningKey,
  previousPublicKeys,
  readOrCreateDevelopmentKey,
  resolveSigningKey,
} from './resolve-signing-key';

const SEED = Buffer.alloc(32, 9).toString('base64url');
const folder = () => mkdtempSync(join(tmpdir(), 'mf-key-'));

describe('resolveSigningKey', () => {
  it('uses the configured key without a warning', () => {
    const warnings: string[] = [];
    const key = resolveSigningKey({ signingKeySeed: SEED, keyId: 'k' }, (l) => warnings.push(l));
    expect(key).toMatchObject({ keyId: 'k', source: 'configured' });
    expect(warnings).toEqual([]);
  });

  it('makes a development key file once and signs with it again on the next start', () => {
    const file = join(folder(), 'data', 'audit-signing-dev.key');
    const warnings: string[] = [];
    const first = resolveSigningKey({ developmentKeyFile: file }, (l) => warnings.push(l));
    const second = resolveSigningKey({ developmentKeyFile: file }, (l) => warnings.push(l));
    expect(first.source).toBe('development-file');
    expect(fingerprintOf(second.publicKey)).toBe(fingerprintOf(first.publicKey));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(
      /development key in .*audit-signing-dev\.key \(never use it in production\)$/,
    );
  });

  it('falls back to a key for this run only, with a warning, when no file can be kept', () => {
    const blocker = join(folder(), 'a-file');
    writeFileSync(blocker, 'x');
    const warnings: string[] = [];
    const key = resolveSigningKey({ developmentKeyFile: join(blocker, 'k.key') }, (l) =>
      warnings.push(l),
    );
    expect(key.source).toBe('ephemeral');
    expect(warnings).toEqual([expect.stringMatching(/will not verify after a restart$/)]);
  });
});

describe('readOrCreateDevelopmentKey', () => {
  it('gives every later caller the key the first one made', async () => {
    const file = join(folder(), 'k.key');
    const keys = await Promise.all(
      Array.from({ length: 20 }, async () => readOrCreateDevelopmentKey(file)),
    );
    expect(new Set(keys.map((k) => fingerprintOf(k.publicKey))).size).toBe(1);
    expect(readFileSync(file, 'utf8')).toMatch(/^[A-Za-z0-9_-]{43}\n$/);
  });
});

describe('existingSigningKey', () => {
  it('reads an existing development key and never makes one', () => {
    const file = join(folder(), 'k.key');
    expect(existingSigningKey({ developmentKeyFile: file })).toBeUndefined();
    const made = readOrCreateDevelopmentKey(file);
    expect(fingerprintOf(existingSigningKey({ developmentKeyFile: file })!.publicKey)).toBe(
      fingerprintOf(made.publicKey),
    );
  });
});

describe('previousPublicKeys', () => {
  it('reads the earlier keys from the file AUDIT_PREVIOUS_PUBLIC_KEYS names', () => {
    const file = join(folder(), 'previous.pem');
    const pems = [1, 2].map(
      (n) => publicKeyInfo(signingKeyFromSeed(Buffer.alloc(32, n).toString('base64url'))).pem,
    );
    writeFileSync(file, pems.join('\n'));
    expect(previousPublicKeys({ previousPublicKeysFile: file })).toHaveLength(2);
    expect(previousPublicKeys({})).toEqual([]);
  });

  it('stops the start in one line when the file cannot be read', () => {
    expect(() => previousPublicKeys({ previousPublicKeysFile: '/nonexistent/keys.pem' })).toThrow(
      'Invalid configuration: AUDIT_PREVIOUS_PUBLIC_KEYS /nonexistent/keys.pem: ENOENT',
    );
  });
});
