import type { LetterLanguage } from './deferral-receipt-letter';
import { anOfficerReceiptLetter, aReceiptLetter } from './deferral-receipt-letter.test-factory';
import { ReceiptLetterRenderer } from './receipt-letter.renderer';

const renderer = new ReceiptLetterRenderer();
const POLICY_REASON = 'Du har ikke fått utsettelse på denne fakturaen før.';
const OFFICER_REASON = 'Du har dokumentert at inntekten din har falt i høst.';

const expected: Record<
  LetterLanguage,
  {
    subject: string;
    intro: string;
    reasonHeading: string;
    approved: { heading: string; lead: string };
    rejected: { heading: string; lead: string };
  }
> = {
  nb: {
    subject: 'Saksbehandler har behandlet søknaden din om utsettelse – Vann og avløp, 4. termin',
    intro:
      'En saksbehandler hos Fjordvik kommune har behandlet søknaden din om betalingsutsettelse.',
    reasonHeading: 'Saksbehandlerens begrunnelse',
    approved: {
      heading: 'Du har fått betalingsutsettelse',
      lead: 'Fakturaen har fått ny forfallsdato: 15. desember 2026.',
    },
    rejected: {
      heading: 'Du har ikke fått betalingsutsettelse',
      lead: 'Forfallsdatoen er fortsatt 20. november 2026.',
    },
  },
  nn: {
    subject: 'Saksbehandlar har behandla søknaden din om utsetjing – Vann og avløp, 4. termin',
    intro:
      'Ein saksbehandlar hos Fjordvik kommune har behandla søknaden din om betalingsutsetjing.',
    reasonHeading: 'Grunngjevinga frå saksbehandlaren',
    approved: {
      heading: 'Du har fått betalingsutsetjing',
      lead: 'Fakturaen har fått ny forfallsdato: 15. desember 2026.',
    },
    rejected: {
      heading: 'Du har ikkje fått betalingsutsetjing',
      lead: 'Forfallsdatoen er framleis 20. november 2026.',
    },
  },
  en: {
    subject: 'A caseworker has processed your deferral request – Vann og avløp, 4. termin',
    intro: 'A caseworker at Fjordvik kommune has processed your request for a later due date.',
    reasonHeading: 'Reasons given by the caseworker',
    approved: {
      heading: 'Your payment has been deferred',
      lead: 'The invoice has a new due date: 15 December 2026.',
    },
    rejected: {
      heading: 'Your payment could not be deferred',
      lead: 'The due date is still 20 November 2026.',
    },
  },
};

const cases = (['nb', 'nn', 'en'] as const).flatMap((language) =>
  (['approved', 'rejected'] as const).map((outcome) => ({ language, outcome })),
);

