import type {
  DeferralReceiptLetter,
  LetterLanguage,
  LetterOutcome,
} from './deferral-receipt-letter';
import { aReceiptLetter, anOfficerReceiptLetter } from './deferral-receipt-letter.test-factory';
import { ReceiptLetterRenderer } from './receipt-letter.renderer';
import golden from './testing/old-receipt-letters.golden.json';

const NBSP = '\u00a0';
const renderer = new ReceiptLetterRenderer();
/** As of a day before the stored letters' original due date (20 November 2026), as when they were written. */
const renderedThen = new ReceiptLetterRenderer({ today: () => '2026-11-10' });

const expected: Record<
  LetterLanguage,
  Record<LetterOutcome, { subject: string; heading: string }> & {
    newDueDate: string;
    amount: string;
  }
> = {
  nb: {
    approved: {
      subject: 'Betalingsutsettelse innvilget – ref. UTS-2026-000123',
      heading: 'Du har fått betalingsutsettelse',
    },
    rejected: {
      subject: 'Betalingsutsettelse avslått – ref. UTS-2026-000123',
      heading: 'Du har ikke fått betalingsutsettelse',
    },
    manual_review: {
      subject: 'Søknad om betalingsutsettelse sendt til behandling – ref. UTS-2026-000123',
      heading: 'Søknaden din behandles av kommunen',
    },
    newDueDate: 'Ny forfallsdato',
    amount: `Beløp: 1${NBSP}234,50${NBSP}kr`,
  },
  nn: {
    approved: {
      subject: 'Betalingsutsetjing innvilga – ref. UTS-2026-000123',
      heading: 'Du har fått betalingsutsetjing',
    },
    rejected: {
      subject: 'Betalingsutsetjing avslått – ref. UTS-2026-000123',
      heading: 'Du har ikkje fått betalingsutsetjing',
    },
    manual_review: {
      subject: 'Søknad om betalingsutsetjing send til behandling – ref. UTS-2026-000123',
      heading: 'Søknaden din blir behandla av kommunen',
    },
    newDueDate: 'Ny forfallsdato',
    amount: `Beløp: 1${NBSP}234,50${NBSP}kr`,
  },
  en: {
    approved: {
      subject: 'Payment deferral granted – ref. UTS-2026-000123',
      heading: 'Your payment has been deferred',
    },
    rejected: {
      subject: 'Payment deferral refused – ref. UTS-2026-000123',
      heading: 'Your payment could not be deferred',
    },
    manual_review: {
      subject: 'Payment deferral request sent for review – ref. UTS-2026-000123',
      heading: 'Your request is being reviewed by the municipality',
    },
    newDueDate: 'New due date',
    amount: `Amount: NOK${NBSP}1,234.50`,
  },
};

const cases = (['nb', 'nn', 'en'] as const).flatMap((language) =>
  (['approved', 'rejected', 'manual_review'] as const).map((outcome) => ({ language, outcome })),
);

function letterFor(language: LetterLanguage, outcome: LetterOutcome): DeferralReceiptLetter {
  return aReceiptLetter({
    language,
    outcome,
    newDueDate: outcome === 'approved' ? '2026-12-15' : null,
  });
}

