/** Something tried to change or remove an audit entry; the log is append-only. */
export class AuditLogImmutableError extends Error {
  override readonly name = 'AuditLogImmutableError';
  readonly code = 'audit.immutable';

  constructor(readonly operation: 'update' | 'delete') {
    super(`Audit entries are append-only: refusing to ${operation} one`);
  }
}

/** An append was malformed: a bug in the caller, never something a resident caused. */
export class InvalidAuditEntryError extends Error {
  override readonly name = 'InvalidAuditEntryError';
  readonly code = 'audit.invalid-entry';

  constructor(readonly problem: string) {
    super(`Invalid audit entry: ${problem}`);
  }
}
