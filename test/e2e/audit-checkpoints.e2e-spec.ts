import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MikroORM } from '@mikro-orm/core';
import { AuditService } from '../../src/audit/audit.service';
import { appendDecisions, openAuditOrm } from '../../src/audit/audit.test-factory';
import { AuditCheckpoints } from '../../src/audit/checkpoints/audit-checkpoints';
import { parseStatement, signedBy } from '../../src/audit/checkpoints/checkpoint-statement';
import {
  fromPrivateKey,
  readPublicKeys,
  type SigningKey,
} from '../../src/audit/checkpoints/signing-key';
import { AuditVerifier, type VerifyOptions } from '../../src/audit/verify/audit.verifier';
import { verifyAuditCommand } from '../../src/audit/verify/verify-audit.command';
import { rewriteChainAsAttacker, tamperAsAttacker } from '../support/audit-tamper';
import { createMunicipality } from '../support/factories';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

// Integration tier: signed checkpoints on a real database, and what they catch that the hash
// chain alone cannot: a chain rewritten consistently by someone with full database access.
let db: TestDatabase;
let orm: MikroORM;
const audit = new AuditService();
const newKey = (keyId: string): SigningKey =>
  fromPrivateKey(generateKeyPairSync('ed25519').privateKey, keyId, 'configured');
const key = newKey('portal-2026');
let checkpoints: AuditCheckpoints;

beforeAll(async () => {
  db = await createTestDatabase();
  orm = await openAuditOrm(db);
  checkpoints = new AuditCheckpoints(orm.em, key);
});

afterAll(async () => {
  await orm?.close(true);
  await db?.drop();
});

const FORGED_PAYLOAD = { outcome: 'rejected', invoice: { number: 'F-2', amountOre: 1 } };

/** A chain of `count` decisions with a checkpoint after each count in `at`. */
async function chainWithCheckpoints(count: number, at: number[]) {
  const id = randomUUID();
  const made = [];
  let appended = 0;
  for (const upTo of new Set([...at, count])) {
    await appendDecisions(orm, audit, id, upTo - appended);
    appended = upTo;
    if (at.includes(upTo)) {
      const outcome = await checkpoints.checkpointNow(id);
      if (outcome.kind !== 'created') throw new Error(`no checkpoint at ${upTo}`);
      made.push(outcome.checkpoint);
    }
  }
  return { id, made };
}

describe(AuditCheckpoints.name, () => {
  describe('checkpointNow', () => {
    it('makes none for a chain without entries', async () => {
      expect(await checkpoints.checkpointNow(randomUUID())).toEqual({ kind: 'empty' });
    });

    it('signs the head, a statement the public key verifies, and stores it', async () => {
      const municipality = await createMunicipality(orm.em.fork());
      const appended = await appendDecisions(orm, audit, municipality.id, 3);
      const outcome = await checkpoints.checkpointNow(municipality.id);
      expect(outcome.kind).toBe('created');
      if (outcome.kind !== 'created') return;
      const { checkpoint } = outcome;
      expect(checkpoint).toMatchObject({ seq: 3, hash: appended[2].hash, keyId: 'portal-2026' });
      expect(parseStatement(checkpoint.statement)).toEqual({
        kind: 'minside-faktura/audit-checkpoint',
        v: 1,
        municipalityId: municipality.id,
        municipality: municipality.slug,
        seq: 3,
        hash: appended[2].hash,
        time: checkpoint.createdAt.toISOString(),
        keyId: 'portal-2026',
      });
      const published = readPublicKeys(checkpoints.publicKey().pem);
      expect(signedBy(checkpoint.statement, checkpoint.signature, published)).toBeDefined();
      expect(await checkpoints.latest(municipality.id)).toEqual(checkpoint);
    });

    it('gives back the same checkpoint while the head has not moved, and a new one after', async () => {
      const id = randomUUID();
      await appendDecisions(orm, audit, id, 2);
      const first = await checkpoints.checkpointNow(id);
      const again = await checkpoints.checkpointNow(id);
      expect(again).toEqual({
        kind: 'unchanged',
        checkpoint: (first as { checkpoint: unknown }).checkpoint,
      });
      await appendDecisions(orm, audit, id, 1);
      expect(await checkpoints.checkpointNow(id)).toMatchObject({
        kind: 'created',
        checkpoint: { seq: 3 },
      });
      expect((await checkpoints.list(id, 10)).map((c) => c.seq)).toEqual([3, 2]);
    });

    it('stores one checkpoint when five instances sign the same head at once', async () => {
      const id = randomUUID();
      await appendDecisions(orm, audit, id, 4);
      const instances = Array.from({ length: 5 }, () => new AuditCheckpoints(orm.em, key));
      const outcomes = await Promise.all(instances.map((i) => i.checkpointNow(id)));
      const stored = await checkpoints.list(id, 10);
      expect(stored).toHaveLength(1);
      for (const outcome of outcomes)
        expect(outcome).toMatchObject({ checkpoint: { id: stored[0].id } });
      expect(outcomes.filter((o) => o.kind === 'created').length).toBeLessThanOrEqual(1);
    });

    it('tells its listeners of a new checkpoint inside the transaction that stores it', async () => {
      const id = randomUUID();
      await appendDecisions(orm, audit, id, 1);
      const instance = new AuditCheckpoints(orm.em, key);
      const told: number[] = [];
      instance.onCheckpoint(async (em, checkpoint) => {
        expect(em.isInTransaction()).toBe(true);
        told.push(checkpoint.seq);
      });
      await instance.checkpointNow(id);
      await instance.checkpointNow(id);
      expect(told).toEqual([1]);
    });
  });

  describe('checkpointMovedHeads', () => {
    it('signs only the chains whose head moved since their last checkpoint', async () => {
      const [still, moved] = [randomUUID(), randomUUID()];
      await appendDecisions(orm, audit, still, 2);
      await appendDecisions(orm, audit, moved, 2);
      await checkpoints.checkpointMovedHeads();
      await appendDecisions(orm, audit, moved, 1);
      const made = await checkpoints.checkpointMovedHeads();
      expect(made.map((c) => [c.municipalityId, c.seq])).toEqual([[moved, 3]]);
    });
  });
});

