import { isIsoDate, type IsoDate } from '../../shared/calendar-date';

/**
 * Visma.net has no idempotency keys, so each due date the portal writes leaves one line in the
 * invoice's note (a text field Visma keeps and officers see), e.g.
 * `[minside-faktura] 2026-03-20 -> 2026-04-03 at 2026-03-10T11:02:03.000Z key=wb-1: Deferral UTS-1`.
 * The line says the change happened, with which key, and what the first answer was; a repeat
 * reads it back instead of writing again. Lines that are not ours are kept as they are.
 */
export interface DueDateMark {
  from: IsoDate;
  to: IsoDate;
  /** When the portal wrote it (ISO 8601). */
  at: string;
  key: string;
  reason: string;
}

const PREFIX = '[minside-faktura]';
const LINE =
  /^\[minside-faktura\] (\d{4}-\d{2}-\d{2}) -> (\d{4}-\d{2}-\d{2}) at (\S+) key=(\S+?)(?:: (.*))?$/;

export function formatMark(mark: DueDateMark): string {
  // One line: the reason is the portal's own text, but never lets a newline start a forged mark.
  const reason = mark.reason.replace(/\s+/g, ' ').trim().slice(0, 200);
  return `${PREFIX} ${mark.from} -> ${mark.to} at ${mark.at} key=${mark.key}: ${reason}`;
}

/** The portal's marks in a note, oldest first; other lines and malformed marks are not marks. */
export function parseMarks(note: string | null | undefined): DueDateMark[] {
  const marks: DueDateMark[] = [];
  for (const line of (note ?? '').split(/\r?\n/)) {
    const m = LINE.exec(line.trim());
    if (!m || !isIsoDate(m[1]) || !isIsoDate(m[2]) || Number.isNaN(Date.parse(m[3]))) continue;
    marks.push({ from: m[1], to: m[2], at: m[3], key: m[4], reason: m[5] ?? '' });
  }
  return marks;
}

/** The note with the mark appended below whatever officers wrote. */
export function withMark(note: string | null | undefined, mark: DueDateMark): string {
  const kept = (note ?? '').replace(/\s+$/, '');
  return kept === '' ? formatMark(mark) : `${kept}\n${formatMark(mark)}`;
}
