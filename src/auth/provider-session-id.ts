/**
 * A provider's session id (the ID token's `sid`) as a session row keeps it for front-channel
 * logout: printable ASCII, at most 200 characters (the column's length). Any other is not kept,
 * so the login still works and only that provider's front-channel logout cannot find it.
 */
export function keepableSid(value: unknown): string | undefined {
  return typeof value === 'string' && /^[\x21-\x7e]{1,200}$/.test(value) ? value : undefined;
}
