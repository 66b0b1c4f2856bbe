/** A setting that stops the app from starting; its message is one line naming the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Refuses the start when municipalities' settings have problems: the first one (a line naming the
 * municipality and the setting) and how many more, as one ConfigError.
 */
export function refuseSettingsProblems(problems: readonly (string | undefined)[]): void {
  const found = problems.filter((problem) => problem !== undefined);
  if (found.length === 0) return;
  const more = found.length > 1 ? ` (and ${found.length - 1} more)` : '';
  throw new ConfigError(`${found[0]}${more}`);
}
