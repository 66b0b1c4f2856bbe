import { MikroORM } from '@mikro-orm/core';
import { AuditCheckpoints, AuditService } from '../../src/audit';
import { readPublicKeys } from '../../src/audit/checkpoints/signing-key';
import { signedBy } from '../../src/audit/checkpoints/checkpoint-statement';
import { ReceiptMailJob } from '../../src/mail/receipt-mail-job.entity';
import type { Municipality } from '../../src/tenancy/municipality.entity';
import { createMunicipality } from '../support/factories';
import { decodeQuotedPrintable, startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { startTestApp, type TestApp } from '../support/test-app';

// A checkpoint leaves the system: e-mailed to the auditor's address through the mail outbox, with
// the statement and signature intact enough to verify from the e-mail alone.
const AUDITOR = 'revisjon@kommune-a.test';

async function appendThree(t: TestApp, municipality: Municipality): Promise<void> {
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
}

describe('Audit checkpoints by e-mail (e2e)', () => {
  let smtp: SmtpSink;
  let t: TestApp;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    t = await startTestApp({
      SMTP_URL: smtp.url,
      MAIL_POLL_MS: '100',
      AUDIT_CHECKPOINT_EMAIL: AUDITOR,
    });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('e-mails a new checkpoint whose statement and signature verify from the mail alone', async () => {
    const municipality = await createMunicipality(t.em());
    await appendThree(t, municipality);
    const checkpoints = t.app.get(AuditCheckpoints);
    const outcome = await checkpoints.checkpointNow(municipality.id);
    expect(outcome.kind).toBe('created');

    const mail = await smtp.waitFor(AUDITOR);
    const text = decodeQuotedPrintable(mail.raw);
    expect(text).toMatch(new RegExp(`^Subject: .*${municipality.slug}.* 3$`, 'm'));
    expect(text).not.toMatch(/Content-Type: text\/html/);
    const lines = text.split(/\r?\n/);
    const statement = lines.find((l) => l.startsWith('{"hash":'))!;
    const signature = lines[lines.findIndex((l) => l.startsWith('Signatur')) + 1];
    const keys = readPublicKeys(checkpoints.publicKey().pem);
    expect(signedBy(statement, signature, keys)).toBeDefined();
    expect(JSON.parse(statement)).toMatchObject({ municipality: municipality.slug, seq: 3 });
  });

  it('e-mails nothing when asked again for a head already checkpointed', async () => {
    const municipality = await createMunicipality(t.em());
    await appendThree(t, municipality);
    const checkpoints = t.app.get(AuditCheckpoints);
    await checkpoints.checkpointNow(municipality.id);
    await checkpoints.checkpointNow(municipality.id);
    const jobs = await t.em().find(ReceiptMailJob, { municipalityId: municipality.id });
    expect(jobs.map((j) => j.recipient)).toEqual([AUDITOR]);
  });
});

describe('Audit checkpoints with an address but no SMTP server (e2e)', () => {
  it('queues no e-mail and still makes the checkpoint', async () => {
    const t = await startTestApp({ AUDIT_CHECKPOINT_EMAIL: AUDITOR });
    try {
      const municipality = await createMunicipality(t.em());
      await appendThree(t, municipality);
      expect((await t.app.get(AuditCheckpoints).checkpointNow(municipality.id)).kind).toBe(
        'created',
      );
      expect(await t.em().count(ReceiptMailJob, {})).toBe(0);
    } finally {
      await t.close();
    }
  });
});
