import {
  makeClientKey,
  startSvarUtServer,
  SVARUT_DEMO,
  type RunningSvarUtServer,
} from '../../dev/svarut-server/svarut-server';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { Municipality } from '../../src/tenancy/municipality.entity';
import { CookieAgent } from '../support/cookie-agent';
import { startPortalWithStaff, type PortalWithStaff } from '../support/staff-app';
import { loginAsStaff } from '../support/staff-login';

const BASE = '/saksbehandler/drift/brev';
const PASSWORD_ENV = 'SVARUT_OP_E2E_PASSWORD';
const KEY_ENV = 'MASKINPORTEN_OP_E2E_KEY';
const key = makeClientKey();

/** Operators choose the letter channel per municipality; secrets only by variable name. */
describe('Decision letter settings for operators (e2e)', () => {
  let env: PortalWithStaff;
  let svarut: RunningSvarUtServer;

  beforeAll(async () => {
    svarut = await startSvarUtServer({ clients: { [SVARUT_DEMO.clientId]: key.publicKey } });
    env = await startPortalWithStaff({
      [PASSWORD_ENV]: SVARUT_DEMO.integrationPassword,
      [KEY_ENV]: key.privateKey,
    });
  });
  afterAll(async () => {
    await env?.close();
    await svarut?.close();
  });
  beforeEach(async () => {
    await env.t.em().nativeUpdate(Municipality, { id: env.a.id }, { settings: {} });
    env.t.refreshTenants();
  });

  const form = (overrides: Record<string, string> = {}) => ({
    channel: 'svarut',
    baseUrl: svarut.url,
    accountId: SVARUT_DEMO.accountId,
    integrationId: SVARUT_DEMO.integrationId,
    integrationPasswordEnv: PASSWORD_ENV,
    tokenUrl: svarut.tokenUrl,
    audience: svarut.audience,
    clientId: SVARUT_DEMO.clientId,
    keyId: '',
    privateKeyEnv: KEY_ENV,
    digitalOnly: '',
    ...overrides,
  });

  async function post(agent: CookieAgent, path: string, fields: Record<string, string>) {
    const page = await (await agent.get(BASE)).text();
    return agent.postForm(path, { _csrf: CookieAgent.csrfToken(page), ...fields });
  }

  it('saves SvarUt as the channel (audited), shows variable names, never their values, and fetches a token', async () => {
    const operator = await loginAsStaff(env.t.url, 'operator');
    const saved = await post(operator, `${BASE}/nordby`, form());
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe(`${BASE}?lagret=nordby`);
    const row = await env.t.em().findOneOrFail(Municipality, env.a.id);
    expect(row.settings.letters).toMatchObject({
      channel: 'svarut',
      svarut: { accountId: SVARUT_DEMO.accountId, integrationPasswordEnv: PASSWORD_ENV },
    });
    const [entry] = await env.t
      .em()
      .find(AuditEntry, { municipalityId: env.a.id, type: 'settings.letters_changed' });
    expect(entry.payload).toMatchObject({
      actor: 'staff:demo-operator-ola',
      before: null,
      after: { channel: 'svarut' },
    });

    const html = await (await operator.get(`${BASE}?lagret=nordby`)).text();
    expect(html).toContain('Innstillingene er lagret');
    expect(html).toContain(`<code>${PASSWORD_ENV}</code>: satt`);
    expect(html).toContain('består kontrollen');
    for (const secret of [SVARUT_DEMO.integrationPassword, 'PRIVATE KEY'])
      expect(html).not.toContain(secret);

    const tested = await post(operator, `${BASE}/nordby/test`, {});
    expect(tested.status).toBe(200);
    expect(await tested.text()).toContain('Maskinporten ga et token.');
    expect(svarut.tokensIssued()).toBe(1);
  });

  it('refuses a secret name outside SVARUT_/MASKINPORTEN_ and one that is not set, saving nothing', async () => {
    const operator = await loginAsStaff(env.t.url, 'operator');
    const outside = await post(operator, `${BASE}/nordby`, form({ privateKeyEnv: 'DATABASE_URL' }));
    expect(outside.status).toBe(400);
    expect(await outside.text()).toContain(
      'aria-invalid="true" aria-describedby="nordby-privateKeyEnv-error"',
    );
    const unset = await post(
      operator,
      `${BASE}/nordby`,
      form({ integrationPasswordEnv: 'SVARUT_NOT_SET_ANYWHERE' }),
    );
    expect(unset.status).toBe(400);
    expect(await unset.text()).toContain('SVARUT_NOT_SET_ANYWHERE, which is not set');
    expect(
      (await env.t.em().findOneOrFail(Municipality, env.a.id)).settings.letters,
    ).toBeUndefined();
  });

  it('a token test with a key Maskinporten does not know says so', async () => {
    const other = makeClientKey();
    process.env.MASKINPORTEN_OP_E2E_OTHER = other.privateKey;
    try {
      const operator = await loginAsStaff(env.t.url, 'operator');
      // The secret lookup is read at start: a variable set later is "not set".
      const refused = await post(
        operator,
        `${BASE}/nordby`,
        form({ privateKeyEnv: 'MASKINPORTEN_OP_E2E_OTHER' }),
      );
      expect(refused.status).toBe(400);
      await post(operator, `${BASE}/nordby`, form({ clientId: 'unknown-client' }));
      const tested = await post(operator, `${BASE}/nordby/test`, {});
      const html = await tested.text();
      expect(html).toContain('Maskinporten ga ikke token:');
      expect(html).toContain('maskinporten-invalid_grant');
    } finally {
      delete process.env.MASKINPORTEN_OP_E2E_OTHER;
    }
  });
});
