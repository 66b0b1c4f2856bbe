import { csvCell, toCsv } from './csv';

describe(csvCell.name, () => {
  it.each([
    ['=SUM(A1:A9)', "'=SUM(A1:A9)"],
    ['+47 55 00 00 00', "'+47 55 00 00 00"],
    ['-1', "'-1"],
    ['@cmd', "'@cmd"],
    ['\tTAB', "'\tTAB"],
  ])('defuses a formula: %p becomes %p', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it('quotes a cell holding the separator, a quote or a line break, doubling quotes', () => {
    expect(csvCell('Nordby; Sørby')).toBe('"Nordby; Sørby"');
    expect(csvCell('Kommunen "Nord"')).toBe('"Kommunen ""Nord"""');
    expect(csvCell('to\nlinjer')).toBe('"to\nlinjer"');
    expect(csvCell('=1;2')).toBe(`"'=1;2"`);
  });

  it('leaves plain text and counts alone', () => {
    expect(csvCell('Sørby kommune')).toBe('Sørby kommune');
    expect(csvCell(0)).toBe('0');
    expect(csvCell(1234)).toBe('1234');
    expect(csvCell('2026-W50')).toBe('2026-W50');
  });
});

describe(toCsv.name, () => {
  it('writes rows with semicolons and CRLF, after a byte order mark so spreadsheets read UTF-8', () => {
    expect(
      toCsv([
        ['Kommune', 'Uke'],
        ['Sørby', 3],
      ]),
    ).toBe('\ufeffKommune;Uke\r\nSørby;3\r\n');
  });
});
