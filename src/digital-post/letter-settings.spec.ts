import {
  letterChannelOf,
  letterSecretsFrom,
  letterSettingsProblem,
  svarUtSettingsOf,
} from './letter-settings';

const PEM = '-----BEGIN PRIVATE KEY-----\\nMIIE\\n-----END PRIVATE KEY-----';
const secrets = letterSecretsFrom({
  SVARUT_PASSWORD: 'integration-password',
  MASKINPORTEN_KEY: PEM,
  DATABASE_URL: 'postgresql://secret',
});
const svarut = (overrides: Record<string, unknown> = {}, maskinporten = {}) => ({
  letters: {
    channel: 'svarut',
    svarut: {
      accountId: '5a7c0f3e-2b1d-4c8e-9f6a-1d2e3f4a5b6c',
      integrationId: '8d9e0f1a-2b3c-4d5e-8f70-81a2b3c4d5e6',
      integrationPasswordEnv: 'SVARUT_PASSWORD',
      maskinporten: { clientId: 'client', privateKeyEnv: 'MASKINPORTEN_KEY', ...maskinporten },
      ...overrides,
    },
  },
});

describe('letterSecretsFrom', () => {
  it('reads only SVARUT_* and MASKINPORTEN_* variables', () => {
    expect(secrets('SVARUT_PASSWORD')).toBe('integration-password');
    expect(secrets('DATABASE_URL')).toBeUndefined();
  });
});

describe('letterChannelOf', () => {
  it('is e-mail unless the settings choose SvarUt', () => {
    expect(letterChannelOf({})).toBe('email');
    expect(letterChannelOf({ letters: { channel: 'email' } })).toBe('email');
    expect(letterChannelOf(svarut())).toBe('digital-post');
  });
});

describe('svarUtSettingsOf', () => {
  it('resolves the secrets and the documented defaults, a one-line PEM made whole', () => {
    const s = svarUtSettingsOf('nordby', svarut(), secrets);
    expect(s).toMatchObject({
      baseUrl: 'https://svarut.ks.no',
      integrationPassword: 'integration-password',
      digitalOnly: false,
      maskinporten: {
        tokenUrl: 'https://maskinporten.no/token',
        audience: 'https://maskinporten.no/',
        scope: 'ks:fiks',
        keyId: null,
      },
    });
    expect(s.maskinporten.privateKey).toBe(
      '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----',
    );
  });

  it('refuses http to another machine (the grant and the letters would travel in the clear)', () => {
    expect(() =>
      svarUtSettingsOf('nordby', svarut({ baseUrl: 'http://svarut.example.no' }), secrets),
    ).toThrow('settings.letters.svarut.baseUrl must be an https URL');
    expect(
      svarUtSettingsOf('nordby', svarut({ baseUrl: 'http://127.0.0.1:9999/' }), secrets).baseUrl,
    ).toBe('http://127.0.0.1:9999');
  });
});

describe('letterSettingsProblem', () => {
  it('names the setting and the variable, never the value', () => {
    expect(letterSettingsProblem('nordby', {}, secrets)).toBeUndefined();
    expect(letterSettingsProblem('nordby', svarut(), secrets)).toBeUndefined();
    const unset = letterSettingsProblem(
      'nordby',
      svarut({ integrationPasswordEnv: 'SVARUT_OTHER' }),
      secrets,
    );
    expect(unset).toBe(
      'Municipality nordby: settings.letters.svarut.integrationPasswordEnv names SVARUT_OTHER, which is not set',
    );
    expect(
      letterSettingsProblem('nordby', svarut({}, { privateKeyEnv: 'DATABASE_URL' }), secrets),
    ).toMatch(/settings\.letters\.svarut\.maskinporten\.privateKeyEnv: must name/);
    expect(
      letterSettingsProblem(
        'nordby',
        svarut({ integrationPasswordEnv: 'SVARUT_PASSWORD', x: 1 }),
        secrets,
      ),
    ).toMatch(/settings\.letters\.svarut/);
  });

  it('refuses a variable that holds no PEM key', () => {
    const odd = letterSecretsFrom({ SVARUT_PASSWORD: 'p', MASKINPORTEN_KEY: 'not a key' });
    expect(letterSettingsProblem('nordby', svarut(), odd)).toMatch(
      /does not hold a PEM private key/,
    );
  });
});
