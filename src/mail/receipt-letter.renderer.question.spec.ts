import type { CaseQuestionLetter } from './case-question-letter';
import type { LetterLanguage } from './deferral-receipt-letter';
import { aCaseQuestionLetter } from './deferral-receipt-letter.test-factory';
import { ReceiptLetterRenderer } from './receipt-letter.renderer';

const NBSP = '\u00a0';
const renderer = new ReceiptLetterRenderer();
const QUESTION = 'Kan du sende oss dokumentasjon på inntekten din de siste tre månedene?';
const CASE_URL = 'https://fjordvik.example.no/saker/UTS-2026-000123';

const expected: Record<
  LetterLanguage,
  {
    subject: string;
    heading: string;
    intro: string;
    waiting: string;
    quoteHeading: string;
    answer: string;
    link: string;
    amount: string;
  }
> = {
  nb: {
    subject: 'Kommunen trenger mer informasjon om søknaden din – UTS-2026-000123',
    heading: 'Kommunen trenger mer informasjon fra deg',
    intro:
      'En saksbehandler hos Fjordvik kommune behandler søknaden din om betalingsutsettelse og har et spørsmål til deg.',
    waiting: 'Saken din står på vent til du har svart.',
    quoteHeading: 'Spørsmål fra saksbehandleren',
    answer: 'Du svarer på siden for saken din på Min side, ikke ved å svare på denne e-posten:',
    link: 'Svar på Min side',
    amount: `Beløp: 1${NBSP}234,50${NBSP}kr`,
  },
  nn: {
    subject: 'Kommunen treng meir informasjon om søknaden din – UTS-2026-000123',
    heading: 'Kommunen treng meir informasjon frå deg',
    intro:
      'Ein saksbehandlar hos Fjordvik kommune behandlar søknaden din om betalingsutsetjing og har eit spørsmål til deg.',
    waiting: 'Saka di står på vent til du har svart.',
    quoteHeading: 'Spørsmål frå saksbehandlaren',
    answer: 'Du svarar på sida for saka di på Mi side, ikkje ved å svare på denne e-posten:',
    link: 'Svar på Mi side',
    amount: `Beløp: 1${NBSP}234,50${NBSP}kr`,
  },
  en: {
    subject: 'The municipality needs more information about your request – UTS-2026-000123',
    heading: 'The municipality needs more information from you',
    intro:
      'A caseworker at Fjordvik kommune is processing your request for a later due date and has a question for you.',
    waiting: 'Your case is on hold until you have answered.',
    quoteHeading: 'Question from the caseworker',
    answer: 'Please answer on your case page on My page, not by replying to this e-mail:',
    link: 'Answer on My page',
    amount: `Amount: NOK${NBSP}1,234.50`,
  },
};

