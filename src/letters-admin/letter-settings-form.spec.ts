import {
  fieldOfProblem,
  lettersFromForm,
  type LetterSettingsValues,
  valuesOf,
} from './letter-settings-form';

const SVARUT: LetterSettingsValues = {
  channel: 'svarut',
  baseUrl: 'https://svarut.ks.no',
  accountId: '5a7c0f3e-2b1d-4c8e-9f6a-1d2e3f4a5b6c',
  integrationId: '8d9e0f1a-2b3c-4d5e-8f70-81a2b3c4d5e6',
  integrationPasswordEnv: 'SVARUT_NORDBY_PASSWORD',
  tokenUrl: '',
  audience: '',
  clientId: 'nordby-client',
  keyId: '',
  privateKeyEnv: 'MASKINPORTEN_NORDBY_KEY',
  digitalOnly: '',
};
const EMPTY = Object.fromEntries(
  Object.keys(SVARUT).map((k) => [k, '']),
) as unknown as LetterSettingsValues;

describe('lettersFromForm', () => {
  it('builds settings.letters for SvarUt, empty optional fields left out', () => {
    const result = lettersFromForm(SVARUT);
    expect(result).toEqual({
      letters: {
        channel: 'svarut',
        svarut: {
          baseUrl: 'https://svarut.ks.no',
          accountId: SVARUT.accountId,
          integrationId: SVARUT.integrationId,
          integrationPasswordEnv: 'SVARUT_NORDBY_PASSWORD',
          maskinporten: { clientId: 'nordby-client', privateKeyEnv: 'MASKINPORTEN_NORDBY_KEY' },
          digitalOnly: false,
        },
      },
    });
  });

  it('e-mail with the SvarUt fields empty keeps no SvarUt block', () => {
    expect(lettersFromForm({ ...EMPTY, channel: 'email' })).toEqual({
      letters: { channel: 'email' },
    });
  });

  it('refuses a secret that is not an SVARUT_/MASKINPORTEN_ variable name, naming the field', () => {
    const result = lettersFromForm({ ...SVARUT, privateKeyEnv: 'DATABASE_URL' });
    expect(result).toMatchObject({ refusals: [{ field: 'privateKeyEnv' }] });
  });

  it('refuses an account that is not a UUID and an unknown channel', () => {
    expect(lettersFromForm({ ...SVARUT, accountId: 'nordby' })).toMatchObject({
      refusals: [{ field: 'accountId' }],
    });
    expect(lettersFromForm({ ...EMPTY, channel: 'fax' })).toMatchObject({
      refusals: [{ field: 'channel' }],
    });
  });

  it('keeps the stored settings the form has no field for (scope, high-level login)', () => {
    const stored = {
      channel: 'svarut',
      svarut: { maskinporten: { scope: 'ks:fiks ks:other' }, requireHighLevelLogin: true },
    };
    const result = lettersFromForm(SVARUT, stored);
    if (!('letters' in result)) throw new Error('refused');
    expect(result.letters.svarut?.maskinporten.scope).toBe('ks:fiks ks:other');
    expect(result.letters.svarut?.requireHighLevelLogin).toBe(true);
    const fresh = lettersFromForm(SVARUT);
    if (!('letters' in fresh)) throw new Error('refused');
    expect(fresh.letters.svarut).not.toHaveProperty('requireHighLevelLogin');
  });

  it('reads back what it stored', () => {
    const result = lettersFromForm({ ...SVARUT, digitalOnly: 'on' });
    if (!('letters' in result)) throw new Error('refused');
    expect(valuesOf(result.letters)).toEqual({ ...SVARUT, digitalOnly: 'on' });
  });
});

describe('fieldOfProblem', () => {
  it('names the field of a start-up check line', () => {
    expect(
      fieldOfProblem(
        'Municipality x: settings.letters.svarut.maskinporten.privateKeyEnv names X, which is not set',
      ),
    ).toBe('privateKeyEnv');
    expect(
      fieldOfProblem('Municipality x: settings.letters.svarut.integrationPasswordEnv names …'),
    ).toBe('integrationPasswordEnv');
  });
});