describe(ReceiptLetterRenderer, () => {
  describe('render', () => {
    it.each(cases)('writes the $outcome letter in $language', ({ language, outcome }) => {
      const letter = renderer.render(letterFor(language, outcome));
      const want = expected[language][outcome];

      expect(letter.language).toBe(language);
      expect(letter.subject).toBe(want.subject);
      expect(letter.html).toContain(`<html lang="${language}">`);
      expect(letter.html).toContain(`<title>${want.subject}</title>`);
      for (const part of [letter.html, letter.text]) {
        expect(part).toContain(want.heading);
        expect(part).toContain('UTS-2026-000123');
        expect(part).toContain('2026004711');
        expect(part).toContain('Vann og avløp, 4. termin');
        expect(part).toContain('Fjordvik kommune');
        expect(part).toContain('postmottak@fjordvik.example.no');
        expect(part).toContain('12 34 56 78');
        expect(part).toContain('https://fjordvik.example.no/saker/UTS-2026-000123');
        expect(part).toContain('Du har ikke fått utsettelse på denne fakturaen før.');
        expect(part).toContain('AvtaleGiro eller eFaktura');
      }
      expect(letter.text).toContain(expected[language].amount);
      if (outcome === 'approved')
        expect(letter.text).toContain(`${expected[language].newDueDate}: `);
      else expect(letter.text).not.toContain(expected[language].newDueDate);
    });

    it('formats amount and dates for the language', () => {
      const nb = renderer.render(aReceiptLetter({ language: 'nb' }));
      expect(nb.html).toContain(`<td style="padding:4px 0;">1${NBSP}234,50${NBSP}kr</td>`);
      expect(nb.text).toContain('Opprinnelig forfallsdato: 20. november 2026');
      expect(nb.text).toContain('Ny forfallsdato: 15. desember 2026');
      expect(nb.text).toContain('Fakturaen har fått ny forfallsdato: 15. desember 2026.');

      const nn = renderer.render(aReceiptLetter({ language: 'nn' }));
      expect(nn.text).toContain('Opphavleg forfallsdato: 20. november 2026');
      expect(nn.text).toContain('Ny forfallsdato: 15. desember 2026');

      const en = renderer.render(aReceiptLetter({ language: 'en' }));
      expect(en.text).toContain('Original due date: 20 November 2026');
      expect(en.text).toContain('New due date: 15 December 2026');
      expect(en.html).toContain(`NOK${NBSP}1,234.50`);
    });

    it('tells a rejected resident the original due date still holds', () => {
      const letter = renderer.render(letterFor('nb', 'rejected'));
      expect(letter.text).toContain('Forfallsdatoen er fortsatt 20. november 2026.');
      expect(letter.html).not.toContain('15. desember 2026');
    });

    it.each([
      [
        'nb',
        'Til da gjelder den opprinnelige forfallsdatoen, 20. november 2026.',
        'Fakturaen har forfalt. Du får svar når saken er behandlet.',
      ],
      [
        'nn',
        'Til då gjeld den opphavlege forfallsdatoen, 20. november 2026.',
        'Fakturaen har forfalle. Du får svar når saka er behandla.',
      ],
      [
        'en',
        'Until then, the original due date of 20 November 2026 applies.',
        'The invoice is past its due date. You will get an answer when your request has been processed.',
      ],
    ] as const)(
      'says in %s that the original due date holds while in review only while that date is to come',
      (language, holds, overdue) => {
        const letter = aReceiptLetter({ language, outcome: 'manual_review', newDueDate: null });
        const onDueDate = new ReceiptLetterRenderer({ today: () => '2026-11-20' }).render(letter);
        const dayAfter = new ReceiptLetterRenderer({ today: () => '2026-11-21' }).render(letter);
        for (const part of [onDueDate.text, onDueDate.html]) {
          expect(part).toContain(holds);
          expect(part).not.toContain(overdue);
        }
        for (const part of [dayAfter.text, dayAfter.html]) {
          expect(part).toContain(overdue);
          expect(part).not.toContain(holds);
        }
      },
    );

    it('escapes reason text in HTML and leaves it readable in plain text', () => {
      const reason = 'Beløpet er over <grensen> for "små" fakturaer & må vurderes';
      const letter = renderer.render(
        aReceiptLetter({
          reasons: [reason],
          municipality: {
            name: 'Sør & Nord kommune',
            contactEmail: 'post@sn.example.no',
            contactPhone: '',
          },
        }),
      );
      expect(letter.html).toContain(
        'Beløpet er over &lt;grensen&gt; for &quot;små&quot; fakturaer &amp; må vurderes',
      );
      expect(letter.html).not.toContain('<grensen>');
      expect(letter.html).toContain('Sør &amp; Nord kommune');
      expect(letter.text).toContain(`- ${reason}`);
      expect(letter.text).toContain(
        'Kontakt Sør & Nord kommune og oppgi saksnummeret UTS-2026-000123.',
      );
      expect(letter.text).not.toMatch(/&(amp|lt|gt|quot|#x?[0-9a-f]+);/i);
      expect(letter.text).not.toMatch(/<\/?(p|li|ul|h[1-6]|table|tr|td|th|br|a|strong)\b/i);
    });

    it('writes plain text a person can read: no blank-line runs, upper-case headings', () => {
      const { text } = renderer.render(aReceiptLetter());
      expect(text).not.toMatch(/\n{4,}/);
      expect(text).toMatch(/^FAKTURAEN$/m);
      expect(text).toMatch(/^BEGRUNNELSE$/m);
      expect(text).toMatch(/^- Betaler du med AvtaleGiro/m);
    });

    it('leaves out the reasons and notices sections when there are none', () => {
      const letter = renderer.render(aReceiptLetter({ reasons: [], notices: [] }));
      expect(letter.html).not.toContain('Begrunnelse');
      expect(letter.html).not.toContain('<ul');
      expect(letter.text).not.toContain('HUSK');
    });

    it('never shows an identity number, even when the caller passes one along', () => {
      const pid = '01017012345';
      const leaky = { ...aReceiptLetter(), pid, resident: { pid } } as DeferralReceiptLetter;
      const letter = renderer.render(leaky);
      for (const part of [letter.subject, letter.html, letter.text]) {
        expect(part).not.toContain(pid);
        expect(part).not.toMatch(/(?<!\d)\d{11}(?!\d)/);
      }
    });

    it('loads nothing from outside the message', () => {
      const { html } = renderer.render(aReceiptLetter());
      expect(html).not.toMatch(/<img|<link|<script|<iframe|\ssrc=|url\(/i);
      expect(html).toContain('<a href="https://fjordvik.example.no/saker/UTS-2026-000123"');
      expect(html).toContain('<meta charset="utf-8">');
    });

    it.each([
      ['nb', 'REVISJONSSPOR', 'Oppføring nr. 42, kontrollsum '],
      ['nn', 'REVISJONSSPOR', 'Oppføring nr. 42, kontrollsum '],
      ['en', 'AUDIT TRAIL', 'Entry no. 42, checksum '],
    ] as const)(
      'names the decision’s audit entry, its seq and whole hash, in %s',
      (language, heading, entry) => {
        const hash = 'ab'.repeat(32);
        const letter = renderer.render(aReceiptLetter({ language, audit: { seq: 42, hash } }));
        expect(letter.text).toMatch(new RegExp(`^${heading}$`, 'm'));
        expect(letter.text).toContain(`${entry}${hash}`);
        expect(letter.html).toContain(`${entry}${hash}`);
        expect(letter.text).not.toMatch(/\n{4,}/);
        const officer = renderer.render(
          anOfficerReceiptLetter({ language, audit: { seq: 43, hash } }),
        );
        expect(officer.text).toContain(entry.replace('42', '43'));
      },
    );

    it('leaves the audit section out of a letter queued before receipts named the entry', () => {
      const { text, html } = renderer.render(aReceiptLetter({ audit: undefined }));
      expect(text).not.toContain('REVISJONSSPOR');
      expect(html).not.toContain('Revisjonsspor');
    });

    it('refuses letters that would say something untrue or unsafe', () => {
      expect(() => renderer.render(aReceiptLetter({ newDueDate: null }))).toThrow(
        'an approval needs newDueDate',
      );
      expect(() => renderer.render(aReceiptLetter({ caseUrl: 'javascript:alert(1)' }))).toThrow(
        TypeError,
      );
      expect(() => renderer.render(aReceiptLetter({ caseUrl: '/saker/1' }))).toThrow(TypeError);
      expect(() =>
        renderer.render(aReceiptLetter({ invoice: { number: '1', title: 't', amountOre: 12.5 } })),
      ).toThrow(TypeError);
      expect(() => renderer.render(aReceiptLetter({ originalDueDate: '2026-02-30' }))).toThrow(
        TypeError,
      );
      expect(() =>
        renderer.render(aReceiptLetter({ audit: { seq: 0, hash: 'ab'.repeat(32) } })),
      ).toThrow('audit must name a seq and a sha256 hash');
      expect(() =>
        renderer.render(aReceiptLetter({ audit: { seq: 7, hash: '<b>not a hash</b>' } })),
      ).toThrow(TypeError);
    });

    it.each(golden.map((entry) => [entry.letter.language, entry.letter.outcome, entry] as const))(
      'renders a %s %s letter stored before officers decided cases as it did then, in today’s words',
      (_language, _outcome, { letter, rendered }) => {
        // As read back from a job's JSON column: no kind, no decidedBy, no officerReason.
        const newFields = ['kind', 'decidedBy', 'officerReason', 'audit'];
        expect(Object.keys(letter).filter((key) => newFields.includes(key))).toEqual([]);
        expect(renderedThen.render(letter as DeferralReceiptLetter)).toEqual(rendered);
      },
    );

    it('writes nynorsk with bokmål formats when ICU lacks nn-NO', () => {
      const fallback = new ReceiptLetterRenderer({
        isLocaleSupported: (locale) => locale !== 'nn-NO',
      });
      const letter = fallback.render(aReceiptLetter({ language: 'nn' }));
      expect(letter.html).toContain('<html lang="nn">');
      expect(letter.text).toContain(`Beløp: 1${NBSP}234,50${NBSP}kr`);
      expect(letter.text).toContain('Ny forfallsdato: 15. desember 2026');
    });
  });
});
