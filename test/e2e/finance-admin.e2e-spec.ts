import {
  startFinanceServer,
  type RunningFinanceServer,
} from '../../dev/finance-server/finance-server';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { maskNationalId } from '../../src/shared/national-identity-number';
import { Municipality } from '../../src/tenancy/municipality.entity';
import { CookieAgent } from '../support/cookie-agent';
import { freePort } from '../support/free-port';
import { HostAgent } from '../support/host-agent';
import { residentWithStory, syntheticPid } from '../support/resident-factory';
import { startPortalWithStaff, type PortalWithStaff } from '../support/staff-app';
import { loginAsStaff } from '../support/staff-login';

const BASE = '/saksbehandler/drift/okonomisystem';
const API_KEY = 'finance-admin-e2e-api-key';
const SECRET_ENV = 'VISMA_OP_E2E_CLIENT_SECRET';
const SECRET_VALUE = 'visma-client-secret-never-shown';
const PID = syntheticPid(7_301);

/**
 * Operators' finance-system settings (issue 17): what they see, what they may change (checked as
 * at start-up, audited), and "test connection" through the adapter with the settings as saved.
 */
describe('Finance-system settings for operators (e2e)', () => {
  let env: PortalWithStaff;
  let server: RunningFinanceServer;
  const ledger = [residentWithStory(PID, 'plainPayer', { municipality: 'nordby', prefix: 'opf' })];
  const invoice = ledger[0].invoices.find((i) => i.status === 'UNPAID')!;

  beforeAll(async () => {
    process.env[SECRET_ENV] = SECRET_VALUE;
    server = await startFinanceServer({ apiKey: API_KEY, ledger, municipalities: ['nordby'] });
    env = await startPortalWithStaff({ FINANCE_API_KEY: API_KEY });
  });
  afterAll(async () => {
    delete process.env[SECRET_ENV];
    await env?.close();
    await server?.close();
  });
  // Each test starts from the embedded ledger, as the municipality was made.
  beforeEach(async () => {
    await setSettings({});
    const last = await em().findOne(
      AuditEntry,
      { municipalityId: env.a.id },
      { orderBy: { seq: 'desc' } },
    );
    seqBefore = last?.seq ?? 0;
  });

  const em = () => env.t.em();
  async function setSettings(settings: Municipality['settings']): Promise<void> {
    await em().nativeUpdate(Municipality, { id: env.a.id }, { settings });
    env.t.refreshTenants();
  }
  const settingsOfA = async () => (await em().findOneOrFail(Municipality, env.a.id)).settings;
  let seqBefore = 0;
  /** A's audit entries of this type appended by the running test. */
  const entries = (type: string) =>
    em().find(
      AuditEntry,
      { municipalityId: env.a.id, type, seq: { $gt: seqBefore } },
      {
        orderBy: { seq: 'asc' },
      },
    );

  async function post(agent: CookieAgent, path: string, form: Record<string, string>) {
    const page = await (await agent.get(BASE)).text();
    return agent.postForm(path, { _csrf: CookieAgent.csrfToken(page), ...form });
  }

  it('shows the operator the adapter, base URL, credential names and the check, never a secret value', async () => {
    await setSettings({
      financeAdapter: 'visma',
      visma: {
        tenantId: '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d',
        clientId: 'portal-client',
        clientSecretEnv: SECRET_ENV,
        payee: { name: 'Nordby kommune', accountNumber: '12345678903' },
        // Stored by hand before this page existed: hidden on the page all the same.
        clientSecret: 'a-pasted-secret-value',
      },
    });
    const operator = await loginAsStaff(env.t.url, 'operator');
    const res = await operator.get(BASE);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Visma.net ERP');
    expect(html).toContain(`<code>${SECRET_ENV}</code>: satt`);
    expect(html).toContain('portal-client');
    // The stray secret makes the start-up check refuse the block; the page says so.
    expect(html).toContain('Innstillingene virker ikke');
    expect(html).toContain('settings.visma');
    for (const secret of [SECRET_VALUE, 'a-pasted-secret-value', API_KEY])
      expect(html).not.toContain(secret);

    await setSettings({ financeAdapter: 'http', financeBaseUrl: server.url });
    const http = await (await operator.get(BASE)).text();
    expect(http).toContain('<code>FINANCE_API_KEY</code>: satt');
    expect(http).toContain('<code>FINANCE_API_KEYS[&quot;nordby&quot;]</code>: ikke satt');
    expect(http).toContain('består kontrollen');
    expect(http).not.toContain(API_KEY);
  });

  it('saves a new base URL (audited, old → new) and the test connection reads an invoice through it', async () => {
    const operator = await loginAsStaff(env.t.url, 'operator');
    const saved = await post(operator, `${BASE}/nordby`, {
      adapter: 'http',
      baseUrl: server.url,
      vendor: '',
    });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe(`${BASE}?lagret=nordby`);
    expect(await settingsOfA()).toEqual({ financeAdapter: 'http', financeBaseUrl: server.url });
    const [changed] = await entries('settings.finance_changed');
    expect(changed.payload).toMatchObject({
      actor: 'staff:demo-operator-ola',
      name: 'Ola Drift',
      before: { financeAdapter: null, financeBaseUrl: null, vendor: null },
      after: { financeAdapter: 'http', financeBaseUrl: server.url, vendor: null },
    });
    expect(await (await operator.get(`${BASE}?lagret=nordby`)).text()).toContain(
      'Innstillingene er lagret',
    );

    const tested = await post(operator, `${BASE}/nordby/test`, {
      pid: PID,
      invoiceNumber: invoice.invoiceNumber,
    });
    expect(tested.status).toBe(200);
    const html = await tested.text();
    const count = ledger[0].invoices.length;
    expect(html).toContain(`Tilkoblingen virker: ${count} fakturaer for ${maskNationalId(PID)}.`);
    expect(html).toContain(invoice.invoiceNumber);
    expect(html).not.toContain(PID);
    const [test] = await entries('settings.finance_tested');
    expect(test.payload).toMatchObject({
      actor: 'staff:demo-operator-ola',
      maskedPid: maskNationalId(PID),
      invoiceNumber: invoice.invoiceNumber,
      result: 'ok',
    });
    expect(JSON.stringify(test.payload)).not.toContain(PID);

    // Auditors see both on the staff activity page, the number masked, the settings without secrets.
    const auditor = await loginAsStaff(env.t.url, 'auditor');
    const activity = await (await auditor.get('/revisjon/aktivitet')).text();
    expect(activity).toContain('Økonomisystemets innstillinger endret');
    expect(activity).toContain('Tilkobling til økonomisystemet testet');
    expect(activity).toContain(maskNationalId(PID));
    expect(activity).not.toContain(PID);
  });

  it('says in plain language when the finance system cannot be reached', async () => {
    await setSettings({
      financeAdapter: 'http',
      financeBaseUrl: `http://127.0.0.1:${await freePort()}`,
    });
    const operator = await loginAsStaff(env.t.url, 'operator');
    const tested = await post(operator, `${BASE}/nordby/test`, { pid: PID, invoiceNumber: '' });
    expect(tested.status).toBe(200);
    const html = await tested.text();
    expect(html).toContain('Fikk ikke kontakt med økonomisystemet.');
    expect(html).not.toContain(PID);
  });

  it.each([
    [
      'a base URL the check refuses',
      { adapter: 'http', baseUrl: 'ftp://x', vendor: '' },
      'baseUrl',
      'settings.financeBaseUrl must be',
    ],
    [
      'a password in the base URL',
      { adapter: 'http', baseUrl: 'https://u:p@finance.example', vendor: '' },
      'baseUrl',
      'user name or password',
    ],
    [
      'a secret value in the vendor block',
      { adapter: 'visma', baseUrl: '', vendor: '{"clientSecret":"abc-123"}' },
      'vendor',
      'clientSecret looks like a secret value',
    ],
    [
      'a vendor block the check refuses',
      { adapter: 'visma', baseUrl: '', vendor: '{"clientId":"x"}' },
      'vendor',
      'settings.visma',
    ],
    [
      'a value where a variable name belongs',
      { adapter: 'xledger', baseUrl: '', vendor: '{"tokenEnv":"eyJhbGciOi.x"}' },
      'vendor',
      'tokenEnv must be the name of an environment variable',
    ],
    [
      'no JSON',
      { adapter: 'visma', baseUrl: '', vendor: '{tenantId:' },
      'vendor',
      'is not valid JSON',
    ],
  ])('refuses %s beside its field and saves nothing', async (_name, form, field, line) => {
    const operator = await loginAsStaff(env.t.url, 'operator');
    const before = await em().count(AuditEntry, { municipalityId: env.a.id });
    const res = await post(operator, `${BASE}/nordby`, form);
    expect(res.status).toBe(400);
    const html = await res.text();
    const error = html.match(new RegExp(`id="nordby-${field}-error">([^<]*)<`));
    expect(error?.[1]).toContain(line.replace(/"/g, '&quot;'));
    expect(html).toContain(`href="#nordby-${field}"`);
    expect(html).not.toContain('abc-123"');
    expect(await settingsOfA()).toEqual({});
    expect(await em().count(AuditEntry, { municipalityId: env.a.id })).toBe(before);
  });

  it('refuses a test without an 11-digit number beside its field, reading nothing', async () => {
    const operator = await loginAsStaff(env.t.url, 'operator');
    const res = await post(operator, `${BASE}/nordby/test`, { pid: '1234', invoiceNumber: '' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('id="nordby-pid-error"');
    expect(await entries('settings.finance_tested')).toEqual([]);
  });

  it('is for operators only: other staff get 403, a visitor the login, another municipality 404/403', async () => {
    for (const persona of ['officer', 'approver', 'auditor'] as const) {
      const staff = await loginAsStaff(env.t.url, persona);
      expect((await staff.get(BASE)).status).toBe(403);
    }
    const visitor = new CookieAgent(env.t.url);
    const answer = await visitor.get(BASE);
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toMatch(/^\/saksbehandler\/logg-inn/);

    // The operator of A, in B where they have no role: 403.
    const onB = await loginAsStaff(new HostAgent(env.t.url, env.hostB), 'operator');
    expect((await onB.get(BASE)).status).toBe(403);
    // From A, B's settings are not theirs: not found, and nothing changes.
    const operator = await loginAsStaff(env.t.url, 'operator');
    const res = await post(operator, `${BASE}/sorby`, {
      adapter: 'embedded',
      baseUrl: '',
      vendor: '',
    });
    expect(res.status).toBe(404);
    const test = await post(operator, `${BASE}/sorby/test`, { pid: PID, invoiceNumber: '' });
    expect(test.status).toBe(404);
    expect((await em().findOneOrFail(Municipality, env.b.id)).settings).toEqual({
      financeAdapter: 'embedded',
    });
  });
});
