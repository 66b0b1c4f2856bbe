import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { EntityManager, MikroORM } from '@mikro-orm/core';
import { BasePostgreSqlPlatform } from '@mikro-orm/sql';
import { isIsoDate, type IsoDate } from '../../shared/calendar-date';
import { Municipality } from '../../tenancy';
import { readPublicKeys } from '../checkpoints/signing-key';
import { AuditVerifier } from './audit.verifier';
import { formatUnaudited, formatVerification } from './verification-report';
import { findUnauditedWritebacks } from './writeback-audit-coverage';

export const VERIFY_AUDIT_USAGE =
  'usage: npm run audit:verify -- <municipality-slug> | --all [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--independent] [--public-key <file>]...\n' +
  "  --from, --to        check a period (Oslo dates, both included) as the auditors' page does: from the last signed checkpoint before it (or the chain's start) to its last entry\n" +
  '  --independent       hash every payload here instead of letting PostgreSQL hash it where it lies (slower)\n' +
  "  --public-key <file> trust checkpoints signed by the Ed25519 key(s) in this PEM file instead of the portal's configured key";

export interface CommandOutput {
  out(line: string): void;
  err(line: string): void;
}

/** Oslo calendar dates, both included; either may be left out. */
export interface AuditPeriod {
  readonly from?: IsoDate;
  readonly to?: IsoDate;
}

/**
 * The stretch of a chain that checks a period: the auditors' verification page's mapping
 * (audit-review's `scopeFor`), passed in by the caller because audit-review builds on this folder.
 */
export type PeriodScope = (
  orm: MikroORM,
  municipalityId: string,
  period: AuditPeriod,
) => Promise<{
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly anchor: { readonly seq: number } | null;
  readonly period: { readonly firstSeq: number; readonly lastSeq: number } | null;
}>;

interface Chain {
  id: string;
  label: string;
}

/**
 * The verify command without its process: one line per municipality, and one more for each
 * finished write-back missing from its chain; resolves to the exit code, 0 when every chain
 * checked is sound and complete and agrees with its signed checkpoints, 1 when one is broken or
 * incomplete or the municipality is unknown, 2 for a usage error. Checkpoints are trusted by
 * `configuredKeys` (the portal's own key), or, given `--public-key`, by those keys alone: an
 * auditor brings the key they hold rather than take the installation's word for it.
 */