describe(ReceiptLetterRenderer, () => {
  describe('render (an officer’s question)', () => {
    it.each(['nb', 'nn', 'en'] as const)('asks the question in %s', (language) => {
      const letter = renderer.render(aCaseQuestionLetter({ language }));
      const want = expected[language];

      expect(letter.language).toBe(language);
      expect(letter.subject).toBe(want.subject);
      expect(letter.html).toContain(`<html lang="${language}">`);
      expect(letter.html).toContain(`<title>${want.subject}</title>`);
      for (const part of [letter.html, letter.text]) {
        expect(part).toContain(want.heading);
        expect(part).toContain(want.intro);
        expect(part).toContain(want.waiting);
        expect(part).toContain(QUESTION);
        expect(part).toContain(CASE_URL);
        expect(part).toContain('UTS-2026-000123');
        expect(part).toContain('2026004711');
        expect(part).toContain('Vann og avløp, 4. termin');
        expect(part).toContain('postmottak@fjordvik.example.no');
        expect(part).toContain('12 34 56 78');
      }
      expect(letter.html).toMatch(
        new RegExp(
          `<blockquote[^>]*>\\s*<p[^>]*>${QUESTION.replace('?', '\\?')}</p>\\s*</blockquote>`,
        ),
      );
      expect(letter.html).toMatch(new RegExp(`<a href="${CASE_URL}"[^>]*>${want.link}</a>`));
      expect(letter.html).toContain(`>${want.quoteHeading}</h2>`);
      expect(letter.text).toContain(`\n${want.quoteHeading.toLocaleUpperCase(language)}\n`);
      expect(letter.text).toContain(`> ${QUESTION}\n`);
      expect(letter.text).toContain(`${want.answer}\n${CASE_URL}\n`);
      expect(letter.text).toContain(want.amount);
      // A question is not a decision: no outcome, no due dates.
      expect(letter.text).not.toMatch(
        /(Opprinnelig|Opphavleg|Ny) forfallsdato|(Original|New) due date/,
      );
    });

    it('writes plain text a person can read: no blank-line runs, upper-case headings', () => {
      const { text } = renderer.render(aCaseQuestionLetter());
      expect(text).not.toMatch(/\n{4,}/);
      expect(text).toMatch(/^SPØRSMÅL FRA SAKSBEHANDLEREN$/m);
      expect(text).toMatch(/^SLIK SVARER DU$/m);
      expect(text).toMatch(/^FAKTURAEN$/m);
    });

    it('quotes every line of a question with line breaks', () => {
      const letter = renderer.render(
        aCaseQuestionLetter({
          question: 'Hei!\r\nHar du fått lønn i november?\n\n\nSvar ja eller nei.\r',
        }),
      );
      expect(letter.text).toContain(
        '> Hei!\n> Har du fått lønn i november?\n>\n> Svar ja eller nei.\n',
      );
      expect(letter.html).toContain('>Hei!<br>Har du fått lønn i november?</p>');
      expect(letter.html).toContain('>Svar ja eller nei.</p>');
      expect(letter.text).not.toContain('\r');
    });

    it('escapes a hostile question in HTML and leaves it as typed in plain text', () => {
      const question =
        '"><script>alert(document.cookie)</script><a href="javascript:x">svar her</a> & co';
      const letter = renderer.render(aCaseQuestionLetter({ question }));
      expect(letter.html).not.toMatch(/<script|href="javascript/i);
      expect(letter.html).toContain(
        '&quot;&gt;&lt;script&gt;alert(document.cookie)&lt;/script&gt;&lt;a href&#x3D;&quot;javascript:x&quot;&gt;svar her&lt;/a&gt; &amp; co',
      );
      expect(letter.text).toContain(`> ${question}\n`);
    });

    it('keeps the subject on one line when the reference carries line breaks', () => {
      const letter = renderer.render(
        aCaseQuestionLetter({ reference: 'UTS-1\r\nBcc: victim@example.org\r\n\r\nHei' }),
      );
      expect(letter.subject).toBe(
        'Kommunen trenger mer informasjon om søknaden din – UTS-1 Bcc: victim@example.org Hei',
      );
      expect(letter.text).not.toMatch(/^Bcc:/m);
    });

    it('never shows an identity number, whether passed along or typed into the question', () => {
      const pid = '01017012345';
      const leaky = {
        ...aCaseQuestionLetter({ question: `Gjelder det ${pid} eller 010170 12345?` }),
        pid,
        resident: { pid },
      } as CaseQuestionLetter;
      const letter = renderer.render(leaky);
      for (const part of [letter.subject, letter.html, letter.text]) {
        expect(part).not.toContain(pid);
        expect(part).not.toContain('010170 12345');
        expect(part).not.toMatch(/(?<!\d)\d{11}(?!\d)/);
      }
      expect(letter.text).toContain('> Gjelder det *********** eller ***********?');
    });

    it('loads nothing from outside the message', () => {
      const { html } = renderer.render(aCaseQuestionLetter());
      expect(html).not.toMatch(/<img|<link|<script|<iframe|\ssrc=|url\(/i);
      expect(html).toContain('<meta charset="utf-8">');
    });

    it('refuses letters that would say something untrue or unsafe', () => {
      for (const caseUrl of ['javascript:alert(1)', '/saker/1', 'mailto:x@example.org'])
        expect(() => renderer.render(aCaseQuestionLetter({ caseUrl }))).toThrow(
          'caseUrl must be an absolute http(s) URL',
        );
      for (const question of ['', ' \r\n '])
        expect(() => renderer.render(aCaseQuestionLetter({ question }))).toThrow(
          'a question letter needs the question',
        );
      expect(() =>
        renderer.render(
          aCaseQuestionLetter({ invoice: { number: '1', title: 't', amountOre: 12.5 } }),
        ),
      ).toThrow(TypeError);
      expect(() =>
        renderer.render({
          ...aCaseQuestionLetter(),
          kind: 'postcard',
        } as unknown as CaseQuestionLetter),
      ).toThrow('unknown letter kind "postcard"');
    });
  });
});
