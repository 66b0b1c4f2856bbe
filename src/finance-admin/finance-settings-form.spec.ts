import {
  envNamesOf,
  fieldOfProblem,
  redacted,
  settingsFromForm,
  shownUrl,
} from './finance-settings-form';

describe('settingsFromForm', () => {
  const current = { policyFile: 'x.policy.json', financeAdapter: 'embedded' };

  it('keeps the other settings and drops an emptied base URL', () => {
    expect(
      settingsFromForm(
        { ...current, financeBaseUrl: 'https://a' },
        { adapter: 'embedded', baseUrl: ' ', vendor: '' },
      ),
    ).toEqual({ settings: current });
  });

  it('puts the vendor block under the adapter name', () => {
    expect(
      settingsFromForm(current, {
        adapter: 'visma',
        baseUrl: '',
        vendor: '{"clientSecretEnv":"VISMA_S"}',
      }),
    ).toEqual({
      settings: { ...current, financeAdapter: 'visma', visma: { clientSecretEnv: 'VISMA_S' } },
    });
  });

  it.each([
    [{ adapter: 'sap', baseUrl: '', vendor: '' }, 'adapter'],
    [{ adapter: 'http', baseUrl: 'https://user:pw@x.example', vendor: '' }, 'baseUrl'],
    [{ adapter: 'visma', baseUrl: '', vendor: '[1]' }, 'vendor'],
    [{ adapter: 'visma', baseUrl: '', vendor: '{"nested":{"password":"x"}}' }, 'vendor'],
    [{ adapter: 'xledger', baseUrl: '', vendor: '{"tokenEnv":"lower-case"}' }, 'vendor'],
    [{ adapter: 'http', baseUrl: '', vendor: '{"a":1}' }, 'vendor'],
  ])('refuses %j in the %s field', (values, field) => {
    const outcome = settingsFromForm(current, values);
    expect(outcome).toEqual({ refusals: [expect.objectContaining({ field })] });
  });
});

describe('redacted', () => {
  it('hides secret-looking values but keeps variable names and addresses', () => {
    expect(
      redacted({
        clientSecret: 's',
        clientSecretEnv: 'VISMA_X',
        tokenUrl: 'https://t',
        inner: { apiKey: 'k' },
      }),
    ).toEqual({
      clientSecret: '[hidden]',
      clientSecretEnv: 'VISMA_X',
      tokenUrl: 'https://t',
      inner: { apiKey: '[hidden]' },
    });
  });
});

describe('shownUrl', () => {
  it('takes user and password out of a URL', () => {
    expect(shownUrl('https://u:p@x.example/api')).toBe('https://x.example/api');
    expect(shownUrl('https://x.example/api')).toBe('https://x.example/api');
    expect(shownUrl(undefined)).toBeNull();
  });
});

describe('envNamesOf', () => {
  it('lists the …Env keys of a block', () => {
    expect(envNamesOf({ tokenEnv: 'XLEDGER_T', entity: 1 })).toEqual(['XLEDGER_T']);
    expect(envNamesOf(null)).toEqual([]);
  });
});

describe('fieldOfProblem', () => {
  it('finds the field by the setting the line names', () => {
    expect(fieldOfProblem('municipality a: settings.financeBaseUrl must be')).toBe('baseUrl');
    expect(fieldOfProblem('municipality a: settings.visma.tenantId Invalid')).toBe('vendor');
    expect(fieldOfProblem('municipality a: settings.financeAdapter is "http" but no key')).toBe(
      'adapter',
    );
  });
});
