import { appendMarker, keyHashOf, readMarkers, textWithoutMarkers } from './xledger-marker';

const marker = (dueDate: string, key = 'deferral-1') => ({
  keyHash: keyHashOf(key),
  previousDueDate: '2026-03-20',
  dueDate,
  changedAt: '2026-03-10T09:15:00.123Z',
});

describe('appendMarker', () => {
  it('adds a marker after the text that reads back as written, the title untouched', () => {
    const text = appendMarker(
      'Vann og avløp, 1. kvartal 2026',
      'Betalingsutsettelse UTS-1',
      marker('2026-04-03'),
    );
    expect(text).toBe(
      `Vann og avløp, 1. kvartal 2026 | Betalingsutsettelse UTS-1 [mf:${keyHashOf('deferral-1')} 2026-03-20>2026-04-03 2026-03-10T09:15:00.123Z]`,
    );
    expect(readMarkers(text)).toEqual([marker('2026-04-03')]);
    expect(textWithoutMarkers(text)).toBe('Vann og avløp, 1. kvartal 2026');
  });

  it('keeps earlier markers, in the order written', () => {
    const once = appendMarker('Renovasjon', 'første', marker('2026-04-03', 'a'));
    const twice = appendMarker(once, 'andre', {
      ...marker('2026-04-17', 'b'),
      previousDueDate: '2026-04-03',
    });
    expect(readMarkers(twice).map((m) => m.dueDate)).toEqual(['2026-04-03', '2026-04-17']);
    expect(textWithoutMarkers(twice)).toBe('Renovasjon');
  });

  it('stands alone in an empty text', () => {
    expect(textWithoutMarkers(appendMarker(null, 'r', marker('2026-04-03')))).toBe('');
  });

  it('keeps a reason from breaking the marker or carrying an identity number', () => {
    const text = appendMarker('T', 'x] | [mf:0000 12838512311\nny linje', marker('2026-04-03'));
    expect(text).not.toContain('12838512311');
    expect(text).not.toContain('\n');
    expect(readMarkers(text)).toEqual([marker('2026-04-03')]);
    expect(textWithoutMarkers(text)).toBe('T');
  });
});

describe('readMarkers', () => {
  it('ignores a marker a person has edited out of shape', () => {
    const text = appendMarker('T', 'r', marker('2026-04-03')).replace('>2026-04-03', '>2026-13-03');
    expect(readMarkers(text)).toEqual([]);
  });

  it('hashes keys, so the key itself never stands in Xledger', () => {
    expect(keyHashOf('deferral-1')).toMatch(/^[0-9a-f]{16}$/);
    expect(keyHashOf('deferral-1')).not.toBe(keyHashOf('deferral-2'));
  });
});
