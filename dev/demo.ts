/**
 * `npm start`: the portal with everything embedded, so a person can log in and try it at once.
 * Starts the ID-porten-like test login on PORT+1 (or TEST_IDPORTEN_PORT), registers the portal as
 * its client for every demo host name (and its staff login as a second client, with the demo staff
 * and their role map), then starts the portal itself (SQLite, demo data), logging plain lines
 * (LOG_FORMAT=pretty), and ends with a short block: where to go and who to log in as.
 * Production starts `dist/src/main.js` directly and never loads this file.
 */
import './demo-env';
import { randomBytes } from 'node:crypto';
import { bootstrap, exitOnStartupFailure } from '../src/main';
import { DEMO_MUNICIPALITIES } from '../src/tenancy/demo-seed';
import { DEMO_EXAMPLE_PID, DEMO_RESIDENTS } from './demo-residents';
import { DEMO_STAFF, DEMO_STAFF_ROLE_MAP } from './demo-staff';
import { demoSummary } from './demo-summary';
import {
  demoFinanceChoice,
  demoFinanceLine,
  standInSecretPlaceholders,
  startDemoStandIn,
  useDemoEmbeddedLedger,
} from './demo-finance';
import { demoLettersChoice, startDemoLetters } from './demo-letters';
import { useFinanceServer } from './demo-ledger-seed';
import { startFinanceServer } from './finance-server/finance-server';
import { startTestIdporten } from './idporten/test-idporten';

const DEMO_HOSTS = ['localhost', '127.0.0.1', 'fjordvik.localhost', 'asdal.localhost'];

/** The demo municipality a host name belongs to, as the portal's tenancy chooses it. */
const municipalityOfHost = (host: string) =>
  DEMO_MUNICIPALITIES.find((m) => m.hostnames.includes(host))?.slug;

