import { MikroORM } from '@mikro-orm/core';
import type { INestApplication } from '@nestjs/common';
import { ConfigError } from '../src/config/config.error';
import { Municipality } from '../src/tenancy/municipality.entity';
import { TenancyService } from '../src/tenancy/tenancy.service';
import { makeClientKey, startSvarUtServer, SVARUT_DEMO } from './svarut-server/svarut-server';

/**
 * `DEMO_LETTERS`: how `npm start` sends the demo municipalities' decision letters. Unset is
 * `email` (as without this choice: by e-mail when SMTP_URL is set and the resident gave an
 * address); `svarut` starts the SvarUt stand-in in-process on a free port and sends every
 * decision as digital post to it, where the PDFs can be opened.
 */
export const DEMO_LETTERS_CHOICES = ['email', 'svarut'] as const;
export type DemoLettersChoice = (typeof DEMO_LETTERS_CHOICES)[number];

export const DEMO_SVARUT_PASSWORD_ENV = 'SVARUT_DEMO_INTEGRATION_PASSWORD';
export const DEMO_MASKINPORTEN_KEY_ENV = 'MASKINPORTEN_DEMO_KEY';

export function demoLettersChoice(raw: string | undefined): DemoLettersChoice {
  const value = raw?.trim() || 'email';
  if ((DEMO_LETTERS_CHOICES as readonly string[]).includes(value))
    return value as DemoLettersChoice;
  throw new ConfigError(
    `DEMO_LETTERS must be one of ${DEMO_LETTERS_CHOICES.join(', ')} (or unset for email), got ${JSON.stringify(value.slice(0, 40))}`,
  );
}

/** The demo's letter channel: what the portal's environment needs before start, and after. */
export interface DemoLetters {
  env: Record<string, string>;
  configure(app: INestApplication): Promise<void>;
  /** One line for the start-up output. */
  line: string;
  close(): Promise<void>;
}

export async function startDemoLetters(choice: DemoLettersChoice): Promise<DemoLetters> {
  if (choice === 'email') {
    // A database last run with DEMO_LETTERS=svarut still names the demo's secrets: placeholders
    // let the start-up check pass, and `configure` returns those municipalities to e-mail.
    return {
      env: placeholders(),
      configure: (app) => setLetters(app, () => undefined),
      line: 'Decision letters (DEMO_LETTERS=email): by e-mail, when SMTP_URL is set and the resident gives an address\n',
      close: () => Promise.resolve(),
    };
  }
  const key = makeClientKey();
  const server = await startSvarUtServer({ clients: { [SVARUT_DEMO.clientId]: key.publicKey } });
  return {
    env: {
      [DEMO_SVARUT_PASSWORD_ENV]: SVARUT_DEMO.integrationPassword,
      [DEMO_MASKINPORTEN_KEY_ENV]: key.privateKey,
    },
    configure: (app) =>
      setLetters(app, () => ({
        channel: 'svarut',
        svarut: {
          baseUrl: server.url,
          accountId: SVARUT_DEMO.accountId,
          integrationId: SVARUT_DEMO.integrationId,
          integrationPasswordEnv: DEMO_SVARUT_PASSWORD_ENV,
          maskinporten: {
            tokenUrl: server.tokenUrl,
            audience: server.audience,
            clientId: SVARUT_DEMO.clientId,
            privateKeyEnv: DEMO_MASKINPORTEN_KEY_ENV,
          },
        },
      })),
    line: `Decision letters (DEMO_LETTERS=svarut): as digital post to the SvarUt stand-in at ${server.url}; what it received: ${server.url}/admin/forsendelser\n`,
    close: () => server.close(),
  };
}

function placeholders(): Record<string, string> {
  const set = (name: string, value: string) => (process.env[name] ? {} : { [name]: value });
  return {
    ...set(DEMO_SVARUT_PASSWORD_ENV, 'placeholder'),
    ...set(
      DEMO_MASKINPORTEN_KEY_ENV,
      '-----BEGIN PRIVATE KEY-----\nplaceholder\n-----END PRIVATE KEY-----',
    ),
  };
}

/**
 * Gives every municipality the letters block `lettersOf` returns, or takes away one that names
 * the demo's secrets (undefined); settings an operator made otherwise are left alone.
 */
async function setLetters(
  app: INestApplication,
  lettersOf: () => Record<string, unknown> | undefined,
): Promise<void> {
  const em = app.get(MikroORM).em.fork();
  let changed = 0;
  for (const municipality of await em.find(Municipality, {})) {
    const letters = lettersOf();
    const { letters: current, ...rest } = municipality.settings;
    if (letters) municipality.settings = { ...rest, letters };
    else if (JSON.stringify(current ?? null).includes(DEMO_SVARUT_PASSWORD_ENV))
      municipality.settings = rest;
    else continue;
    changed++;
  }
  if (changed === 0) return;
  await em.flush();
  app.get(TenancyService).invalidate();
}
