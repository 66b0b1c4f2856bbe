import type { WritebackHandoverLetter } from './handover-letter';
import { describeLetter } from './letter-name';
import { ReceiptLetterRenderer } from './receipt-letter.renderer';

const renderer = new ReceiptLetterRenderer();
const letter: WritebackHandoverLetter = {
  kind: 'writeback-handover',
  language: 'nb',
  reference: 'UTS-7K3M-Q9TX',
  municipality: 'Fjordvik kommune',
  invoiceNumber: '2026000123',
  resident: '128385*****',
  previousDueDate: '2026-12-15',
  newDueDate: '2027-01-15',
  taskUrl: 'https://fjordvik.example.no/saksbehandler/tilbakeskriving#task-1',
};

describe(ReceiptLetterRenderer.name, () => {
  describe('render (write-back hand-over)', () => {
    it('tells the finance team which invoice, whose (masked), both dates, the case and the task', () => {
      const rendered = renderer.render(letter);
      const lines = rendered.text.split('\n');
      expect(rendered.subject).toBe(
        'Ny forfallsdato skal registreres: faktura 2026000123 (sak UTS-7K3M-Q9TX)',
      );
      expect(lines).toEqual(
        expect.arrayContaining([
          'Fakturanummer: 2026000123',
          'Innbygger (fødselsdato fra fødselsnummeret): 128385*****',
          'Forfallsdato nå: 15.12.2026',
          'Ny forfallsdato: 15.01.2027',
          'Saksnummer: UTS-7K3M-Q9TX',
          letter.taskUrl,
        ]),
      );
      expect(rendered.text).toContain('Fjordvik kommune');
      expect(rendered.html).toBe('');
    });

    it('writes English dates as the finance system would take them', () => {
      const rendered = renderer.render({ ...letter, language: 'en' });
      expect(rendered.subject).toBe(
        'New due date to register: invoice 2026000123 (case UTS-7K3M-Q9TX)',
      );
      expect(rendered.text).toContain('New due date: 2027-01-15');
    });

    it.each([
      ['the whole identity number as the resident', { resident: '12838512311' }],
      ['an identity number hidden in another field', { invoiceNumber: '128385 12311' }],
      ['a task link that is not http(s)', { taskUrl: 'javascript:alert(1)' }],
      ['a date that is not a date', { newDueDate: '15.01.2027' }],
    ])('refuses %s', (_what, change) => {
      expect(() => renderer.render({ ...letter, ...change })).toThrow(TypeError);
    });

    it('keeps a subject to one line whatever the invoice number holds', () => {
      expect(renderer.render({ ...letter, invoiceNumber: 'a\r\nBcc: x' }).subject).not.toMatch(
        /[\r\n]/,
      );
    });
  });
});

describe('describeLetter', () => {
  it('names a hand-over letter by its case reference', () => {
    expect(describeLetter(letter)).toBe('Hand-over UTS-7K3M-Q9TX');
  });
});
