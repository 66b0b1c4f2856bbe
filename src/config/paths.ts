import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

function findProjectRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${start}`);
    dir = parent;
  }
  return dir;
}

/** The checkout's root: templates, rules and translations are read from here in source and in dist. */
export const PROJECT_ROOT = findProjectRoot(__dirname);
export const TEMPLATES_DIR = join(PROJECT_ROOT, 'templates');
export const RULES_DIR = join(PROJECT_ROOT, 'rules');
export const I18N_DIR = join(PROJECT_ROOT, 'src', 'web', 'i18n');
export const PUBLIC_DIR = join(PROJECT_ROOT, 'public');
