import { LETTER_LANGUAGES } from './deferral-receipt-letter';
import { LetterTranslations } from './letter-translations';

const translations = LetterTranslations.load();
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('LetterTranslations', () => {
  it('has the same keys in nb, nn and en', () => {
    const nb = translations.keys('nb');
    expect(nb.length).toBeGreaterThan(20);
    expect(translations.keys('nn')).toEqual(nb);
    expect(translations.keys('en')).toEqual(nb);
  });

  it('has the same placeholders for a key in every language', () => {
    for (const key of translations.keys('nb')) {
      const expected = placeholders(translations.t('nb', key));
      for (const language of LETTER_LANGUAGES) {
        expect({ key, language, found: placeholders(translations.t(language, key)) }).toEqual({
          key,
          language,
          found: expected,
        });
      }
    }
  });

  describe('t', () => {
    it('reads keys with or without the letters. namespace and fills placeholders', () => {
      expect(translations.t('en', 'letters.subject.approved', { reference: 'R-1' })).toBe(
        'Payment deferral granted – ref. R-1',
      );
      expect(translations.t('nn', 'subject.rejected', { reference: 'R-2' })).toBe(
        'Betalingsutsetjing avslått – ref. R-2',
      );
    });

    it('has the texts of letters about cases an officer handles', () => {
      expect(translations.t('nb', 'letters.officer.subject', { invoice: 'Vann og avløp' })).toBe(
        'Saksbehandler har behandlet søknaden din om utsettelse – Vann og avløp',
      );
      expect(translations.t('nn', 'question.subject', { reference: 'R-3' })).toBe(
        'Kommunen treng meir informasjon om søknaden din – R-3',
      );
      expect(translations.t('en', 'question.waiting')).toBe(
        'Your case is on hold until you have answered.',
      );
    });

    it('throws on a key that exists in no language', () => {
      expect(() => translations.t('nb', 'letters.nope')).toThrow(
        'Missing translation letters.nope',
      );
    });
  });
});
