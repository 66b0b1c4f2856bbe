import { ConfigError } from './config.error';
import { Env, envSchema } from './env.schema';

const DEV_SECRET = 'development-only-secret-never-use-in-production!';

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 40 ? `'${text.slice(0, 37)}...'` : `'${text}'`;
}

/**
 * Parses and checks the environment once at boot. Throws a ConfigError whose message is a single
 * line naming each bad variable, so an operator sees exactly what to fix.
 */
export function validateEnv(raw: Record<string, unknown>): Env {
  const result = envSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'environment');
      const shown =
        name === 'DATABASE_URL' || name.endsWith('SECRET') ? '' : `, got ${describe(raw[name])}`;
      return `${name} ${issue.message}${shown}`;
    });
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const env = result.data;
  if (env.NODE_ENV === 'production' && !env.SESSION_SECRET) {
    throw new ConfigError('Invalid configuration: SESSION_SECRET must be set in production');
  }
  if (env.NODE_ENV === 'production' && env.SESSION_SECRET === DEV_SECRET) {
    throw new ConfigError(
      "Invalid configuration: SESSION_SECRET must be this installation's own value in production, not the development default",
    );
  }
  return { ...env, SESSION_SECRET: env.SESSION_SECRET ?? DEV_SECRET };
}
