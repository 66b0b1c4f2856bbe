import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import { AuditChainHead } from '../../src/audit/audit-chain-head.entity';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { canonicalJson } from '../../src/shared/canonical-json';
import { AuditService } from '../../src/audit/audit.service';
import { AuditVerifier } from '../../src/audit/verify/audit.verifier';
import { AuditLogImmutableError, InvalidAuditEntryError } from '../../src/audit/audit.errors';
import { appendDecisions, openAuditOrm } from '../../src/audit/audit.test-factory';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

// Integration tier: the audit log on a real database (SQLite, or PostgreSQL with TEST_DATABASE_URL).
let db: TestDatabase;
let orm: MikroORM;
const audit = new AuditService();
let verifier: AuditVerifier;

beforeAll(async () => {
  db = await createTestDatabase();
  orm = await openAuditOrm(db);
  verifier = new AuditVerifier(orm.em);
});

afterAll(async () => {
  await orm?.close(true);
  await db?.drop();
});

async function entries(municipalityId: string) {
  return orm.em.fork().find(AuditEntry, { municipalityId }, { orderBy: { seq: 'asc' } });
}

describe(AuditService.name, () => {
  describe('append', () => {
    it('keeps one independent chain per municipality when two municipalities append', async () => {
      const [a, b] = [randomUUID(), randomUUID()];
      await appendDecisions(orm, audit, a, 4);
      await appendDecisions(orm, audit, b, 3, 'writeback.succeeded');
      await appendDecisions(orm, audit, a, 2);

      const [chainA, chainB] = [await entries(a), await entries(b)];
      expect(chainA.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(chainB.map((e) => e.seq)).toEqual([1, 2, 3]);
      expect(chainA[0].prevHash).toBe('0'.repeat(64));
      expect(chainB[0].prevHash).toBe('0'.repeat(64));
      chainA.slice(1).forEach((entry, i) => expect(entry.prevHash).toBe(chainA[i].hash));
      expect(await verifier.verify(a)).toEqual({
        ok: true,
        municipalityId: a,
        entries: 6,
        lastHash: chainA[5].hash,
      });
      expect(await verifier.verify(b)).toEqual({
        ok: true,
        municipalityId: b,
        entries: 3,
        lastHash: chainB[2].hash,
      });
      const head = await orm.em.fork().findOneOrFail(AuditChainHead, { municipalityId: a });
      expect(head).toMatchObject({ seq: 6, hash: chainA[5].hash });
    });

    it('returns what it stored when it appends', async () => {
      const municipalityId = randomUUID();
      const appended = await orm.em.fork().transactional((em) =>
        audit.append(em, {
          municipalityId,
          type: 'policy.published',
          subjectId: 'policy-v7',
          payload: { version: 7, publishedAt: '2026-03-01T10:00:00.000Z' },
        }),
      );
      const [stored] = await entries(municipalityId);
      expect(stored).toMatchObject({
        ...appended,
        payload: { version: 7, publishedAt: '2026-03-01T10:00:00.000Z' },
      });
      expect(stored.createdAt.toISOString()).toBe(appended.createdAt.toISOString());
    });

    it('stores the payload as its canonical JSON text when given keys in any order', async () => {
      const municipalityId = randomUUID();
      const payload = { z: 1, a: { y: [2, 1], b: 'x' } };
      await orm.em
        .fork()
        .transactional((em) =>
          audit.append(em, { municipalityId, type: 'deferral.decided', subjectId: 's', payload }),
        );
      const sql =
        db.kind === 'postgresql'
          ? 'select payload::text as text from audit_entries where municipality_id = ?'
          : 'select payload as text from audit_entries where municipality_id = ?';
      const [row] = await orm.em.getConnection().execute<{ text: string }[]>(sql, [municipalityId]);
      expect(row.text).toBe(canonicalJson(payload));
    });

    it('numbers 1 to 20 without gaps when 20 transactions append at once', async () => {
      const municipalityId = randomUUID();
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          orm.em.fork().transactional(async (em) => {
            await audit.append(em, {
              municipalityId,
              type: 'deferral.decided',
              subjectId: `req-${i}`,
              payload: { i },
            });
            // Hold the head lock a moment, as a real decision transaction would.
            await new Promise((resolve) => setTimeout(resolve, 5));
          }),
        ),
      );
      const chain = await entries(municipalityId);
      expect(chain.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(new Set(chain.map((e) => e.subjectId)).size).toBe(20);
      expect(await verifier.verify(municipalityId)).toMatchObject({ ok: true, entries: 20 });
    });

    it('numbers consecutively when one transaction appends twice', async () => {
      const municipalityId = randomUUID();
      const [first, second] = await orm.em.fork().transactional(async (em) => [
        await audit.append(em, {
          municipalityId,
          type: 'deferral.decided',
          subjectId: 'r',
          payload: {},
        }),
        await audit.append(em, {
          municipalityId,
          type: 'writeback.failed',
          subjectId: 'r',
          payload: { attempt: 1 },
        }),
      ]);
      expect([first.seq, second.seq]).toEqual([1, 2]);
      expect(second.prevHash).toBe(first.hash);
      expect(await verifier.verify(municipalityId)).toMatchObject({ ok: true, entries: 2 });
    });

    it('leaves no entry and no gap when the transaction rolls back', async () => {
      const municipalityId = randomUUID();
      const roll = (subjectId: string) =>
        orm.em.fork().transactional(async (em) => {
          await audit.append(em, {
            municipalityId,
            type: 'deferral.decided',
            subjectId,
            payload: {},
          });
          throw new Error('decision failed after the audit append');
        });
      await expect(roll('first-ever')).rejects.toThrow('decision failed');
      expect(await orm.em.fork().count(AuditChainHead, { municipalityId })).toBe(0);
      await appendDecisions(orm, audit, municipalityId, 2);
      await expect(roll('later')).rejects.toThrow('decision failed');
      await appendDecisions(orm, audit, municipalityId, 1);

      const chain = await entries(municipalityId);
      expect(chain.map((e) => [e.seq, e.subjectId])).toEqual([
        [1, 'req-1'],
        [2, 'req-2'],
        [3, 'req-1'],
      ]);
      expect(await verifier.verify(municipalityId)).toMatchObject({ ok: true, entries: 3 });
    });

    it('throws when called outside a transaction', async () => {
      const append = audit.append(orm.em.fork(), {
        municipalityId: randomUUID(),
        type: 'deferral.decided',
        subjectId: 's',
        payload: {},
      });
      await expect(append).rejects.toThrow(/inside the transaction/);
    });

    it.each([
      ['a Date in the payload', { payload: { at: new Date() } }, /payload\.at is a Date/],
      ['an unknown type', { type: 'deferral.deleted' }, /unknown type/],
      ['a municipality id that is not a uuid', { municipalityId: 'fjordvik' }, /uuid/],
      ['a subject id with a line feed', { subjectId: 'a\nb' }, /subjectId/],
    ])('throws and writes nothing when given %s', async (_what, change, message) => {
      const municipalityId = randomUUID();
      const entry = {
        municipalityId,
        type: 'deferral.decided',
        subjectId: 's',
        payload: {},
        ...change,
      };
      const append = orm.em
        .fork()
        .transactional((em) => audit.append(em, entry as Parameters<AuditService['append']>[1]));
      await expect(append).rejects.toThrow(InvalidAuditEntryError);
      await expect(
        orm.em
          .fork()
          .transactional((em) => audit.append(em, entry as Parameters<AuditService['append']>[1])),
      ).rejects.toThrow(message);
      expect(await orm.em.fork().count(AuditEntry, { municipalityId })).toBe(0);
    });
  });
});

