import { generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { ConfigError } from '../../config/config.error';
import { PROJECT_ROOT } from '../../config/paths';
import type { AuditCheckpointConfig } from './audit-checkpoint.config';
import {
  fromPrivateKey,
  readPublicKeys,
  seedOf,
  type SigningKey,
  signingKeyFromSeed,
} from './signing-key';

type Config = Partial<
  Pick<
    AuditCheckpointConfig,
    'signingKeySeed' | 'keyId' | 'developmentKeyFile' | 'previousPublicKeysFile'
  >
>;

/**
 * The public keys of earlier signing keys (AUDIT_PREVIOUS_PUBLIC_KEYS): after a key change the
 * checkpoints signed before it still verify. An unreadable file stops the start in one line.
 */
export function previousPublicKeys(config: Config): KeyObject[] {
  const file = config.previousPublicKeysFile;
  if (!file) return [];
  try {
    return readPublicKeys(readFileSync(file, 'utf8'));
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ConfigError(
      `Invalid configuration: AUDIT_PREVIOUS_PUBLIC_KEYS ${shown(file)}: ${why}`,
    );
  }
}

/**
 * The key checkpoints are signed with: AUDIT_SIGNING_KEY; outside production without it, the
 * development key file (made on first use), or failing that a key for this run only. The last
 * two are announced with one warning each start, since checkpoints they sign prove little.
 */
export function resolveSigningKey(config: Config, warn: (line: string) => void): SigningKey {
  if (config.signingKeySeed) return signingKeyFromSeed(config.signingKeySeed, config.keyId);
  if (config.developmentKeyFile) {
    try {
      const key = readOrCreateDevelopmentKey(config.developmentKeyFile, config.keyId);
      warn(
        `AUDIT_SIGNING_KEY is not set: audit checkpoints are signed with the development key in ${shown(config.developmentKeyFile)} (never use it in production)`,
      );
      return key;
    } catch {
      // A read-only or missing data folder: fall through to a key of this run's own.
    }
  }
  warn(
    'AUDIT_SIGNING_KEY is not set and no development key file could be kept: audit checkpoints are signed with a key made for this run only and will not verify after a restart',
  );
  return fromPrivateKey(generateKeyPairSync('ed25519').privateKey, config.keyId, 'ephemeral');
}

/** The configured key, or outside production the development key file if one exists; never made here. */
export function existingSigningKey(config: Config): SigningKey | undefined {
  if (config.signingKeySeed) return signingKeyFromSeed(config.signingKeySeed, config.keyId);
  if (!config.developmentKeyFile) return undefined;
  try {
    return readDevelopmentKey(config.developmentKeyFile, config.keyId);
  } catch {
    return undefined;
  }
}

/**
 * Reads the key file, making it (mode 0600) if there is none. Several processes may start at once
 * on one data folder: each writes a file of its own and links it into place, and whoever loses
 * the race reads the winner's, so all of them sign with the same key.
 */
export function readOrCreateDevelopmentKey(file: string, keyId?: string): SigningKey {
  try {
    return readDevelopmentKey(file, keyId);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dirname(file), { recursive: true });
  const own = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(own, `${seedOf(generateKeyPairSync('ed25519').privateKey)}\n`, { mode: 0o600 });
  try {
    linkSync(own, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(own);
  }
  return readDevelopmentKey(file, keyId);
}

function readDevelopmentKey(file: string, keyId?: string): SigningKey {
  return signingKeyFromSeed(readFileSync(file, 'utf8').trim(), keyId, 'development-file');
}

function shown(file: string): string {
  const inProject = relative(PROJECT_ROOT, file);
  return inProject.startsWith('..') ? file : inProject;
}