const VARIANTS: [string, VerifyOptions][] = [
  ['in one part', {}],
  ['in three parts side by side', { parts: 3, minPartEntries: 1 }],
  ['hashing payloads in the verifier', { parts: 3, minPartEntries: 1, hashInDatabase: false }],
];

describe.each(VARIANTS)(`${AuditVerifier.name} with checkpoints (%s)`, (_name, options) => {
  const verifier = (publicKeys = [key.publicKey]) =>
    new AuditVerifier(orm.em, 2, { ...options, publicKeys });

  describe('verify', () => {
    it('reports ok with the checkpoints that agree', async () => {
      const { id } = await chainWithCheckpoints(6, [2, 5]);
      expect(await verifier().verify(id)).toMatchObject({ ok: true, entries: 6, checkpoints: 2 });
    });

    it('refuses a chain an attacker recomputed throughout, naming the checkpoint it contradicts', async () => {
      const { id, made } = await chainWithCheckpoints(7, [1, 4, 6]);
      await rewriteChainAsAttacker(orm, id, 2, FORGED_PAYLOAD);
      // The chain holds together: without its checkpoints nothing would be found.
      const withoutCheckpoints = await tamperCheckpointsAway(id, () => verifier().verify(id));
      expect(withoutCheckpoints).toMatchObject({ ok: true, entries: 7 });
      expect(await verifier().verify(id)).toMatchObject({
        ok: false,
        problem: 'checkpoint-mismatch',
        firstBadSeq: 4,
        expected: made[1].hash,
        entriesChecked: 1,
        checkpoint: {
          id: made[1].id,
          seq: 4,
          keyId: 'portal-2026',
          time: made[1].createdAt.toISOString(),
        },
      });
    });

    it('refuses a checkpoint signed by another key, naming it', async () => {
      const { id } = await chainWithCheckpoints(3, [2]);
      const forger = new AuditCheckpoints(orm.em, newKey('portal-2026'));
      await appendDecisions(orm, audit, id, 1);
      const forged = await forger.checkpointNow(id);
      expect(await verifier().verify(id)).toMatchObject({
        ok: false,
        problem: 'checkpoint-signature',
        firstBadSeq: 4,
        entriesChecked: 2,
        checkpoint: { id: (forged as { checkpoint: { id: string } }).checkpoint.id, seq: 4 },
      });
    });

    it('refuses a rewritten chain whose real checkpoints were replaced by forged ones', async () => {
      const { id } = await chainWithCheckpoints(5, [3]);
      await rewriteChainAsAttacker(orm, id, 2, FORGED_PAYLOAD);
      await tamperAsAttacker(orm, async (sql) => {
        await sql('delete from audit_checkpoints where municipality_id = ?', [id]);
      });
      const forger = new AuditCheckpoints(orm.em, newKey('portal-2026'));
      expect((await forger.checkpointNow(id)).kind).toBe('created');
      expect(await verifier().verify(id)).toMatchObject({
        ok: false,
        problem: 'checkpoint-signature',
        firstBadSeq: 5,
        entriesChecked: 0,
        expected: 'a signature by a trusted key',
        actual: 'key portal-2026',
      });
    });

    it('refuses a checkpoint whose stored columns were changed after it was signed', async () => {
      const { id, made } = await chainWithCheckpoints(3, [3]);
      await tamperAsAttacker(orm, async (sql) => {
        await sql('update audit_checkpoints set seq = 2 where id = ?', [made[0].id]);
      });
      expect(await verifier().verify(id)).toMatchObject({
        ok: false,
        problem: 'checkpoint-mismatch',
        firstBadSeq: 2,
        checkpoint: { id: made[0].id },
      });
    });

    it('refuses a chain cut back below a checkpoint, with its head moved to match', async () => {
      const { id, made } = await chainWithCheckpoints(5, [5]);
      await tamperAsAttacker(orm, async (sql) => {
        await sql('delete from audit_entries where municipality_id = ? and seq > 3', [id]);
        await sql(
          'update audit_chain_heads set seq = 3, hash = (select hash from audit_entries where municipality_id = ? and seq = 3) where municipality_id = ?',
          [id, id],
        );
      });
      expect(await verifier().verify(id)).toMatchObject({
        ok: false,
        problem: 'checkpoint-mismatch',
        firstBadSeq: 5,
        expected: made[0].hash,
        actual: 'no entry',
      });
    });

    it('still trusts checkpoints of an earlier key after a key change, when given that key', async () => {
      const { id } = await chainWithCheckpoints(3, [2]);
      const successor = new AuditCheckpoints(orm.em, newKey('portal-2027'), {
        previousKeys: [key.publicKey],
      });
      await appendDecisions(orm, audit, id, 1);
      await successor.checkpointNow(id);
      expect(await verifier(successor.trustedKeys()).verify(id)).toMatchObject({
        ok: true,
        checkpoints: 2,
      });
      expect(await verifier([key.publicKey]).verify(id)).toMatchObject({
        ok: false,
        problem: 'checkpoint-signature',
        firstBadSeq: 4,
      });
    });

    it('refuses checkpoints when it was given no key to trust them by', async () => {
      const { id } = await chainWithCheckpoints(2, [2]);
      expect(await verifier([]).verify(id)).toMatchObject({
        ok: false,
        problem: 'checkpoint-signature',
        actual: 'none given',
      });
    });
  });
});

