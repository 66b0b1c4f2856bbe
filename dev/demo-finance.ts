import { randomBytes } from 'node:crypto';
import { MikroORM } from '@mikro-orm/core';
import type { INestApplication } from '@nestjs/common';
import { ConfigError } from '../src/config/config.error';
import { Municipality, type MunicipalitySettings } from '../src/tenancy/municipality.entity';
import { TenancyService } from '../src/tenancy/tenancy.service';
import { seedDemoLedger, useEmbeddedLedger } from './demo-ledger-seed';
import { VISMA_DEMO_CLIENT, startVismaServer } from './visma-server/visma-server';
import { VISMA_DEMO_SECRET_ENV, vismaDemoSettings } from './visma-server/visma-demo-settings';
import { demoXledgerSettings } from './xledger-server/xledger-seed';
import { startXledgerServer } from './xledger-server/xledger-server';

/**
 * `DEMO_FINANCE`: which finance system `npm start` gives the demo municipalities. Unset is
 * `embedded`; `http` and `handover` are the REST finance server (dev/finance-server, see demo.ts);
 * `xledger` and `vismanet` the stand-ins of those systems, in-process on a free port.
 */
export const DEMO_FINANCE_CHOICES = [
  'embedded',
  'http',
  'handover',
  'xledger',
  'vismanet',
] as const;
export type DemoFinanceChoice = (typeof DEMO_FINANCE_CHOICES)[number];

/** The choice in `DEMO_FINANCE`, or a ConfigError whose message is the one line to stop with. */
export function demoFinanceChoice(raw: string | undefined): DemoFinanceChoice {
  const value = raw?.trim() || 'embedded';
  if ((DEMO_FINANCE_CHOICES as readonly string[]).includes(value))
    return value as DemoFinanceChoice;
  throw new ConfigError(
    `DEMO_FINANCE must be one of ${DEMO_FINANCE_CHOICES.join(', ')} (or unset for embedded), got ${JSON.stringify(value.slice(0, 40))}`,
  );
}

/**
 * The start-up output's line on the finance system: `where` is the stand-in's description or the
 * finance-system server's address (http, handover).
 */
export function demoFinanceLine(choice: DemoFinanceChoice, where?: string): string {
  const what =
    choice === 'embedded'
      ? 'the embedded ledger, in the demo database'
      : choice === 'http'
        ? `the finance-system server (REST) at ${where}`
        : choice === 'handover'
          ? `the finance-system server (REST) at ${where}, without a write path: due dates are handed over`
          : where;
  return `Finance system (DEMO_FINANCE=${choice}): ${what}\n`;
}

/** Where the demo keeps each municipality's Xledger token: the settings name it, never hold it. */
export const xledgerDemoTokenEnv = (slug: string) => `XLEDGER_DEMO_TOKEN_${slug.toUpperCase()}`;

/** The municipalities the stand-ins keep books for (their demo residents live there). */
const STAND_IN_SLUGS = ['fjordvik', 'asdal'] as const;

/**
 * A finance-system stand-in running for the demo: `env` is what the portal must find in its
 * environment before it starts (the adapters read their XLEDGER_* / VISMA_* secrets once, at
 * start-up); `configure` points the demo municipalities at the stand-in once the portal runs.
 */