export async function verifyAuditCommand(
  orm: MikroORM,
  args: readonly string[],
  output: CommandOutput,
  configuredKeys: readonly KeyObject[] = [],
  periodScope?: PeriodScope,
): Promise<number> {
  const keyFiles: string[] = [];
  const others: string[] = [];
  const dates: { from?: string; to?: string } = {};
  for (let i = 0; i < args.length; i++) {
    const date = args[i] === '--from' ? 'from' : args[i] === '--to' ? 'to' : undefined;
    if (date) {
      if (i + 1 >= args.length || args[i + 1].startsWith('--')) {
        output.err(`${args[i]} needs a date (YYYY-MM-DD)`);
        return 2;
      }
      dates[date] = args[++i];
    } else if (args[i] === '--public-key' && i + 1 < args.length) keyFiles.push(args[++i]);
    else others.push(args[i]);
  }
  const period = periodOf(dates);
  if (typeof period === 'string') {
    output.err(period);
    return 2;
  }
  let publicKeys = configuredKeys;
  if (keyFiles.length > 0) {
    try {
      publicKeys = keyFiles.flatMap((file) => readKeyFile(file));
    } catch (error) {
      output.err((error as Error).message);
      return 2;
    }
  }
  const independent = others.includes('--independent');
  const rest = others.filter((a) => a !== '--independent');
  if (
    rest.length !== 1 ||
    rest[0] === '--help' ||
    rest[0] === '' ||
    (rest[0].startsWith('--') && rest[0] !== '--all')
  ) {
    output.err(VERIFY_AUDIT_USAGE);
    return 2;
  }
  const all = rest[0] === '--all';
  const chains = all ? await allChains(orm.em.fork()) : await oneChain(orm.em.fork(), rest[0]);
  if (chains.length === 0) {
    output.err(
      all ? 'no municipalities and no audit chains found' : `unknown municipality: ${rest[0]}`,
    );
    return all ? 0 : 1;
  }
  const verifier = new AuditVerifier(orm.em, undefined, {
    hashInDatabase: !independent,
    publicKeys,
  });
  const postgres = orm.em.getPlatform() instanceof BasePostgreSqlPlatform;
  let failures = 0;
  for (const chain of chains) {
    const started = performance.now();
    let label = chain.label;
    let range = {};
    if (period) {
      if (!periodScope) throw new Error('verifyAuditCommand: a period needs periodScope');
      const scope = await periodScope(orm, chain.id, period);
      label = `${chain.label} ${periodLabel(period, scope)}`;
      range = { afterCheckpoint: scope.anchor?.seq, upTo: scope.lastSeq };
    }
    // On PostgreSQL the write-back check runs beside the chain's on a connection of its own
    // (~0.3 s for 58,000 write-backs, a tenth of a million-entry chain's time); SQLite has one.
    const coverage = () => findUnauditedWritebacks(orm.em.fork(), chain.id);
    const [result, unaudited] = postgres
      ? await Promise.all([verifier.verify(chain.id, range), coverage()])
      : [await verifier.verify(chain.id, range), await coverage()];
    output.out(formatVerification(label, result, (performance.now() - started) / 1000));
    for (const line of formatUnaudited(chain.label, unaudited)) output.out(line);
    if (!result.ok || unaudited.count > 0) failures++;
  }
  return failures === 0 ? 0 : 1;
}

/** The period asked for, undefined for none, or the error to print. */
function periodOf(dates: { from?: string; to?: string }): AuditPeriod | undefined | string {
  // IsoDate is a string: the guard would narrow a bad one to `never`.
  const isDate = (value: string): boolean => isIsoDate(value);
  for (const [name, value] of Object.entries(dates))
    if (!isDate(value)) return `--${name} ${value} is not a date: write it as YYYY-MM-DD`;
  const { from, to } = dates;
  if (from && to && from > to) return `--from ${from} is after --to ${to}`;
  return from || to ? { from, to } : undefined;
}

function periodLabel(period: AuditPeriod, scope: Awaited<ReturnType<PeriodScope>>): string {
  const dates = `${period.from ?? 'start'} to ${period.to ?? 'now'}`;
  if (!scope.period) return `${dates} (no entries in the period)`;
  const own = `its entries ${scope.period.firstSeq}-${scope.period.lastSeq}`;
  return `${dates} (${own}; checked seq ${scope.firstSeq}-${scope.lastSeq})`;
}

function readKeyFile(file: string): KeyObject[] {
  try {
    return readPublicKeys(readFileSync(file, 'utf8'));
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new Error(`--public-key ${file}: ${why}`);
  }
}

async function oneChain(em: EntityManager, slug: string): Promise<Chain[]> {
  const found = await em.findOne(Municipality, { slug }, { fields: ['id', 'slug'] });
  return found ? [{ id: found.id, label: found.slug }] : [];
}

/** Every municipality, plus any chain whose municipality row is gone: it is still evidence. */
async function allChains(em: EntityManager): Promise<Chain[]> {
  const municipalities = await em.find(
    Municipality,
    {},
    { fields: ['id', 'slug'], orderBy: { slug: 'asc' } },
  );
  const chains = municipalities.map((m) => ({ id: m.id, label: m.slug }));
  const known = new Set(chains.map((c) => c.id));
  const heads = await em
    .getConnection()
    .execute<{ id: string }[]>(
      'select municipality_id as id from audit_chain_heads order by municipality_id',
    );
  for (const { id } of heads)
    if (!known.has(id)) chains.push({ id, label: `${id} (no municipality row)` });
  return chains;
}