describe(ReceiptLetterRenderer, () => {
  describe('render (a case decided by an officer)', () => {
    it.each(cases)(
      'says an officer decided, in $language, when $outcome',
      ({ language, outcome }) => {
        const letter = renderer.render(
          anOfficerReceiptLetter({
            language,
            outcome,
            newDueDate: outcome === 'approved' ? '2026-12-15' : null,
            notices: outcome === 'approved' ? aReceiptLetter().notices : [],
          }),
        );
        const want = expected[language];

        expect(letter.language).toBe(language);
        expect(letter.subject).toBe(want.subject);
        expect(letter.html).toContain(`<title>${want.subject}</title>`);
        for (const part of [letter.html, letter.text]) {
          expect(part).toContain(want[outcome].heading);
          expect(part).toContain(want.intro);
          expect(part).toContain(want[outcome].lead);
          expect(part).toContain(OFFICER_REASON);
          // The policy's reasons did not decide the case, so they are not given as reasons.
          expect(part).not.toContain(POLICY_REASON);
          expect(part).toContain('UTS-2026-000123');
          expect(part).toContain('2026004711');
          expect(part).toContain('Vann og avløp, 4. termin');
          expect(part).toContain('postmottak@fjordvik.example.no');
          expect(part).toContain('12 34 56 78');
          expect(part).toContain('https://fjordvik.example.no/saker/UTS-2026-000123');
          if (outcome === 'approved') expect(part).toContain('AvtaleGiro eller eFaktura');
        }
        expect(letter.html).toContain(`>${want.reasonHeading}</h2>`);
        expect(letter.text).toContain(`\n${want.reasonHeading.toLocaleUpperCase(language)}\n`);
        if (outcome === 'rejected') expect(letter.text).not.toMatch(/15\.? (desember|December)/);
      },
    );

    it('puts the reason under an upper-case heading in plain text', () => {
      const { text } = renderer.render(anOfficerReceiptLetter());
      expect(text).toMatch(/^SAKSBEHANDLERENS BEGRUNNELSE\n\nDu har dokumentert at/m);
      expect(text).not.toMatch(/^BEGRUNNELSE$/m);
      expect(text).not.toMatch(/\n{4,}/);
    });

    it('keeps the line breaks of the reason: lines in text, <br> and paragraphs in HTML', () => {
      const letter = renderer.render(
        anOfficerReceiptLetter({
          officerReason: 'Første linje.\r\nAndre linje.\n\n\n\nNytt avsnitt.\rSiste linje.  ',
        }),
      );
      expect(letter.text).toContain('Første linje.\nAndre linje.\n\nNytt avsnitt.\nSiste linje.\n');
      expect(letter.text).not.toContain('\r');
      expect(letter.html).toContain('>Første linje.<br>Andre linje.</p>');
      expect(letter.html).toContain('>Nytt avsnitt.<br>Siste linje.</p>');
    });

    it('escapes a hostile reason in HTML and leaves it as typed in plain text', () => {
      const reason =
        '<script>alert(1)</script><a href="https://evil.example">klikk</a> & \'mer\'\n<img src=x onerror=alert(2)>';
      const letter = renderer.render(anOfficerReceiptLetter({ officerReason: reason }));
      expect(letter.html).not.toMatch(/<script|<img|<a href="https:\/\/evil/i);
      expect(letter.html).toContain(
        '&lt;script&gt;alert(1)&lt;/script&gt;&lt;a href&#x3D;&quot;https://evil.example&quot;&gt;klikk&lt;/a&gt; &amp; &#x27;mer&#x27;<br>&lt;img src&#x3D;x onerror&#x3D;alert(2)&gt;',
      );
      expect(letter.text).toContain(reason);
    });

    it('leaves out the reasons when the officer gave none, and never falls back on the policy’s', () => {
      for (const officerReason of [null, undefined, '', ' \n \r\n ']) {
        const letter = renderer.render(anOfficerReceiptLetter({ officerReason }));
        for (const part of [letter.html, letter.text]) {
          expect(part).not.toContain(POLICY_REASON);
          expect(part).not.toMatch(/begrunnelse/i);
        }
        expect(letter.text).not.toMatch(/\n{4,}/);
      }
    });

    it('keeps the officer’s reason out of a letter the policy decided', () => {
      const letter = renderer.render(
        aReceiptLetter({ decidedBy: 'policy', officerReason: 'x-y-z' }),
      );
      expect(letter.subject).toBe('Betalingsutsettelse innvilget – ref. UTS-2026-000123');
      expect(letter.text).toContain(POLICY_REASON);
      expect(letter.text).not.toContain('x-y-z');
    });

    it('writes the title on one line in the subject, whatever line breaks it holds', () => {
      const letter = renderer.render(
        anOfficerReceiptLetter({
          invoice: {
            number: '2026004711',
            title: 'Vann\r\nBcc: victim@example.org\r\n\r\n<b>x</b>\u2028y',
            amountOre: 100,
          },
        }),
      );
      expect(letter.subject).toBe(
        'Saksbehandler har behandlet søknaden din om utsettelse – Vann Bcc: victim@example.org <b>x</b> y',
      );
      expect(letter.subject).not.toMatch(/[\r\n\u2028\u2029]/);
      expect(letter.html).toContain(
        '<title>Saksbehandler har behandlet søknaden din om utsettelse – Vann Bcc: victim@example.org &lt;b&gt;x&lt;/b&gt; y</title>',
      );
      expect(letter.text).not.toMatch(/^Bcc:/m);
    });

    it('masks an identity number the officer typed into the reason', () => {
      const letter = renderer.render(
        anOfficerReceiptLetter({
          officerReason: 'Gjelder 01017012345 og 010170 12345, konto 1234.56.78903.',
        }),
      );
      for (const part of [letter.subject, letter.html, letter.text]) {
        expect(part).not.toContain('01017012345');
        expect(part).not.toContain('010170 12345');
      }
      expect(letter.text).toContain('Gjelder *********** og ***********, konto 1234.56.78903.');
    });

    it('refuses an officer’s decision that is neither an approval nor a rejection', () => {
      expect(() =>
        renderer.render(anOfficerReceiptLetter({ outcome: 'manual_review', newDueDate: null })),
      ).toThrow(TypeError);
      expect(() =>
        renderer.render(anOfficerReceiptLetter({ decidedBy: 'robot' as 'officer' })),
      ).toThrow('unknown decidedBy "robot"');
      expect(() => renderer.render(anOfficerReceiptLetter({ newDueDate: null }))).toThrow(
        'an approval needs newDueDate',
      );
      expect(() =>
        renderer.render(anOfficerReceiptLetter({ caseUrl: 'javascript:alert(1)' })),
      ).toThrow(TypeError);
    });
  });
});
