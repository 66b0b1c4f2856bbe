import { isEmail } from 'class-validator';
import { isBankingDay } from '../shared/banking-days';
import { isIsoDate } from '../shared/calendar-date';
import type { DeferralWindow } from '../policy';

export type FormProblem =
  | 'dateMissing'
  | 'dateMalformed'
  | 'dateInPast'
  | 'dateOutsideWindow'
  | 'dateNotBankingDay'
  | 'emailInvalid';

export interface DeferralForm {
  newDueDate: string;
  email: string | null;
}

/**
 * validator.js's check (through class-validator): one plain mailbox, no display name, no quoted
 * or non-ASCII local part, a real top-level domain; `"><svg/onload=…>@x.no` is not an address.
 */
const isAddress = (value: string) =>
  isEmail(value, {
    allow_display_name: false,
    allow_utf8_local_part: false,
    require_tld: true,
    allow_ip_domain: false,
  });

/**
 * Reads the posted form. Dates come from the form's list (YYYY-MM-DD) or, typed by hand, as
 * DD.MM.YYYY, inside the policy's window and on a banking day; anything else is a problem for the
 * form, never a 500 and never a stored request.
 */
export function parseDeferralForm(
  body: Record<string, unknown> | undefined,
  today: string,
  window: Extract<DeferralWindow, { allowed: true }>,
):
  | { ok: true; form: DeferralForm }
  | { ok: false; problems: FormProblem[]; values: Record<string, string> } {
  const rawDate = typeof body?.newDueDate === 'string' ? body.newDueDate.trim() : '';
  const rawEmail = typeof body?.email === 'string' ? body.email.trim() : '';
  const values = { newDueDate: rawDate.slice(0, 20), email: rawEmail.slice(0, 254) };
  const problems: FormProblem[] = [];
  const date = normalizeDate(rawDate);
  if (!rawDate) problems.push('dateMissing');
  else if (!date) problems.push('dateMalformed');
  else if (date <= today) problems.push('dateInPast');
  else if (date < window.earliestNewDueDate || date > window.latestNewDueDate)
    problems.push('dateOutsideWindow');
  // The form offers banking days only; one typed or posted by hand is held to the same list.
  else if (!isBankingDay(date)) problems.push('dateNotBankingDay');
  // A list (the field sent twice) or a JSON value of another type is a wrong address, not none.
  const wrongType =
    body?.email !== undefined && body.email !== null && typeof body.email !== 'string';
  if (wrongType || (rawEmail && (rawEmail.length > 254 || !isAddress(rawEmail))))
    problems.push('emailInvalid');
  if (problems.length > 0 || !date) return { ok: false, problems, values };
  return { ok: true, form: { newDueDate: date, email: rawEmail || null } };
}

function normalizeDate(raw: string): string | null {
  if (isIsoDate(raw)) return raw;
  const match = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(raw);
  if (!match) return null;
  const iso = `${match[3]}-${match[2].padStart(2, '0')}-${match[1].padStart(2, '0')}`;
  return isIsoDate(iso) ? iso : null;
}