export interface DemoStandIn {
  /** One line for the start-up output: which finance system the demo uses, and where. */
  description: string;
  env: Record<string, string>;
  configure(app: INestApplication): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the stand-in `choice` names (xledger or vismanet), seeded with the demo residents'
 * invoices dated around today, on a free port of 127.0.0.1; undefined for the other choices.
 */
export async function startDemoStandIn(
  choice: DemoFinanceChoice,
): Promise<DemoStandIn | undefined> {
  if (choice === 'xledger') {
    const tokens = Object.fromEntries(STAND_IN_SLUGS.map((slug) => [slug, secret()]));
    const server = await startXledgerServer({ tokens });
    return {
      description: `Xledger stand-in (GraphQL) at ${server.url}, in memory: it forgets write-backs when the demo stops`,
      env: Object.fromEntries(
        STAND_IN_SLUGS.map((slug) => [xledgerDemoTokenEnv(slug), tokens[slug]]),
      ),
      configure: (app) =>
        pointMunicipalities(app, (slug) => ({
          financeAdapter: 'xledger',
          xledger: {
            url: server.url,
            tokenEnv: xledgerDemoTokenEnv(slug),
            ...demoXledgerSettings(slug),
            collectionAgency: DEMO_COLLECTION_AGENCY,
          },
        })),
      close: () => server.close(),
    };
  }
  if (choice === 'vismanet') {
    const client = { clientId: VISMA_DEMO_CLIENT.clientId, clientSecret: secret() };
    const server = await startVismaServer({ clients: [client] });
    return {
      description: `Visma.net ERP stand-in at ${server.url} (token endpoint ${server.tokenUrl}), in memory: it forgets write-backs when the demo stops`,
      env: { [VISMA_DEMO_SECRET_ENV]: client.clientSecret },
      configure: (app) =>
        pointMunicipalities(app, (slug) => ({
          financeAdapter: 'visma',
          visma: vismaDemoSettings(server, slug),
        })),
      close: () => server.close(),
    };
  }
  return undefined;
}

/**
 * The embedded ledger for every demo municipality (`DEMO_FINANCE` unset or `embedded`), whatever
 * an earlier run chose, filled with the demo invoices when empty.
 */
export async function useDemoEmbeddedLedger(app: INestApplication): Promise<void> {
  await forgetStandIns(app);
  await useEmbeddedLedger(app);
  await seedDemoLedger(app);
}

/**
 * Placeholders for the secrets a demo database last run with DEMO_FINANCE=xledger or vismanet
 * still names, so the start-up check lets the portal start; `useEmbeddedLedger` and
 * `forgetStandIns` then point those municipalities elsewhere. Real values already set win.
 */
export function standInSecretPlaceholders(): Record<string, string> {
  return Object.fromEntries(
    [...STAND_IN_SLUGS.map(xledgerDemoTokenEnv), VISMA_DEMO_SECRET_ENV].map((name) => [
      name,
      secret(),
    ]),
  );
}

/**
 * Points every demo municipality on Xledger or Visma (from an earlier DEMO_FINANCE=xledger or
 * vismanet run) back at the embedded ledger, without the vendor block.
 */
export async function forgetStandIns(app: INestApplication): Promise<void> {
  const em = app.get(MikroORM).em.fork();
  let changed = 0;
  for (const municipality of await em.find(Municipality, {})) {
    const adapter = municipality.settings.financeAdapter;
    if (adapter !== 'xledger' && adapter !== 'visma') continue;
    municipality.settings = {
      ...withoutVendorBlocks(municipality.settings),
      financeAdapter: 'embedded',
    };
    changed++;
  }
  if (changed === 0) return;
  await em.flush();
  app.get(TenancyService).invalidate();
}

/** As the demo's stand-ins name the agency their claims in collection go to. */
const DEMO_COLLECTION_AGENCY = {
  name: 'Fjellinkasso AS',
  phone: null,
  url: 'https://fjellinkasso.example',
};

const secret = () => randomBytes(24).toString('base64url');

function withoutVendorBlocks(settings: MunicipalitySettings): MunicipalitySettings {
  const {
    xledger: _xledger,
    visma: _visma,
    financeBaseUrl: _url,
    financeWritesDueDates: _writes,
    ...rest
  } = settings;
  return rest;
}

async function pointMunicipalities(
  app: INestApplication,
  settingsOf: (slug: (typeof STAND_IN_SLUGS)[number]) => MunicipalitySettings,
): Promise<void> {
  const em = app.get(MikroORM).em.fork();
  for (const municipality of await em.find(Municipality, {})) {
    const slug = STAND_IN_SLUGS.find((s) => s === municipality.slug);
    if (!slug) continue;
    municipality.settings = { ...withoutVendorBlocks(municipality.settings), ...settingsOf(slug) };
  }
  await em.flush();
  app.get(TenancyService).invalidate();
}
