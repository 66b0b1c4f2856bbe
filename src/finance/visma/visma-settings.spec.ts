import { FinanceUnavailableError } from '../finance.errors';
import type { FinanceTenant } from '../finance-tenant';
import { vismaSecretsFrom, vismaSettingsOf, vismaSettingsProblem } from './visma-settings';

const SECRET = 'the-client-secret-value';
const env = (name: string) => (name === 'VISMA_SECRET_BERGVIK' ? SECRET : undefined);
const VALID = {
  tenantId: 'af1140c1-52e0-46c7-b684-df894d4b8a5a',
  clientId: 'isv_bergvik',
  clientSecretEnv: 'VISMA_SECRET_BERGVIK',
  payee: { name: 'Bergvik kommune', accountNumber: '15032412995' },
};
const tenant = (visma: unknown): FinanceTenant => ({
  id: 'id-bergvik',
  slug: 'bergvik',
  settings: { financeAdapter: 'visma', visma },
});

describe('vismaSettingsOf', () => {
  it('fills in Visma’s own URLs, Corporate ID, no agency and dunning level 2 as the warning, and reads the secret from the named variable', () => {
    expect(vismaSettingsOf(tenant(VALID), env)).toEqual({
      baseUrl: 'https://api.finance.visma.net',
      tokenUrl: 'https://connect.visma.com/connect/token',
      tenantId: VALID.tenantId,
      clientId: 'isv_bergvik',
      clientSecret: SECRET,
      customerKey: { field: 'corporateId' },
      payee: VALID.payee,
      payeeByCategory: {},
      categoryByItem: {},
      collectionAgency: null,
      debtCollectionWarningLevel: 2,
    });
  });

  it('reads an attribute as the identity field, and an http URL to this machine (the simulator)', () => {
    const settings = vismaSettingsOf(
      tenant({
        ...VALID,
        customerIdField: 'attribute:FNR',
        baseUrl: 'http://127.0.0.1:4020/',
        tokenUrl: 'http://127.0.0.1:4020/connect/token',
      }),
      env,
    );
    expect(settings.customerKey).toEqual({ field: 'attribute', attributeId: 'FNR' });
    expect(settings.baseUrl).toBe('http://127.0.0.1:4020');
  });

  it.each([
    ['no settings.visma', undefined, /^municipality bergvik: settings\.visma /],
    ['a missing tenant id', { ...VALID, tenantId: undefined }, /settings\.visma\.tenantId /],
    [
      'a secret named outside VISMA_* (any other secret of the process could be sent to a token URL)',
      { ...VALID, clientSecretEnv: 'DATABASE_URL' },
      /settings\.visma\.clientSecretEnv must name an environment variable starting with VISMA_/,
    ],
    [
      'a secret variable that is not set',
      { ...VALID, clientSecretEnv: 'VISMA_SECRET_OTHER' },
      /settings\.visma\.clientSecretEnv names VISMA_SECRET_OTHER, which is not set$/,
    ],
    [
      'an http token URL to another machine (the secret would travel in clear)',
      { ...VALID, tokenUrl: 'http://connect.visma.example/connect/token' },
      /settings\.visma\.tokenUrl must be an https URL/,
    ],
    [
      'an invalid account number',
      { ...VALID, payee: { ...VALID.payee, accountNumber: '15032412990' } },
      /payee\.accountNumber is not a valid account number/,
    ],
    ['an odd identity field', { ...VALID, customerIdField: 'ssn' }, /customerIdField must be/],
    [
      'an unknown category',
      { ...VALID, categoryByItem: { 'VA-1': 'WATER' } },
      /categoryByItem\.VA-1/,
    ],
    ['a secret pasted in the settings', { ...VALID, clientSecret: SECRET }, /Unrecognized key/],
  ])('refuses %s with a not-configured failure naming the setting', (_name, visma, message) => {
    let thrown: unknown;
    try {
      vismaSettingsOf(tenant(visma), env);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(FinanceUnavailableError);
    expect(thrown).toMatchObject({ reason: 'not-configured' });
    expect((thrown as Error).message).toMatch(message);
    expect((thrown as Error).message).not.toContain(SECRET);
  });
});

describe('vismaSettingsProblem', () => {
  it('is one line for the start-up check, or nothing for working settings', () => {
    expect(vismaSettingsProblem(tenant(VALID), env)).toBeUndefined();
    expect(vismaSettingsProblem(tenant({ ...VALID, clientSecretEnv: 'VISMA_X' }), env)).toBe(
      'municipality bergvik: settings.visma.clientSecretEnv names VISMA_X, which is not set',
    );
  });
});

describe('vismaSecretsFrom', () => {
  it('keeps the VISMA_* variables as they were at start-up, and nothing else', () => {
    const env: NodeJS.ProcessEnv = {
      VISMA_SECRET_A: 'a',
      DATABASE_URL: 'postgres://x',
      VISMA_lower: 'b',
    };
    const lookup = vismaSecretsFrom(env);
    env.VISMA_SECRET_A = 'changed';
    expect(lookup('VISMA_SECRET_A')).toBe('a');
    expect(lookup('DATABASE_URL')).toBeUndefined();
    expect(lookup('VISMA_lower')).toBeUndefined();
  });
});
