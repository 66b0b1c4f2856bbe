import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MikroORM } from '@mikro-orm/core';
import { AuditCheckpoints, AuditService } from '../../src/audit';
import { AuditCheckpointScheduler } from '../../src/audit/checkpoints/audit-checkpoint.scheduler';
import { signingKeyFromSeed, fingerprintOf } from '../../src/audit/checkpoints/signing-key';
import { AuditVerifier } from '../../src/audit/verify/audit.verifier';
import { startupFailureMessage } from '../../src/startup-failure';
import { createMunicipality } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';

// The portal as it runs: its signing key from configuration, the checkpoint round the timer runs,
// and its own verifier trusting the checkpoints it signed.
const SEED = randomBytes(32).toString('base64url');

describe('Audit checkpoints in the portal (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ AUDIT_SIGNING_KEY: SEED, AUDIT_SIGNING_KEY_ID: 'fjordvik-2026' });
  });
  afterAll(() => t?.close());

  it('signs with the configured key and publishes its public half', () => {
    const info = t.app.get(AuditCheckpoints).publicKey();
    expect(info).toMatchObject({ keyId: 'fjordvik-2026', source: 'configured' });
    expect(info.fingerprint).toBe(fingerprintOf(signingKeyFromSeed(SEED).publicKey));
  });

  it('checkpoints a moved head in a round, and its own verifier holds the chain to it', async () => {
    const municipality = await createMunicipality(t.em());
    const orm = t.app.get(MikroORM);
    for (let i = 0; i < 3; i++)
      await orm.em.fork().transactional((em) =>
        t.app.get(AuditService).append(em, {
          municipalityId: municipality.id,
          type: 'deferral.decided',
          subjectId: `req-${i}`,
          payload: { i },
        }),
      );
    await t.app.get(AuditCheckpointScheduler).round();
    expect(await t.app.get(AuditCheckpoints).latest(municipality.id)).toMatchObject({
      seq: 3,
      keyId: 'fjordvik-2026',
    });
    expect(await t.app.get(AuditVerifier).verify(municipality.id)).toMatchObject({
      ok: true,
      entries: 3,
      checkpoints: 1,
    });
  });
});

describe('Audit checkpoints without a configured key (e2e)', () => {
  it('signs with a development key file beside the SQLite database outside production', async () => {
    const t = await startTestApp();
    try {
      const info = t.app.get(AuditCheckpoints).publicKey();
      expect(info.source).toBe('development-file');
      if (t.db.kind === 'sqlite')
        expect(existsSync(join(dirname(t.db.env.SQLITE_PATH), 'audit-signing-dev.key'))).toBe(true);
    } finally {
      await t.close();
    }
  });

  it('refuses to start in production, in one line', async () => {
    const started = startTestApp({ NODE_ENV: 'production', SESSION_SECRET: 's'.repeat(40) });
    const error = await started.then(
      async (t) => {
        await t.close();
        return undefined;
      },
      (e: unknown) => e,
    );
    expect(startupFailureMessage(error)).toBe(
      'Invalid configuration: AUDIT_SIGNING_KEY must be set in production (the key that signs audit checkpoints; see the README)',
    );
  });
});
