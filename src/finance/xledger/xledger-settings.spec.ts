import { FinanceUnavailableError } from '../finance.errors';
import {
  DEFAULT_PAYMENT_STATUSES,
  XLEDGER_DEFAULT_URL,
  xledgerSecretsFrom,
  xledgerSettingsOf,
  xledgerSettingsProblem,
  xledgerTokenOf,
} from './xledger-settings';

const tenant = (xledger: unknown) => ({
  id: 'id-bergvik',
  slug: 'bergvik',
  settings: { financeAdapter: 'xledger', xledger },
});
const minimal = { tokenEnv: 'XLEDGER_TOKEN_BERGVIK', payee: 'Bergvik kommune' };

describe(xledgerSettingsOf, () => {
  it('fills in Xledger live, the common payment statuses and no agency', () => {
    expect(xledgerSettingsOf(tenant(minimal))).toEqual({
      endpoint: XLEDGER_DEFAULT_URL,
      tokenEnv: 'XLEDGER_TOKEN_BERGVIK',
      payee: 'Bergvik kommune',
      payees: {},
      accountNumber: null,
      categories: {},
      paymentStatuses: DEFAULT_PAYMENT_STATUSES,
      collectionAgency: null,
    });
  });

  it('normalises account numbers written with dots', () => {
    const settings = xledgerSettingsOf(
      tenant({ ...minimal, accountNumber: '1503.24.12995', payees: { '1506.88.10121': 'Skatt' } }),
    );
    expect(settings.accountNumber).toBe('15032412995');
    expect(settings.payees).toEqual({ '15068810121': 'Skatt' });
  });

  it.each([
    [undefined, 'municipality bergvik: settings.xledger must be set'],
    [{ payee: 'B' }, /^municipality bergvik: settings\.xledger\.tokenEnv /],
    [{ ...minimal, tokenEnv: 'lower-case' }, /tokenEnv must name an environment variable/],
    [
      { ...minimal, tokenEnv: 'SESSION_SECRET' },
      /tokenEnv must name an environment variable starting with XLEDGER_/,
    ],
    [{ ...minimal, url: 'ftp://x' }, /settings\.xledger\.url must be an http\(s\) URL/],
    [{ ...minimal, accountNumber: '12345678901' }, /accountNumber must be a valid/],
    [
      { ...minimal, categories: { VA: 'WATER' } },
      /^municipality bergvik: settings\.xledger\.categories\.VA /,
    ],
    [
      { ...minimal, collectionAgency: { name: 'X', url: 'javascript:alert(1)' } },
      /collectionAgency\.url must be an https address/,
    ],
    [{ ...minimal, token: 'secret-in-settings' }, /^municipality bergvik: settings\.xledger /],
  ])('refuses %p naming the setting', (xledger, expected) => {
    let thrown: unknown;
    try {
      xledgerSettingsOf(tenant(xledger));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(FinanceUnavailableError);
    expect(thrown).toMatchObject({ reason: 'not-configured' });
    expect((thrown as Error).message).toMatch(expected);
    expect((thrown as Error).message).not.toContain('secret-in-settings');
  });
});

describe(xledgerSecretsFrom, () => {
  it('holds the XLEDGER_* variables only, as they were when read', () => {
    const env: NodeJS.ProcessEnv = { XLEDGER_TOKEN_A: 'a', SESSION_SECRET: 's', XLEDGERX: 'x' };
    const lookup = xledgerSecretsFrom(env);
    env.XLEDGER_TOKEN_A = 'changed';
    expect([lookup('XLEDGER_TOKEN_A'), lookup('SESSION_SECRET'), lookup('XLEDGERX')]).toEqual([
      'a',
      undefined,
      undefined,
    ]);
  });
});

describe(xledgerSettingsProblem, () => {
  it('is none when the token is in the environment, and names the variable when not', () => {
    const env = (name: string) => (name === 'XLEDGER_TOKEN_BERGVIK' ? 'tok-123' : undefined);
    expect(xledgerSettingsProblem(tenant(minimal), env)).toBeUndefined();
    expect(xledgerSettingsProblem(tenant(minimal), () => '  ')).toBe(
      'municipality bergvik: settings.xledger.tokenEnv names XLEDGER_TOKEN_BERGVIK, which is not set',
    );
    expect(xledgerTokenOf(tenant(minimal), xledgerSettingsOf(tenant(minimal)), env)).toBe(
      'tok-123',
    );
  });
});
