import { type AuditCheckpointLetter } from './audit-checkpoint-letter';
import { describeLetter } from './letter-name';
import { ReceiptLetterRenderer } from './receipt-letter.renderer';

const renderer = new ReceiptLetterRenderer();
const statement =
  '{"hash":"ab","keyId":"k1","kind":"minside-faktura/audit-checkpoint","municipality":"fjordvik","municipalityId":"m","seq":7,"time":"2026-12-06T03:00:00.000Z","v":1}';
const letter: AuditCheckpointLetter = {
  kind: 'audit-checkpoint',
  language: 'nb',
  reference: 'fjordvik seq 7',
  municipality: 'fjordvik',
  seq: 7,
  hash: 'ab',
  time: '2026-12-06T03:00:00.000Z',
  keyId: 'k1',
  fingerprint: `sha256:${'c'.repeat(64)}`,
  statement,
  signature: 'A-_b'.repeat(21) + 'AA',
};

describe(ReceiptLetterRenderer.name, () => {
  describe('render (audit checkpoint)', () => {
    it('writes plain text with the statement and signature each on a line of its own', () => {
      const rendered = renderer.render(letter);
      const lines = rendered.text.split('\n');
      expect(lines).toContain(statement);
      expect(lines).toContain(letter.signature);
      expect(lines).toContain(`Nøkkelens fingeravtrykk: sha256:${'c'.repeat(64)}`);
      expect(lines).toContain('Løpenummer (seq): 7');
      expect(rendered.subject).toBe('Revisjonslogg fjordvik: signert kontrollpunkt ved nr. 7');
      expect(rendered.html).toBe('');
    });

    it('writes English when asked to', () => {
      expect(renderer.render({ ...letter, language: 'en' }).subject).toBe(
        'Audit log fjordvik: signed checkpoint at no. 7',
      );
    });

    it.each([
      ['a statement with a line break', { statement: `${statement}\nBcc: x@y.no` }],
      ['a signature that is not base64url', { signature: 'ab/+=' }],
    ])('refuses %s rather than send a text that would not verify', (_what, change) => {
      expect(() => renderer.render({ ...letter, ...change })).toThrow(TypeError);
    });

    it('keeps a municipality name with line breaks to one line in the subject', () => {
      expect(renderer.render({ ...letter, municipality: 'a\r\nBcc: x' }).subject).not.toMatch(
        /[\r\n]/,
      );
    });
  });
});

describe('describeLetter', () => {
  it('names a checkpoint letter by municipality and seq', () => {
    expect(describeLetter(letter)).toBe('Audit checkpoint fjordvik seq 7');
  });
});
