import { ConfigError } from '../config/config.error';
import { DEFAULT_MAIL_FROM, parseMailConfig } from './mail.config';

describe('parseMailConfig', () => {
  it('turns e-mail off when SMTP_URL is unset or blank', () => {
    for (const env of [{}, { SMTP_URL: '' }]) {
      expect(parseMailConfig(env)).toEqual({
        enabled: false,
        url: undefined,
        server: undefined,
        from: DEFAULT_MAIL_FROM,
        timeoutMs: 10_000,
        outbox: { pollMs: 1_000, backoffBaseMs: 5_000, backoffCapMs: 1_800_000, maxAttempts: 10 },
      });
    }
  });

  it('reads an SMTP URL and describes the server without credentials', () => {
    const config = parseMailConfig({
      SMTP_URL: 'smtp://user:s3cret@smtp.example.no:587',
      MAIL_FROM: '"Fjordvik kommune" <no-reply@fjordvik.example.no>',
      SMTP_TIMEOUT_MS: '2500',
    });
    expect(config).toMatchObject({
      enabled: true,
      server: 'smtp://smtp.example.no:587',
      timeoutMs: 2500,
    });
    expect(config.from).toBe('"Fjordvik kommune" <no-reply@fjordvik.example.no>');
  });

  it('defaults the port from the scheme in the description', () => {
    expect(parseMailConfig({ SMTP_URL: 'smtps://mail.example.no' }).server).toBe(
      'smtps://mail.example.no:465',
    );
  });

  it('rejects a URL that is not smtp(s), without echoing its password', () => {
    const attempt = () => parseMailConfig({ SMTP_URL: 'https://user:s3cret@smtp.example.no' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/^Invalid configuration: SMTP_URL must be a URL like smtp:\/\//);
    expect(attempt).not.toThrow(/s3cret/);
  });

  it.each([
    ['SMTP_TIMEOUT_MS', 'soon'],
    ['SMTP_TIMEOUT_MS', '50'],
    ['MAIL_FROM', 'no-reply'],
    ['MAIL_FROM', 'a@example.no, b@example.no'],
  ])('names %s in a one-line error for %p', (name, value) => {
    const attempt = () => parseMailConfig({ [name]: value });
    expect(attempt).toThrow(
      new RegExp(`^Invalid configuration: ${name} must [^\\n]+, got '${value}'$`),
    );
  });
});
