import { Test } from '@nestjs/testing';
import { I18nService } from 'nestjs-i18n';
import { i18nModule } from './i18n.setup';
import { TemplateTranslator } from './template-translator';

type Tree = { [key: string]: unknown };

function leafKeys(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    value !== null && typeof value === 'object'
      ? leafKeys(value as Tree, `${prefix}${key}.`)
      : [`${prefix}${key}`],
  );
}

const ARGS = {
  name: 'Kari Nordmann',
  id: 'abc',
  date: '1. mai 2026',
  dueDate: '20. mai 2026',
  days: 14,
  reference: 'UTS-7K3M-Q9TX',
  max: 30,
  number: '2026001001',
  minutes: 5,
};

describe(TemplateTranslator.name, () => {
  let i18n: I18nService<Record<string, unknown>>;
  let translator: TemplateTranslator;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [i18nModule] }).compile();
    await moduleRef.init();
    i18n = moduleRef.get(I18nService);
    translator = new TemplateTranslator(i18n);
  });

  describe('t', () => {
    it('answers as nestjs-i18n does for every key in every language, with and without arguments', () => {
      const trees = i18n.getTranslations() as unknown as Record<string, Tree>;
      let checked = 0;
      for (const lang of ['nb', 'nn', 'en']) {
        const keys = leafKeys(trees[lang]);
        expect(keys.length).toBeGreaterThan(100);
        for (const key of keys) {
          expect(translator.t(key, lang, ARGS)).toBe(i18n.t(key, { lang, args: ARGS }));
          expect(translator.t(key, lang, {})).toBe(i18n.t(key, { lang, args: {} }));
          expect(translator.t(key, lang)).toBe(i18n.t(key, { lang }));
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(300);
    });

    it.each([
      ['nb', 1, '1 dag etter forfallsdatoen'],
      ['nb', 2, '2 dager etter forfallsdatoen'],
      ['nb', 21, '21 dager etter forfallsdatoen'],
      ['nn', 1, '1 dag etter forfallsdatoen'],
      ['nn', 2, '2 dagar etter forfallsdatoen'],
      ['en', 1, '1 day after the due date'],
      ['en', 2, '2 days after the due date'],
    ])('chooses the plural form by count (%s, %i) as nestjs-i18n does', (lang, count, text) => {
      const key = 'deferrals.form.daysLater';
      expect(i18n.t(key, { lang, args: { count } })).toBe(text);
      // From the cached forms, not nestjs-i18n's walk of the tree: a date list asks 20 times.
      const walk = jest.spyOn(i18n, 't');
      try {
        expect(translator.t(key, lang, { count })).toBe(text);
        expect(translator.t(key, lang, { count })).toBe(text);
        expect(walk).not.toHaveBeenCalled();
      } finally {
        walk.mockRestore();
      }
    });

    it.each([
      ['nb', 1, '1 dag', 'innen 1 dag.'],
      ['nb', 10, '10 dager', 'innen 10 dager.'],
      ['nn', 1, '1 dag', 'innan 1 dag.'],
      ['nn', 10, '10 dagar', 'innan 10 dagar.'],
      ['en', 1, '1 day', 'within 1 day.'],
      ['en', 10, '10 days', 'within 10 days.'],
    ])(
      'writes the case page’s usual answer time in the plural form for its count (%s, %i)',
      (lang, count, days, lead) => {
        expect(translator.t('deferrals.case.usualAnswerDays', lang, { count })).toBe(days);
        const args = { count, date: '1. mai 2026' };
        expect(translator.t('deferrals.case.openLead', lang, args)).toContain(lead);
      },
    );

    it.each([
      ['nb', 1, '1 dag', 'vanlig svartid 1 dag', 'Minst 1 dag'],
      ['nb', 3, '3 dager', 'vanlig svartid 3 dager', 'Minst 3 dager'],
      ['nn', 1, '1 dag', 'vanleg svartid 1 dag', 'Minst 1 dag'],
      ['nn', 3, '3 dagar', 'vanleg svartid 3 dagar', 'Minst 3 dagar'],
      ['en', 1, '1 day', 'usual answer time 1 day', 'At least 1 day'],
      ['en', 3, '3 days', 'usual answer time 3 days', 'At least 3 days'],
    ])(
      'writes the officers’ day counts in the plural form for their count (%s, %i)',
      (lang, count, days, usual, atLeast) => {
        expect(translator.t('staffCases.queue.days', lang, { count })).toBe(days);
        expect(translator.t('staffCases.case.usual', lang, { count })).toBe(usual);
        expect(translator.t('staffCases.queue.atLeastDays', lang, { count })).toBe(atLeast);
      },
    );

    it('leaves a key that is missing to nestjs-i18n, fallbacks and all', () => {
      expect(translator.t('common.no.such.key', 'nn')).toBe(
        i18n.t('common.no.such.key', { lang: 'nn' }),
      );
      expect(translator.t('common.title', 'de')).toBe(i18n.t('common.title', { lang: 'de' }));
    });
  });
});
