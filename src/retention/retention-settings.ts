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
  const parsed = schema.safeParse(settings.retention ?? {});
  return (parsed.success ? parsed.data.years : undefined) ?? installation;
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
