import { dirname, resolve } from 'node:path';
import { ConfigType, registerAs } from '@nestjs/config';
import { z } from 'zod';
import { ConfigError } from '../../config/config.error';
import { PROJECT_ROOT } from '../../config/paths';
import { isSeed } from './signing-key';

const blankAsUnset = (value: unknown) => (value === '' ? undefined : value);

const schema = z.object({
  NODE_ENV: z.string().optional(),
  SQLITE_PATH: z.string().optional(),
  AUDIT_SIGNING_KEY: z.preprocess(
    blankAsUnset,
    z
      .string()
      .refine(isSeed, 'must be 32 random bytes in base64url (43 characters), see the README')
      .optional(),
  ),
  AUDIT_SIGNING_KEY_ID: z.preprocess(
    blankAsUnset,
    z
      .string()
      .regex(/^[\x21-\x7e]{1,100}$/, 'must be 1–100 printable characters without spaces')
      .optional(),
  ),
  AUDIT_PREVIOUS_PUBLIC_KEYS: z.preprocess(blankAsUnset, z.string().optional()),
  AUDIT_CHECKPOINT_MINUTES: z.preprocess(
    blankAsUnset,
    z.coerce
      .number({ error: 'must be a whole number of minutes from 1 to 10080' })
      .int('must be a whole number of minutes from 1 to 10080')
      .min(1, 'must be a whole number of minutes from 1 to 10080')
      .max(10_080, 'must be a whole number of minutes from 1 to 10080')
      .default(60),
  ),
  AUDIT_CHECKPOINT_EMAIL: z.preprocess(
    blankAsUnset,
    z
      .string()
      .regex(/^[^@\s<>",;]+@[^@\s<>",;]+\.[^@\s<>",;]+$/, 'must be one e-mail address')
      .optional(),
  ),
});

/** The key file a development or test installation signs with when AUDIT_SIGNING_KEY is unset. */
export const DEVELOPMENT_KEY_FILE = 'audit-signing-dev.key';

/**
 * Signed checkpoints of the audit chains: the signing key (required in production, where the
 * portal refuses to start without it), how often checkpoints are made, and where they are
 * e-mailed. The key is never shown in an error.
 */
export function parseAuditCheckpointConfig(
  env: Record<string, string | undefined>,
  /** False for the verify command: an auditor brings the public key, not the private one. */
  requireKeyInProduction = true,
) {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue.path[0]);
    const shown = name === 'AUDIT_SIGNING_KEY' ? '' : `, got '${String(env[name]).slice(0, 60)}'`;
    throw new ConfigError(`Invalid configuration: ${name} ${issue.message}${shown}`);
  }
  const data = parsed.data;
  const production = data.NODE_ENV === 'production';
  if (production && requireKeyInProduction && !data.AUDIT_SIGNING_KEY)
    throw new ConfigError(
      'Invalid configuration: AUDIT_SIGNING_KEY must be set in production (the key that signs audit checkpoints; see the README)',
    );
  return {
    signingKeySeed: data.AUDIT_SIGNING_KEY,
    keyId: data.AUDIT_SIGNING_KEY_ID,
    /** A PEM file of the public keys of earlier signing keys, whose checkpoints stay trusted. */
    previousPublicKeysFile: data.AUDIT_PREVIOUS_PUBLIC_KEYS
      ? resolve(data.AUDIT_PREVIOUS_PUBLIC_KEYS)
      : undefined,
    intervalMs: data.AUDIT_CHECKPOINT_MINUTES * 60_000,
    email: data.AUDIT_CHECKPOINT_EMAIL,
    /**
     * Without a configured key outside production: a key file beside the SQLite database (the
     * demo's `data/`), so the demo's checkpoints still verify after a restart and with the CLI.
     */
    developmentKeyFile: production
      ? undefined
      : resolve(
          dirname(resolve(PROJECT_ROOT, data.SQLITE_PATH ?? 'data/minside-faktura.sqlite')),
          DEVELOPMENT_KEY_FILE,
        ),
  };
}

export const auditCheckpointConfig = registerAs('auditCheckpoints', () =>
  parseAuditCheckpointConfig(process.env),
);
export type AuditCheckpointConfig = ConfigType<typeof auditCheckpointConfig>;
