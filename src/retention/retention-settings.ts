import { z } from 'zod';

const YEARS = 'must be a whole number of years from 1 to 100';

const schema = z
  .object(
    {
      /**
       * How many years after its decision a closed request keeps the resident's personal data,
       * as the municipality's archive plan says; RETENTION_YEARS (5) where it says nothing.
       */
      years: z.number({ error: YEARS }).int(YEARS).min(1, YEARS).max(100, YEARS).optional(),
    },
    { error: 'must be an object such as {"years": 10}' },
  )
  .strict();

/**
 * The years a municipality keeps residents' personal data after a decision (`settings.retention`),
 * or the installation's `RETENTION_YEARS`. A malformed setting (the start-up check refuses it; a
 * municipality may be given one while the portal runs) counts as none: the installation's period,
 * neither removing data early nor keeping it for ever.
 */
export function retentionYearsOf(settings: Record<string, unknown>, installation: number): number {
  return ownRetentionYears(settings) ?? installation;
}

/** One line naming the municipality and the setting, or undefined when the setting is usable. */
export function retentionSettingsProblem(
  slug: string,
  settings: Record<string, unknown>,
): string | undefined {
  const parsed = schema.safeParse(settings.retention ?? {});
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0];
  if (issue.code === 'unrecognized_keys')
    return `Municipality ${slug}: settings.retention: unknown setting "${issue.keys[0]}"`;
  const path = ['retention', ...issue.path.map(String)].join('.');
  return `Municipality ${slug}: settings.${path}: ${issue.message}`;
}

/**
 * The operators' form field: empty for the installation's period, else a whole number of years
 * from 1 to 100 (spaces around it allowed). Undefined years means "the installation's".
 */
export function retentionYearsFromForm(
  text: string,
): { ok: true; years: number | undefined } | { ok: false } {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, years: undefined };
  if (!/^\d{1,3}$/.test(trimmed)) return { ok: false };
  const years = Number(trimmed);
  return years >= 1 && years <= 100 ? { ok: true, years } : { ok: false };
}

/** `settings` with the municipality's own period set to `years`, or removed for the installation's. */
export function withRetentionYears<T extends { retention?: unknown }>(
  settings: T,
  years: number | undefined,
): T {
  const { retention: _old, ...rest } = settings;
  return (years === undefined ? rest : { ...rest, retention: { years } }) as T;
}

/** The municipality's own period if it set a usable one, else undefined. */
export function ownRetentionYears(settings: { retention?: unknown }): number | undefined {
  const parsed = schema.safeParse(settings.retention ?? {});
  return parsed.success ? parsed.data.years : undefined;
}
