import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '../../config/config.error';
import { RULES_DIR } from '../../config/paths';
import type { PolicyTenant } from '../versions/active-policy';
import { loadPolicy } from './policy-loader';
import type { Policy } from '../policy.types';
import { formatPolicyError } from '../policy.types';

/** What seeds a municipality whose settings name no file of its own. */
export const DEFAULT_SEED_FILE = 'default.policy.json';

/** A plain file name in rules/: no folders, so settings can never reach outside it. */
const SEED_FILE_NAME = /^[a-z0-9][a-z0-9_-]*\.policy\.json$/;

export interface SeedFile {
  /** The name as the settings give it, e.g. `asdal.policy.json`; stored as the version's source. */
  readonly name: string;
  /** Its full path. */
  readonly file: string;
  readonly text: string;
  readonly policy: Policy;
  readonly hash: string;
}

/** The seed file a municipality's settings name (`policyFile`), or the default one. */
export function seedFileOf(municipality: Pick<PolicyTenant, 'slug' | 'settings'>): string {
  const named = municipality.settings.policyFile;
  if (named === undefined) return DEFAULT_SEED_FILE;
  if (typeof named !== 'string' || !SEED_FILE_NAME.test(named)) {
    throw new ConfigError(
      `municipality ${municipality.slug}: settings.policyFile must be a file name in rules/ ending in .policy.json, got ${JSON.stringify(named)}`,
    );
  }
  return named;
}

/** Reads and validates a seed file; a missing or invalid one is a ConfigError of one line. */
export async function readSeedFile(slug: string, name: string, dir = RULES_DIR): Promise<SeedFile> {
  const file = join(dir, name);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new ConfigError(
      `municipality ${slug}: settings.policyFile names rules/${name}, which does not exist`,
    );
  }
  const loaded = loadPolicy(text);
  if (!loaded.ok) {
    const reasons = loaded.errors.map(formatPolicyError).join('; ').replace(/\s+/g, ' ');
    throw new ConfigError(
      `municipality ${slug}: rules/${name} is not a valid deferral policy: ${reasons}`,
    );
  }
  return { name, file, text, policy: loaded.policy, hash: loaded.hash };
}
