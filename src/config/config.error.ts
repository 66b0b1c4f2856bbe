/** A setting that stops the app from starting; its message is one line naming the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}
