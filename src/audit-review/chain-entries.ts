import { isIsoDate } from '../shared/calendar-date';
import { maskNationalId } from '../shared/national-identity-number';

/** An audit entry as the auditor pages read it. */
export interface ChainEntry {
  seq: number;
  type: string;
  subjectId: string;
  createdAt: Date;
  payload: Record<string, unknown>;
}

/** One detail of an entry, as a page shows it: a translated label and a value of a kind. */
export interface EntryDetail {
  /** The last part of an `audit.detail.*` key. */
  key: string;
  value: string;
  /** Set when the value is an outcome (translated) or a calendar date (formatted). */
  outcome?: string;
  date?: string;
  /** A yes/no field that is yes: the label alone says it. */
  flag?: boolean;
}

export interface EntryView {
  seq: number;
  at: Date;
  type: string;
  /** The type as the last part of an `audit.types.*` key (dots are key separators there). */
  typeKey: string;
  /** A person's name (or `staff:<sub>`), or null when `by` says who. */
  who: string | null;
  by: 'person' | 'policy' | 'resident' | 'system';
  details: EntryDetail[];
}

/** Looking at a resident's data: listed apart, as "who has opened it". */
export const OPEN_TYPES = ['case.opened', 'audit.decision_opened'];

/** The payload fields each type shows, in order; anything else stays in the chain, not the page. */
export const ENTRY_DETAILS: Record<string, readonly string[]> = {
  'deferral.decided': ['outcome', 'newDueDate'],
  'case.sent_to_officer': ['previousStatus'],
  'case.opened': ['status'],
  'case.taken': ['released', 'takenOverFrom'],
  'case.info_requested': ['question'],
  'case.decided': ['outcome', 'newDueDate', 'reason'],
  'writeback.succeeded': ['dueDate', 'attempts'],
  'writeback.failed': ['newDueDate', 'attempts', 'error'],
  'writeback.retried': ['previousError', 'attempts'],
  'writeback.resolved_by_hand': ['newDueDate', 'note', 'previousError'],
  'writeback.handed_over': ['newDueDate'],
  'writeback.confirmed_by_read': ['dueDate'],
  'writeback.registered_by_hand': ['newDueDate', 'seenDueDate'],
  'writeback.not_needed': ['newDueDate', 'invoiceStatus'],
  'receipt.failed': ['attempts', 'error'],
  'letter.sent': ['channel', 'shipmentId', 'attempts'],
  'letter.failed': ['channel', 'attempts', 'error'],
  'audit.decision_opened': ['reference', 'fullNumber'],
  'staff.login': ['roles'],
  'staff.logout': ['endedByProvider'],
  'policy.published': ['version', 'comment'],
  'policy.activated': ['version', 'previousVersionId'],
  'policy.draft_created': ['kind'],
  'policy.draft_submitted': ['comment'],
  'policy.draft_returned': ['comment'],
  'retention.personal_data_removed': ['count'],
  'settings.finance_changed': ['municipality', 'before', 'after'],
  'settings.letters_changed': ['municipality', 'before', 'after'],
  'settings.retention_changed': ['municipality', 'yearsBefore', 'yearsAfter', 'dueAtNextRun'],
  'settings.finance_tested': ['municipality', 'maskedPid', 'invoiceNumber', 'result'],
};
const OUTCOME_KEYS = new Set(['outcome']);

/** Who made an entry, by the fields the features write: a person's, the resident's or the system's. */
export function actorOf(payload: Record<string, unknown>): string | null {
  for (const key of ['actor', 'by', 'approvedBy', 'activatedBy']) {
    const value = payload[key];
    if (typeof value === 'string' && value !== '' && value !== 'resident') return value;
  }
  return null;
}

export function entryView(entry: ChainEntry): EntryView {
  const { payload } = entry;
  const actor = actorOf(payload);
  const name = typeof payload.name === 'string' && payload.name !== '' ? payload.name : null;
  const by: EntryView['by'] =
    entry.type === 'deferral.decided'
      ? 'policy'
      : payload.by === 'resident'
        ? 'resident'
        : actor
          ? 'person'
          : 'system';
  return {
    seq: entry.seq,
    at: entry.createdAt,
    type: entry.type,
    typeKey: entry.type.replace(/\./g, '_'),
    who: by === 'person' ? (name ?? actor) : null,
    by,
    details: (ENTRY_DETAILS[entry.type] ?? []).flatMap((key) => detail(key, payload[key])),
  };
}

function detail(key: string, value: unknown): EntryDetail[] {
  if (value === undefined || value === null || value === '' || value === false) return [];
  if (value === true) return [{ key, value: '', flag: true }];
  if (OUTCOME_KEYS.has(key) && typeof value === 'string') return [{ key, value, outcome: value }];
  if (typeof value === 'string' && isIsoDate(value)) return [{ key, value, date: value }];
  const text = Array.isArray(value)
    ? value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ')
    : typeof value === 'string'
      ? value
      : JSON.stringify(value);
  // A chain entry never should hold an identity number; should a typed text hold one, mask it.
  return [{ key, value: text.replace(/(?<!\d)\d{11}(?!\d)/g, (pid) => maskNationalId(pid)) }];
}
