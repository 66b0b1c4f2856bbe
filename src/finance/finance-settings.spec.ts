import { FinanceUnavailableError } from './finance.errors';
import {
  FINANCE_ADAPTER_CHOICES,
  financeAdapterOf,
  financeBaseUrlOf,
  financeSettingsProblem,
} from './finance-settings';
import type { FinanceTenant } from './finance-tenant';

const tenant = (settings: Record<string, unknown>): FinanceTenant => ({
  id: 'id-bergvik',
  slug: 'bergvik',
  settings,
});
const KEY = 'a-finance-key-of-some-length';

describe('financeAdapterOf', () => {
  it('is embedded when the setting is absent, and the named adapter when known', () => {
    expect(financeAdapterOf(tenant({}))).toBe('embedded');
    expect(financeAdapterOf(tenant({ financeAdapter: 'embedded' }))).toBe('embedded');
    expect(financeAdapterOf(tenant({ financeAdapter: 'http' }))).toBe('http');
    expect(financeAdapterOf(tenant({ financeAdapter: 'visma' }))).toBe('visma');
    expect(FINANCE_ADAPTER_CHOICES).toMatch(/^"embedded", "http"(, "[a-z]+")* or "[a-z]+"$/);
  });

  it.each([['embeded'], ['HTTP'], [''], [null], [42]])(
    'refuses %p with a not-configured failure naming the municipality and the setting, never falling back',
    (value) => {
      let thrown: unknown;
      try {
        financeAdapterOf(tenant({ financeAdapter: value }));
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(FinanceUnavailableError);
      expect(thrown).toMatchObject({ reason: 'not-configured' });
      expect((thrown as Error).message).toMatch(
        new RegExp(
          `^municipality bergvik: settings\\.financeAdapter must be ${FINANCE_ADAPTER_CHOICES}, got .+$`,
        ),
      );
    },
  );
});

describe('financeBaseUrlOf', () => {
  it('drops a trailing slash', () => {
    expect(financeBaseUrlOf(tenant({ financeBaseUrl: 'https://finance.example/api/' }))).toBe(
      'https://finance.example/api',
    );
  });

  it('refuses a missing or odd URL without repeating it', () => {
    for (const financeBaseUrl of [undefined, 'ftp://x', 'https://u:secret@x/?q=1', 'not a url']) {
      expect(() => financeBaseUrlOf(tenant({ financeBaseUrl }))).toThrow(
        /^municipality bergvik: settings\.financeBaseUrl must be an http\(s\) URL/,
      );
    }
    expect(() =>
      financeBaseUrlOf(tenant({ financeBaseUrl: 'https://u:secret@x/?q=1' })),
    ).not.toThrow(/secret/);
  });
});

describe('financeSettingsProblem', () => {
  it('finds nothing wrong with working settings', () => {
    expect(financeSettingsProblem(tenant({}), undefined)).toBeUndefined();
    expect(
      financeSettingsProblem(tenant({ financeAdapter: 'embedded' }), undefined),
    ).toBeUndefined();
    expect(
      financeSettingsProblem(
        tenant({ financeAdapter: 'http', financeBaseUrl: 'https://finance.example' }),
        KEY,
      ),
    ).toBeUndefined();
  });

  it('names an unknown adapter, an http adapter without base URL, and one without a key', () => {
    expect(financeSettingsProblem(tenant({ financeAdapter: 'embeded' }), KEY)).toBe(
      `municipality bergvik: settings.financeAdapter must be ${FINANCE_ADAPTER_CHOICES}, got "embeded"`,
    );
    expect(financeSettingsProblem(tenant({ financeAdapter: 'http' }), KEY)).toMatch(
      /^municipality bergvik: settings\.financeBaseUrl must be/,
    );
    expect(
      financeSettingsProblem(
        tenant({ financeAdapter: 'http', financeBaseUrl: 'https://finance.example' }),
        undefined,
      ),
    ).toBe(
      'municipality bergvik: settings.financeAdapter is "http" but no finance API key is set (FINANCE_API_KEY or FINANCE_API_KEYS)',
    );
  });

  it('checks a Visma municipality’s own settings, reading the secret the settings name', () => {
    const visma = {
      tenantId: 'af1140c1-52e0-46c7-b684-df894d4b8a5a',
      clientId: 'isv_bergvik',
      clientSecretEnv: 'VISMA_SECRET_BERGVIK',
      payee: { name: 'Bergvik kommune', accountNumber: '15032412995' },
    };
    const settings = { financeAdapter: 'visma', visma };
    expect(financeSettingsProblem(tenant(settings), undefined, () => 'a-secret')).toBeUndefined();
    expect(financeSettingsProblem(tenant(settings), undefined, () => undefined)).toBe(
      'municipality bergvik: settings.visma.clientSecretEnv names VISMA_SECRET_BERGVIK, which is not set',
    );
  });

  it('checks an Xledger municipality’s own settings, reading the token the settings name', () => {
    const xledger = { tokenEnv: 'XLEDGER_TOKEN_BERGVIK', payee: 'Bergvik kommune' };
    const settings = { financeAdapter: 'xledger', xledger };
    expect(financeAdapterOf(tenant(settings))).toBe('xledger');
    expect(financeSettingsProblem(tenant(settings), undefined, () => 'a-token')).toBeUndefined();
    expect(financeSettingsProblem(tenant(settings), undefined, () => undefined)).toBe(
      'municipality bergvik: settings.xledger.tokenEnv names XLEDGER_TOKEN_BERGVIK, which is not set',
    );
    expect(financeSettingsProblem(tenant({ financeAdapter: 'xledger' }), KEY)).toBe(
      'municipality bergvik: settings.xledger must be set',
    );
  });
});
