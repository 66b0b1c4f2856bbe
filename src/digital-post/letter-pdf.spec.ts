import { ReceiptLetterRenderer } from '../mail';
import { aReceiptLetter } from '../mail/deferral-receipt-letter.test-factory';
import { letterPdf } from './letter-pdf';
import { readPdf } from './testing/pdf-text';

const renderer = new ReceiptLetterRenderer({ today: () => '2026-11-01' });

async function pdfOf(letter = aReceiptLetter(), options: { compress?: boolean } = {}) {
  const rendered = renderer.render(letter);
  const pdf = await letterPdf(
    {
      language: rendered.language,
      title: rendered.subject,
      sender: letter.municipality.name,
      text: rendered.text,
    },
    options,
  );
  return { pdf, read: readPdf(pdf), rendered };
}

describe('letterPdf', () => {
  it('writes a PDF with the letter’s title, sender and language in its metadata', async () => {
    const { read, rendered } = await pdfOf();
    expect(read.header).toMatch(/^%PDF-1\.7/);
    expect(read.title).toBe(rendered.subject);
    expect(read.author).toBe('Fjordvik kommune');
    expect(read.lang).toBe('nb-NO');
  });

  it('is tagged: a document of headings and paragraphs, for screen readers', async () => {
    const { read } = await pdfOf();
    expect(read.tagged).toBe(true);
    expect(read.structure).toEqual(expect.arrayContaining(['Document', 'H1', 'H2', 'P']));
  });

  it('says what the e-mail says: reference, decision, reasons, amount (compressed streams too)', async () => {
    for (const compress of [true, false]) {
      const { read } = await pdfOf(aReceiptLetter(), { compress });
      expect(read.text).toContain('UTS-2026-000123');
      expect(read.text).toContain('Du har ikke fått utsettelse på denne fakturaen før.');
      expect(read.text).toContain('2026004711');
      expect(read.text).toContain('15. desember 2026');
      // The amount's no-break space is WinAnsi's 0xA0, printed as a space.
      expect(read.text.replace(/\u00a0/g, ' ')).toContain('1 234,50 kr');
    }
  });

  it('sets the resident’s language: nynorsk and English letters say so', async () => {
    expect((await pdfOf(aReceiptLetter({ language: 'nn' }))).read.lang).toBe('nn-NO');
    const english = await pdfOf(aReceiptLetter({ language: 'en' }));
    expect(english.read.lang).toBe('en-GB');
    expect(english.read.text).toContain('15 December 2026');
  });

  it('prints characters Helvetica lacks as "?" instead of dropping them silently', async () => {
    const { read } = await pdfOf(aReceiptLetter({ reasons: ['Grunn ✓ med ÆØÅ æøå'] }));
    expect(read.text).toContain('Grunn ? med ÆØÅ æøå');
  });
});
