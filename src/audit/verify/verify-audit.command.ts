import type { EntityManager, MikroORM } from '@mikro-orm/core';
import { Municipality } from '../../tenancy';
import { AuditVerifier } from './audit.verifier';
import { formatUnaudited, formatVerification } from './verification-report';
import { findUnauditedWritebacks } from './writeback-audit-coverage';

export const VERIFY_AUDIT_USAGE =
  'usage: node dist/src/verify-audit.cli.js <municipality-slug> | --all [--independent]\n' +
  '  --independent  hash every payload here instead of letting PostgreSQL hash it where it lies (slower)';

export interface CommandOutput {
  out(line: string): void;
  err(line: string): void;
}

interface Chain {
  id: string;
  label: string;
}

/**
 * The verify command without its process: one line per municipality, and one more for each
 * finished write-back missing from its chain; resolves to the exit code, 0 when every chain
 * checked is sound and complete, 1 when one is broken or incomplete or the municipality is
 * unknown, 2 for a usage error.
 */
export async function verifyAuditCommand(
  orm: MikroORM,
  args: readonly string[],
  output: CommandOutput,
): Promise<number> {
  const independent = args.includes('--independent');
  const rest = args.filter((a) => a !== '--independent');
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
  const verifier = new AuditVerifier(orm.em, undefined, { hashInDatabase: !independent });
  let failures = 0;
  for (const chain of chains) {
    const started = performance.now();
    const result = await verifier.verify(chain.id);
    output.out(formatVerification(chain.label, result, (performance.now() - started) / 1000));
    const unaudited = await findUnauditedWritebacks(orm.em.fork(), chain.id);
    for (const line of formatUnaudited(chain.label, unaudited)) output.out(line);
    if (!result.ok || unaudited.count > 0) failures++;
  }
  return failures === 0 ? 0 : 1;
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