describe(AuditEntry.name, () => {
  describe('flush', () => {
    let municipalityId: string;

    beforeAll(async () => {
      municipalityId = randomUUID();
      await appendDecisions(orm, audit, municipalityId, 3);
    });

    afterEach(async () => {
      expect(await verifier.verify(municipalityId)).toMatchObject({ ok: true, entries: 3 });
    });

    it('throws when a loaded entry was changed', async () => {
      const em = orm.em.fork();
      const entry = await em.findOneOrFail(AuditEntry, { municipalityId, seq: 2 });
      (entry as { payload: unknown }).payload = { outcome: 'approved', forged: true };
      await expect(em.flush()).rejects.toThrow(AuditLogImmutableError);
    });

    it('throws when a loaded entry was removed', async () => {
      const em = orm.em.fork();
      em.remove(await em.findOneOrFail(AuditEntry, { municipalityId, seq: 3 }));
      await expect(em.flush()).rejects.toThrow(AuditLogImmutableError);
    });

    it('throws when a reference that was never loaded was removed', async () => {
      const em = orm.em.fork();
      const [first] = await orm.em.fork().find(AuditEntry, { municipalityId, seq: 1 });
      em.remove(em.getReference(AuditEntry, [first.municipalityId, first.seq]));
      await expect(em.flush()).rejects.toThrow(AuditLogImmutableError);
    });
  });
});
