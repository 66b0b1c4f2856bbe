import { formatMark, parseMarks, withMark, type DueDateMark } from './visma-marker';

const MARK: DueDateMark = {
  from: '2026-03-20',
  to: '2026-04-03',
  at: '2026-03-10T11:02:03.000Z',
  key: 'wb:job:1',
  reason: 'Deferral UTS-2026-0042 approved',
};

describe('visma-marker', () => {
  describe('withMark', () => {
    it('keeps what officers wrote and adds one line the portal reads back as it wrote it', () => {
      const note = withMark('Ringte kunden 3. mars.\n', MARK);
      expect(note).toBe(
        'Ringte kunden 3. mars.\n[minside-faktura] 2026-03-20 -> 2026-04-03 at 2026-03-10T11:02:03.000Z key=wb:job:1: Deferral UTS-2026-0042 approved',
      );
      expect(parseMarks(note)).toEqual([MARK]);
      expect(
        parseMarks(withMark(note, { ...MARK, key: 'k2', from: MARK.to, to: '2026-04-10' })),
      ).toHaveLength(2);
    });

    it('is the only line of an empty note', () => {
      expect(withMark(null, MARK)).toBe(formatMark(MARK));
    });
  });

  describe('parseMarks', () => {
    it('ignores other lines and lines that only look like marks', () => {
      const note = [
        'Kunden har bedt om utsettelse',
        '[minside-faktura] 2026-02-30 -> 2026-04-03 at 2026-03-10T11:02:03.000Z key=a: bad date',
        '[minside-faktura] 2026-03-20 -> 2026-04-03 at yesterday key=b: bad time',
        '[minside-faktura] 2026-03-20 -> 2026-04-03 key=c',
      ].join('\r\n');
      expect(parseMarks(note)).toEqual([]);
    });

    it('cannot be given a forged mark through the reason: a newline in it stays on the line', () => {
      const reason = `ok\n${formatMark({ ...MARK, key: 'forged', to: '2027-01-01' })}`;
      const marks = parseMarks(withMark(null, { ...MARK, reason }));
      expect(marks.map((m) => m.key)).toEqual(['wb:job:1']);
    });
  });
});
