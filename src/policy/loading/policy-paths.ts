import { join } from 'node:path';
import { RULES_DIR } from '../../config/paths';

export const POLICY_SCHEMA_FILE = join(RULES_DIR, 'deferral-policy.schema.json');
export const DEFAULT_POLICY_FILE = join(RULES_DIR, 'default.policy.json');
