/**
 * Every kind of audit entry. A closed list, so a typo is a compile error rather than an entry
 * auditors cannot find; add new kinds here.
 */
export const AUDIT_ENTRY_TYPES = [
  'deferral.decided',
  'writeback.succeeded',
  'writeback.failed',
  'policy.published',
  'policy.activated',
  'policy.draft_created',
  'policy.draft_saved',
  'policy.draft_submitted',
  'policy.draft_returned',
  'policy.draft_discarded',
  'receipt.failed',
  'letter.sent',
  'letter.failed',
  'case.sent_to_officer',
  'case.opened',
  'case.taken',
  'case.info_requested',
  'case.resident_answered',
  'case.decided',
  'writeback.retried',
  'writeback.resolved_by_hand',
  'writeback.handed_over',
  'writeback.confirmed_by_read',
  'writeback.registered_by_hand',
  'writeback.not_needed',
  'staff.login',
  'staff.logout',
  'audit.decision_opened',
  'audit.exported',
  'audit.verified',
  'retention.personal_data_removed',
  'settings.finance_changed',
  'settings.finance_tested',
  'settings.letters_changed',
  'settings.retention_changed',
] as const;
export type AuditEntryType = (typeof AUDIT_ENTRY_TYPES)[number];

export function isAuditEntryType(value: unknown): value is AuditEntryType {
  return (AUDIT_ENTRY_TYPES as readonly unknown[]).includes(value);
}
