import { createHash } from 'node:crypto';
import { isIsoDate, type IsoDate } from '../../shared/calendar-date';
import { redactIdentityNumbers } from '../../shared/national-identity-number';

/**
 * Xledger keeps no idempotency keys, no history of due-date changes and no original due date. The
 * portal therefore appends a marker to the AR transaction's `text` each time it moves a due date:
 * ` | <reason> [mf:<key hash> <previous>><new> <changedAt>]`. Officers see the reason in Xledger;
 * the adapter reads the markers back as the change history, the original due date (the first
 * marker's previous date) and the answer to repeat for a repeated idempotency key.
 */
export interface DueDateMarker {
  /** The first 16 hex digits of SHA-256 of the idempotency key. */
  keyHash: string;
  previousDueDate: IsoDate;
  dueDate: IsoDate;
  /** ISO 8601 instant of the first write under this key. */
  changedAt: string;
}

const MARKER =
  /\s*\|\s*[^|[\]]*?\s*\[mf:([0-9a-f]{16}) (\d{4}-\d{2}-\d{2})>(\d{4}-\d{2}-\d{2}) (\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z)\]/g;
const UNSAFE_IN_REASON = /[|[\]\u0000-\u001f\u007f-\u009f]+/g;
/** Room for a reason such as "Betalingsutsettelse UTS-2026-000123"; Xledger's text is short. */
const MAX_REASON = 60;

export function keyHashOf(idempotencyKey: string): string {
  return createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 16);
}

/** The markers in `text`, in the order written; a marker a person has mangled is not one. */
export function readMarkers(text: string | null): DueDateMarker[] {
  const markers: DueDateMarker[] = [];
  for (const match of (text ?? '').matchAll(MARKER)) {
    const [, keyHash, previousDueDate, dueDate, changedAt] = match;
    if (!isIsoDate(previousDueDate) || !isIsoDate(dueDate) || Number.isNaN(Date.parse(changedAt)))
      continue;
    markers.push({ keyHash, previousDueDate, dueDate, changedAt });
  }
  return markers;
}

/** The text without the portal's markers: the invoice's own title. */
export function textWithoutMarkers(text: string | null): string {
  return (text ?? '').replace(MARKER, '').trim();
}

export function appendMarker(text: string | null, reason: string, marker: DueDateMarker): string {
  const safeReason = redactIdentityNumbers(reason)
    .replace(UNSAFE_IN_REASON, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, MAX_REASON)
    .trim();
  const { keyHash, previousDueDate, dueDate, changedAt } = marker;
  const segment = `| ${safeReason} [mf:${keyHash} ${previousDueDate}>${dueDate} ${changedAt}]`;
  const before = (text ?? '').trimEnd();
  return before === '' ? segment : `${before} ${segment}`;
}
