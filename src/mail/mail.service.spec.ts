import { Logger } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  aCaseQuestionLetter,
  anOfficerReceiptLetter,
  aReceiptLetter,
} from './deferral-receipt-letter.test-factory';
import { MailModule } from './mail.module';
import { MailService } from './mail.service';
import { readMessage } from './testing/mime-reader';
import { closedPortUrl, startSilentServer, startSmtpServer } from './testing/smtp-test-servers';

const NBSP = '\u00a0';
const MAIL_ENV = ['SMTP_URL', 'MAIL_FROM', 'SMTP_TIMEOUT_MS'] as const;
const RESIDENT = 'kari.nordmann@example.no';

describe(MailService, () => {
  const savedEnv = Object.fromEntries(MAIL_ENV.map((name) => [name, process.env[name]]));
  const cleanups: (() => Promise<void>)[] = [];
  let logs: { level: string; message: string }[];

  beforeEach(() => {
    logs = [];
    // Only MailService's own lines; Nest's start-up chatter has other contexts.
    const record = (level: string) =>
      function (this: unknown, message: unknown) {
        if ((this as { context?: string }).context === 'Mail')
          logs.push({ level, message: String(message) });
      };
    jest.spyOn(Logger.prototype, 'log').mockImplementation(record('log'));
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(record('warn'));
    jest.spyOn(Logger.prototype, 'error').mockImplementation(record('error'));
  });

  afterEach(async () => {
    while (cleanups.length > 0) await cleanups.pop()!();
    for (const name of MAIL_ENV) {
      if (savedEnv[name] === undefined) delete process.env[name];
      else process.env[name] = savedEnv[name];
    }
    jest.restoreAllMocks();
  });

  /** MailService as the app gets it: MailModule, configured from the environment. */
  async function mailServiceWith(
    env: Partial<Record<(typeof MAIL_ENV)[number], string>>,
  ): Promise<MailService> {
    for (const name of MAIL_ENV) delete process.env[name];
    Object.assign(process.env, env);
    const moduleRef: TestingModule = await Test.createTestingModule({
      imports: [MailModule],
    }).compile();
    await moduleRef.init();
    cleanups.push(() => moduleRef.close());
    return moduleRef.get(MailService);
  }

  async function smtpServer(options?: { rejectRecipients?: boolean }) {
    const server = await startSmtpServer(options);
    cleanups.push(server.close);
    return server;
  }

  describe('sendDeferralReceipt', () => {
    it('delivers subject, sender, recipient and both parts to a real SMTP server', async () => {
      const server = await smtpServer();
      const mail = await mailServiceWith({
        SMTP_URL: server.url,
        MAIL_FROM: '"Fjordvik kommune – faktura" <no-reply@fjordvik.example.no>',
      });

      const result = await mail.sendDeferralReceipt(RESIDENT, aReceiptLetter());

      expect(result).toEqual({ sent: true, messageId: expect.stringMatching(/^<.+@.+>$/) });
      expect(server.messages).toHaveLength(1);
      const [received] = server.messages;
      expect(received.mailFrom).toBe('no-reply@fjordvik.example.no');
      expect(received.rcptTo).toEqual([RESIDENT]);

      const message = readMessage(received.raw);
      expect(message.header('subject')).toBe(
        'Betalingsutsettelse innvilget – ref. UTS-2026-000123',
      );
      // The display name travels as an RFC 2047 encoded word (it has a dash), so without quotes.
      expect(message.headers.get('from')).toMatch(/^=\?UTF-8\?[QB]\?/i);
      expect(message.header('from')).toBe(
        'Fjordvik kommune – faktura <no-reply@fjordvik.example.no>',
      );
      expect(message.header('to')).toBe(RESIDENT);
      expect(message.header('message-id')).toBe(result.sent ? result.messageId : '');
      expect(message.header('auto-submitted')).toBe('auto-generated');
      expect(message.header('content-language')).toBe('nb');

      expect(message.text.type).toMatch(/^text\/plain; charset=utf-8/i);
      expect(message.html.type).toMatch(/^text\/html; charset=utf-8/i);
      for (const part of [message.text.content, message.html.content]) {
        expect(part).toContain('Du har fått betalingsutsettelse');
        expect(part).toContain('UTS-2026-000123');
        expect(part).toContain('15. desember 2026');
        expect(part).toContain(`1${NBSP}234,50${NBSP}kr`);
      }
      expect(message.text.content).toContain('Ny forfallsdato: 15. desember 2026');
      expect(message.html.content).toContain('<html lang="nb">');
      expect(logs.filter((l) => l.level !== 'log')).toEqual([]);
    });

    it('answers smtp-failed, without throwing or logging the local part, when the server refuses the recipient', async () => {
      const server = await smtpServer({ rejectRecipients: true });
      const mail = await mailServiceWith({ SMTP_URL: server.url });

      const result = await mail.sendDeferralReceipt(RESIDENT, aReceiptLetter());

      expect(result).toEqual({
        sent: false,
        reason: 'smtp-failed',
        detail: 'EENVELOPE 550',
        permanent: true,
      });
      expect(server.messages).toHaveLength(0);
      const warnings = logs.filter((l) => l.level === 'warn').map((l) => l.message);
      expect(warnings).toEqual([
        'Receipt UTS-2026-000123 to an address at example.no was not sent: EENVELOPE 550',
      ]);
      expect(JSON.stringify(logs)).not.toContain('kari');
    });

    it('answers smtp-failed at once when nothing listens on the SMTP port', async () => {
      const mail = await mailServiceWith({
        SMTP_URL: await closedPortUrl(),
        SMTP_TIMEOUT_MS: '2000',
      });

      const started = Date.now();
      const result = await mail.sendDeferralReceipt(RESIDENT, aReceiptLetter());

      expect(result).toMatchObject({
        sent: false,
        reason: 'smtp-failed',
        detail: expect.stringContaining('ECONNREFUSED'),
      });
      expect(Date.now() - started).toBeLessThan(2000);
    });

    it('answers smtp-failed within SMTP_TIMEOUT_MS when the server never answers', async () => {
      const silent = await startSilentServer();
      cleanups.push(silent.close);
      const mail = await mailServiceWith({ SMTP_URL: silent.url, SMTP_TIMEOUT_MS: '300' });

      const started = Date.now();
      const result = await mail.sendDeferralReceipt(RESIDENT, aReceiptLetter());
      const elapsed = Date.now() - started;

      expect(result).toMatchObject({
        sent: false,
        reason: 'smtp-failed',
        detail: expect.stringMatching(/ETIMEDOUT|EABORT/),
      });
      expect(elapsed).toBeGreaterThanOrEqual(250);
      expect(elapsed).toBeLessThan(1500);
    });

    it('answers mail-disabled when SMTP_URL is unset, and said so once at start', async () => {
      const mail = await mailServiceWith({});

      await expect(mail.sendDeferralReceipt(RESIDENT, aReceiptLetter())).resolves.toEqual({
        sent: false,
        reason: 'mail-disabled',
      });
      await mail.sendDeferralReceipt(RESIDENT, aReceiptLetter());
      expect(logs).toEqual([
        {
          level: 'warn',
          message: 'E-mail is off (SMTP_URL is not set): deferral receipts will not be e-mailed',
        },
      ]);
    });

    it.each([
      'not-an-address',
      'Kari <kari@example.no>',
      'kari@example.no, ola@example.no',
      'kari@example.no\r\nBcc: x@example.no',
    ])('answers invalid-address for %p without contacting the server', async (address) => {
      const server = await smtpServer();
      const mail = await mailServiceWith({ SMTP_URL: server.url });

      await expect(mail.sendDeferralReceipt(address, aReceiptLetter())).resolves.toEqual({
        sent: false,
        reason: 'invalid-address',
      });
      expect(server.connections()).toBe(0);
    });

    it('answers invalid-letter without contacting the server when the letter cannot be written', async () => {
      const server = await smtpServer();
      const mail = await mailServiceWith({ SMTP_URL: server.url });

      const result = await mail.sendDeferralReceipt(RESIDENT, aReceiptLetter({ newDueDate: null }));

      expect(result).toEqual({
        sent: false,
        reason: 'invalid-letter',
        detail: 'an approval needs newDueDate',
      });
      expect(server.connections()).toBe(0);
    });

    it('delivers an officer’s question, with line breaks in the reference kept out of the headers', async () => {
      const server = await smtpServer();
      const mail = await mailServiceWith({ SMTP_URL: server.url });

      const result = await mail.sendDeferralReceipt(
        RESIDENT,
        aCaseQuestionLetter({
          reference: 'UTS-2026-000123\r\nBcc: victim@example.org\r\nX-Injected: yes',
          question: 'Har du fått lønn i november?\r\n<b>Svar</b> på Min side.',
        }),
      );

      expect(result).toMatchObject({ sent: true });
      const [received] = server.messages;
      expect(received.rcptTo).toEqual([RESIDENT]);
      const message = readMessage(received.raw);
      expect(message.headers.has('bcc')).toBe(false);
      expect(message.headers.has('x-injected')).toBe(false);
      expect(message.header('subject')).toBe(
        'Kommunen trenger mer informasjon om søknaden din – UTS-2026-000123 Bcc: victim@example.org X-Injected: yes',
      );
      expect(message.text.content).toContain(
        '> Har du fått lønn i november?\r\n> <b>Svar</b> på Min side.',
      );
      expect(message.html.content).toContain(
        'Har du fått lønn i november?<br>&lt;b&gt;Svar&lt;/b&gt; på Min side.',
      );
    });

    it('delivers the receipt of a case an officer decided', async () => {
      const server = await smtpServer();
      const mail = await mailServiceWith({ SMTP_URL: server.url });

      await expect(
        mail.sendDeferralReceipt(RESIDENT, anOfficerReceiptLetter()),
      ).resolves.toMatchObject({ sent: true });

      const message = readMessage(server.messages[0].raw);
      expect(message.header('subject')).toBe(
        'Saksbehandler har behandlet søknaden din om utsettelse – Vann og avløp, 4. termin',
      );
      expect(message.text.content).toContain(
        'Du har dokumentert at inntekten din har falt i høst.',
      );
    });

    it('logs the server at start without its credentials', async () => {
      await mailServiceWith({ SMTP_URL: 'smtp://user:s3cret@127.0.0.1:2525' });
      expect(logs).toEqual([
        { level: 'log', message: 'Receipts are e-mailed through smtp://127.0.0.1:2525' },
      ]);
    });
  });
});
