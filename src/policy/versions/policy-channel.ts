/** The PostgreSQL channel an activation notifies, with the municipality's id as payload. */
export const POLICY_CHANNEL = 'policy_activated';
