import { parseAuditCheckpointConfig } from './audit-checkpoint.config';

const SEED = Buffer.alloc(32, 7).toString('base64url');

describe('parseAuditCheckpointConfig', () => {
  it('checkpoints hourly with a development key file beside the SQLite file by default', () => {
    const config = parseAuditCheckpointConfig({ SQLITE_PATH: '/tmp/x/db.sqlite' });
    expect(config).toMatchObject({
      signingKeySeed: undefined,
      intervalMs: 3_600_000,
      email: undefined,
      developmentKeyFile: '/tmp/x/audit-signing-dev.key',
    });
  });

  it('reads the key, its id, the interval and the address', () => {
    expect(
      parseAuditCheckpointConfig({
        NODE_ENV: 'production',
        AUDIT_SIGNING_KEY: SEED,
        AUDIT_SIGNING_KEY_ID: 'revisjon-2026',
        AUDIT_CHECKPOINT_MINUTES: '15',
        AUDIT_CHECKPOINT_EMAIL: 'revisjon@fjordvik.kommune.no',
        AUDIT_PREVIOUS_PUBLIC_KEYS: '/etc/minside/audit-2025.pem',
      }),
    ).toEqual({
      signingKeySeed: SEED,
      keyId: 'revisjon-2026',
      previousPublicKeysFile: '/etc/minside/audit-2025.pem',
      intervalMs: 900_000,
      email: 'revisjon@fjordvik.kommune.no',
      developmentKeyFile: undefined,
    });
  });

  it('refuses production without a key, in one line', () => {
    expect(() => parseAuditCheckpointConfig({ NODE_ENV: 'production' })).toThrow(
      /^Invalid configuration: AUDIT_SIGNING_KEY must be set in production \(/,
    );
  });

  it('refuses a key that is not a base64url seed without showing it', () => {
    const secret = 'not-a-seed-but-secret';
    expect(() => parseAuditCheckpointConfig({ AUDIT_SIGNING_KEY: secret })).toThrow(
      /^Invalid configuration: AUDIT_SIGNING_KEY must be 32 random bytes in base64url/,
    );
    try {
      parseAuditCheckpointConfig({ AUDIT_SIGNING_KEY: secret });
    } catch (error) {
      expect((error as Error).message).not.toContain(secret);
    }
  });

  it.each([
    ['AUDIT_CHECKPOINT_MINUTES', '0', /from 1 to 10080, got '0'/],
    ['AUDIT_CHECKPOINT_EMAIL', 'a@b.no, c@d.no', /must be one e-mail address/],
    ['AUDIT_SIGNING_KEY_ID', 'two words', /printable characters without spaces/],
  ])('refuses %s=%s', (name, value, message) => {
    expect(() => parseAuditCheckpointConfig({ [name]: value })).toThrow(message);
  });
});