/** Runs `check` with the chain's checkpoints gone, then puts them back, all as the attacker. */
async function tamperCheckpointsAway<T>(
  municipalityId: string,
  check: () => Promise<T>,
): Promise<T> {
  const saved = await orm.em
    .getConnection()
    .execute<Record<string, unknown>[]>(
      'select * from audit_checkpoints where municipality_id = ?',
      [municipalityId],
    );
  await tamperAsAttacker(orm, async (sql) => {
    await sql('delete from audit_checkpoints where municipality_id = ?', [municipalityId]);
  });
  try {
    return await check();
  } finally {
    for (const row of saved) {
      const columns = Object.keys(row);
      await orm.em.getConnection().execute(
        `insert into audit_checkpoints (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`,
        columns.map((c) => row[c]),
      );
    }
  }
}

describe(verifyAuditCommand.name, () => {
  const keyFile = (text: string) => {
    const file = join(mkdtempSync(join(tmpdir(), 'mf-pub-')), 'public.pem');
    writeFileSync(file, text);
    return file;
  };

  async function run(args: string[], configured = [key.publicKey]) {
    const lines: string[] = [];
    const errors: string[] = [];
    const code = await verifyAuditCommand(
      orm,
      args,
      { out: (l) => lines.push(l), err: (l) => errors.push(l) },
      configured,
    );
    return { code, lines, errors };
  }

  it('prints how many checkpoints agree and exits 0 with the configured key', async () => {
    const municipality = await createMunicipality(orm.em.fork());
    await appendDecisions(orm, audit, municipality.id, 3);
    await checkpoints.checkpointNow(municipality.id);
    const { code, lines } = await run([municipality.slug]);
    expect(code).toBe(0);
    expect(lines).toEqual([
      expect.stringMatching(
        new RegExp(`^${municipality.slug}: ok, 3 entries, .*; 1 signed checkpoint agrees$`),
      ),
    ]);
  });

  it('exits 1 naming the contradicted checkpoint after the chain was recomputed', async () => {
    const municipality = await createMunicipality(orm.em.fork());
    await appendDecisions(orm, audit, municipality.id, 4);
    const made = await checkpoints.checkpointNow(municipality.id);
    await rewriteChainAsAttacker(orm, municipality.id, 3, FORGED_PAYLOAD);
    const pem = keyFile(checkpoints.publicKey().pem);
    const { code, lines } = await run([municipality.slug, '--public-key', pem], []);
    expect(code).toBe(1);
    expect(lines[0]).toContain(
      `${municipality.slug}: FAILED, checkpoint-mismatch at seq 4 (expected ${(made as { checkpoint: { hash: string } }).checkpoint.hash}`,
    );
    expect(lines[0]).toContain(
      `contradicts checkpoint ${(made as { checkpoint: { id: string } }).checkpoint.id}`,
    );
  });

  it('trusts only the keys given with --public-key when any are given', async () => {
    const municipality = await createMunicipality(orm.em.fork());
    await appendDecisions(orm, audit, municipality.id, 2);
    await checkpoints.checkpointNow(municipality.id);
    const other = keyFile(newKey('x').publicKey.export({ format: 'pem', type: 'spki' }).toString());
    const { code, lines } = await run([municipality.slug, '--public-key', other]);
    expect(code).toBe(1);
    expect(lines[0]).toContain('FAILED, checkpoint-signature at seq 2');
  });

  it('exits 2 naming the problem when a --public-key file is not a key', async () => {
    const { code, errors } = await run(['--all', '--public-key', keyFile('hello')]);
    expect(code).toBe(2);
    expect(errors).toEqual([
      expect.stringMatching(/--public-key .*public\.pem: no "BEGIN PUBLIC KEY" block$/),
    ]);
  });
});
