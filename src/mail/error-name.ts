/** Only the kind of error: messages of drivers and SMTP servers may quote an address or query. */
export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
