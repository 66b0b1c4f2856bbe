import { ConfigType, registerAs } from '@nestjs/config';
import addressparser from 'nodemailer/lib/addressparser';
import { z } from 'zod';
import { ConfigError } from '../config/config.error';

export const DEFAULT_MAIL_FROM = '"Min side – faktura" <no-reply@localhost>';

const blankAsUnset = (value: unknown) => (value === '' ? undefined : value);

const smtpUrl = z.string().refine(
  (value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'smtp:' || url.protocol === 'smtps:') && url.hostname !== '';
    } catch {
      return false;
    }
  },
  { error: 'must be a URL like smtp://user:password@host:587 or smtps://user:password@host:465' },
);

const mailFrom = z.string().refine(
  (value) => {
    if (/[\r\n]/.test(value)) return false;
    const parsed = addressparser(value, { flatten: true });
    return parsed.length === 1 && /^[^@\s]+@[^@\s]+$/.test(parsed[0].address);
  },
  { error: 'must be one address, e.g. "Fjordvik kommune" <no-reply@fjordvik.kommune.no>' },
);

const schema = z.object({
  SMTP_URL: z.preprocess(blankAsUnset, smtpUrl.optional()),
  MAIL_FROM: z.preprocess(blankAsUnset, mailFrom.default(DEFAULT_MAIL_FROM)),
  SMTP_TIMEOUT_MS: z.preprocess(
    blankAsUnset,
    z.coerce
      .number({ error: 'must be a whole number of milliseconds from 100 to 120000' })
      .int('must be a whole number of milliseconds from 100 to 120000')
      .min(100, 'must be a whole number of milliseconds from 100 to 120000')
      .max(120_000, 'must be a whole number of milliseconds from 100 to 120000')
      .default(10_000),
  ),
  MAIL_POLL_MS: z.preprocess(
    blankAsUnset,
    z.coerce.number().int().min(10).max(300_000).default(1_000),
  ),
  MAIL_BACKOFF_MS: z.preprocess(
    blankAsUnset,
    z.coerce.number().int().min(1).max(300_000).default(5_000),
  ),
  MAIL_MAX_ATTEMPTS: z.preprocess(
    blankAsUnset,
    z.coerce.number().int().min(1).max(100).default(10),
  ),
});

/** Retries of a receipt never wait longer than this, however many came before. */
export const MAIL_BACKOFF_CAP_MS = 30 * 60_000;

/**
 * E-mail receipts. Without `SMTP_URL` e-mail is off and receipts are not sent (the portal still
 * works; the mail service logs this once at start). The URL carries the password, so neither an
 * error nor `server` ever shows it.
 */
export function parseMailConfig(env: Record<string, string | undefined>) {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue.path[0]);
    const shown = name === 'SMTP_URL' ? '' : `, got '${String(env[name]).slice(0, 60)}'`;
    throw new ConfigError(`Invalid configuration: ${name} ${issue.message}${shown}`);
  }
  const { SMTP_URL: url, MAIL_FROM: from, SMTP_TIMEOUT_MS: timeoutMs } = parsed.data;
  const server = url ? describeServer(new URL(url)) : undefined;
  return {
    enabled: url !== undefined,
    url,
    server,
    from,
    timeoutMs,
    outbox: {
      pollMs: parsed.data.MAIL_POLL_MS,
      backoffBaseMs: parsed.data.MAIL_BACKOFF_MS,
      backoffCapMs: MAIL_BACKOFF_CAP_MS,
      maxAttempts: parsed.data.MAIL_MAX_ATTEMPTS,
    },
  };
}

export const mailConfig = registerAs('mail', () => parseMailConfig(process.env));
export type MailConfig = ConfigType<typeof mailConfig>;

/** `smtp://host:587`, for logs: no user name, no password. */
function describeServer(url: URL): string {
  const port = url.port || (url.protocol === 'smtps:' ? '465' : '587');
  return `${url.protocol}//${url.hostname}:${port}`;
}