async function startDemo(): Promise<void> {
  if (process.env.NODE_ENV === 'production') {
    throw new Error(
      'the demo launcher does not run with NODE_ENV=production; start dist/src/main.js',
    );
  }
  // DEMO_FINANCE=embedded (or unset) | http | handover | xledger | vismanet; else one line, and stop.
  const finance = demoFinanceChoice(process.env.DEMO_FINANCE);
  // DEMO_LETTERS=email (or unset) | svarut: how decision letters go; else one line, and stop.
  const lettersChoice = demoLettersChoice(process.env.DEMO_LETTERS);
  const port = Number(process.env.PORT ?? 3000);
  let testLogin: string | undefined;
  if (!process.env.OIDC_ISSUER) {
    const clientId = 'minside-faktura-demo';
    const clientSecret = randomBytes(24).toString('base64url');
    // The staff login gets its own client at the same test provider, unless one is configured.
    const staffLogin = !process.env.STAFF_OIDC_ISSUER;
    const staffClientId = 'minside-faktura-demo-staff';
    const staffClientSecret = randomBytes(24).toString('base64url');
    const idporten = await startTestIdporten({
      port: Number(process.env.TEST_IDPORTEN_PORT ?? port + 1),
      host: process.env.HOST === '127.0.0.1' ? '127.0.0.1' : '0.0.0.0',
      municipalityOfHost,
      clients: [
        {
          clientId,
          clientSecret,
          tokenEndpointAuthMethod: 'client_secret_basic',
          redirectUris: DEMO_HOSTS.map((host) => `http://${host}:${port}/auth/callback`),
          postLogoutRedirectUris: DEMO_HOSTS.map(
            (host) => `http://${host}:${port}/auth/logged-out`,
          ),
        },
        ...(staffLogin
          ? [
              {
                clientId: staffClientId,
                clientSecret: staffClientSecret,
                tokenEndpointAuthMethod: 'client_secret_basic' as const,
                redirectUris: DEMO_HOSTS.map(
                  (host) => `http://${host}:${port}/saksbehandler/logg-inn/callback`,
                ),
                postLogoutRedirectUris: DEMO_HOSTS.map(
                  (host) => `http://${host}:${port}/saksbehandler/logget-ut`,
                ),
                // Logging out at the provider ends the staff sessions of every host from here.
                backchannelLogoutUri: `http://127.0.0.1:${port}/saksbehandler/backchannel-logout`,
                staff: true,
              },
            ]
          : []),
      ],
    });
    Object.assign(process.env, {
      OIDC_ISSUER: idporten.issuer,
      OIDC_CLIENT_ID: clientId,
      OIDC_CLIENT_SECRET: clientSecret,
      OIDC_TEST_LOGIN: 'true',
    });
    if (staffLogin) {
      Object.assign(process.env, {
        STAFF_OIDC_ISSUER: idporten.issuer,
        STAFF_OIDC_CLIENT_ID: staffClientId,
        STAFF_OIDC_CLIENT_SECRET: staffClientSecret,
        STAFF_OIDC_TEST_LOGIN: 'true',
        STAFF_ROLE_MAP: process.env.STAFF_ROLE_MAP ?? JSON.stringify(DEMO_STAFF_ROLE_MAP),
      });
    }
    testLogin = idporten.issuer;
  }
  const financeServerUrl = await startDemoFinanceServer(port);
  // A demo database last run with DEMO_FINANCE=http still names the finance server, which the
  // start-up check would refuse without a key: start, then point it back at the embedded ledger.
  if (!financeServerUrl) process.env.FINANCE_API_KEY ??= randomBytes(24).toString('base64url');
  // DEMO_FINANCE=xledger or vismanet: the stand-in in-process on a free port; its token or client
  // secret goes into this process's environment only. Otherwise placeholders for the secrets a
  // database from such a run still names, so the start-up check lets it start over.
  const standIn = await startDemoStandIn(finance);
  if (standIn) Object.assign(process.env, standIn.env);
  else
    for (const [name, value] of Object.entries(standInSecretPlaceholders()))
      process.env[name] ??= value;
  // DEMO_LETTERS=svarut: the SvarUt stand-in in-process; its key and password in this process only.
  const letters = await startDemoLetters(lettersChoice);
  Object.assign(process.env, letters.env);
  const app = await bootstrap();
  await letters.configure(app);
  if (financeServerUrl)
    await useFinanceServer(app, financeServerUrl, {
      writesDueDates: process.env.DEMO_FINANCE !== 'handover',
    });
  else if (standIn) await standIn.configure(app);
  else await useDemoEmbeddedLedger(app);
  process.stdout.write(demoFinanceLine(finance, standIn?.description ?? financeServerUrl));
  process.stdout.write(letters.line);
  process.stdout.write(
    demoSummary({
      municipalities: DEMO_MUNICIPALITIES.map((m) => ({
        slug: m.slug,
        name: m.name,
        url: `http://${m.hostnames[0]}:${port}`,
      })),
      testLogin,
      residents: DEMO_RESIDENTS,
      staff: DEMO_STAFF,
      examplePid: DEMO_EXAMPLE_PID,
      database: process.env.DATABASE_URL
        ? 'the PostgreSQL database in DATABASE_URL'
        : (process.env.SQLITE_PATH ?? 'data/minside-faktura.sqlite'),
    }),
  );
}

/**
 * `DEMO_FINANCE=http npm start`: the demo municipalities read their invoices from the separate
 * finance-system server (on PORT+2) through the HTTP adapter instead of the embedded ledger.
 * `DEMO_FINANCE=handover`: the same server, read the same way, but declared to have no write
 * path, so approved due dates become tasks on the officers' page (Tilbakeskriving).
 */
async function startDemoFinanceServer(port: number): Promise<string | undefined> {
  const mode = process.env.DEMO_FINANCE;
  if (mode !== 'http' && mode !== 'handover') return undefined;
  const apiKey = process.env.FINANCE_API_KEY ?? randomBytes(24).toString('base64url');
  const server = await startFinanceServer({
    port: Number(process.env.FINANCE_SERVER_PORT ?? port + 2),
    apiKey,
  });
  process.env.FINANCE_API_KEY = apiKey;
  process.stdout.write(`Finance-system server at ${server.url}\n`);
  if (mode === 'handover')
    process.stdout.write(
      [
        'Hand-over demo: the finance system takes no writes, so approved due dates wait on the',
        "finance officer's Tilbakeskriving page. Mark one 'Registrert' there, or register it as the",
        "finance team would and let a read close it ('Les fakturaene nå'); with FINANCE_API_KEY set",
        'before npm start:',
        `  curl -X POST -H "authorization: Bearer $FINANCE_API_KEY" -H 'content-type: application/json' \\`,
        `    -d '{"forfallDato":"YYYY-MM-DD"}' ${server.url}/admin/invoices/<municipality>/<invoice id>`,
        '',
      ].join('\n'),
    );
  return server.url;
}

startDemo().catch(exitOnStartupFailure);
