const MAX_ADDRESS = 254;
const MAX_LOCAL = 64;
// Dot-atom local part in ASCII (what every server takes without SMTPUTF8); the domain may be an
// IDN (ås.kommune.no), which nodemailer sends in its A-label form.
const LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;

/**
 * The address, trimmed, when it is one plain mailbox (`name@domain.tld`); otherwise null. Display
 * names, lists and anything with line breaks are refused, so a caller's string can never add
 * recipients or headers.
 */
export function toRecipient(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const address = value.trim();
  if (address.length > MAX_ADDRESS) return null;
  const at = address.lastIndexOf('@');
  if (at < 1) return null;
  const local = address.slice(0, at);
  const labels = address.slice(at + 1).split('.');
  if (local.length > MAX_LOCAL || !LOCAL.test(local)) return null;
  if (labels.length < 2 || !labels.every((label) => LABEL.test(label))) return null;
  if (
    !/^\p{L}{2,}$/u.test(labels[labels.length - 1]) &&
    !/^xn--[a-z0-9-]+$/i.test(labels[labels.length - 1])
  )
    return null;
  return address;
}

/** The part of an address that may be logged: the domain, lower case. Never the local part. */
export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? '(no domain)' : address.slice(at + 1).toLowerCase();
}
