import { levelSatisfies, pickUiLocale, requestedLevel } from './idporten.constants';

describe('requestedLevel', () => {
  it.each([
    [undefined, 'idporten-loa-substantial'],
    ['idporten-loa-high', 'idporten-loa-high'],
    ['idporten-loa-high idporten-loa-substantial', 'idporten-loa-substantial'],
    ['Level4', 'idporten-loa-substantial'],
  ])('reads acr_values=%p as at least %s', (acrValues, level) => {
    expect(requestedLevel(acrValues)).toBe(level);
  });
});

describe('levelSatisfies', () => {
  it('ranks high above substantial and rejects unknown levels', () => {
    expect(levelSatisfies('idporten-loa-high', 'idporten-loa-substantial')).toBe(true);
    expect(levelSatisfies('idporten-loa-substantial', 'idporten-loa-high')).toBe(false);
    expect(levelSatisfies(undefined, 'idporten-loa-substantial')).toBe(false);
  });
});

describe('pickUiLocale', () => {
  it('takes the first supported locale, bokmål otherwise', () => {
    expect(pickUiLocale('se nn en')).toBe('nn');
    expect(pickUiLocale('de')).toBe('nb');
    expect(pickUiLocale(undefined)).toBe('nb');
  });
});
