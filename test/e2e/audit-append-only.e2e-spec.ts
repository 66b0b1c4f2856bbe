import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/core';
import { AuditService } from '../../src/audit';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { createMunicipality } from '../support/factories';
import { tamperAsAttacker } from '../support/audit-tamper';
import { startTestApp, type TestApp } from '../support/test-app';

// The database itself refuses to rewrite the audit log: the portal's own connection (the one every
// request uses) cannot UPDATE, DELETE or TRUNCATE an entry or a checkpoint, whatever the ORM does.
let t: TestApp;
let orm: MikroORM;
let municipalityId: string;
const onPostgres = process.env.TEST_DATABASE_URL ? it : it.skip;

beforeAll(async () => {
  t = await startTestApp();
  orm = t.app.get(MikroORM);
  municipalityId = (await createMunicipality(t.em())).id;
  const audit = t.app.get(AuditService);
  for (let i = 1; i <= 3; i++)
    await orm.em.fork().transactional((em) =>
      audit.append(em, {
        municipalityId,
        type: 'deferral.decided',
        subjectId: `req-${i}`,
        payload: { outcome: 'approved', i },
      }),
    );
  await orm.em.getConnection().execute(
    `insert into audit_checkpoints (id, municipality_id, seq, hash, created_at, key_id, signature, statement)
     select ?, municipality_id, seq, hash, created_at, 'k', 's', '{}' from audit_entries where municipality_id = ? and seq = 3`,
    [randomUUID(), municipalityId],
  );
});

afterAll(async () => {
  await t?.close();
});

const sql = (query: string, params: unknown[] = []) =>
  orm.em.getConnection().execute(query, params, 'run');
const rows = async (table: string) => {
  const [{ n }] = await orm.em
    .getConnection()
    .execute<{ n: number | string }[]>(
      `select count(*) as n from ${table} where municipality_id = ?`,
      [municipalityId],
    );
  return Number(n);
};
const stored = (): Promise<{ seq: number | string; payload: string }[]> =>
  orm.em
    .getConnection()
    .execute<{ seq: number | string; payload: string }[]>(
      `select seq, payload${t.db.kind === 'postgresql' ? '::text' : ''} as payload from audit_entries where municipality_id = ? order by seq`,
      [municipalityId],
    );

describe('audit_entries', () => {
  it('refuses an UPDATE of an entry through the portal connection and keeps the row', async () => {
    const before = await stored();
    await expect(
      sql('update audit_entries set payload = ? where municipality_id = ? and seq = 2', [
        '{"outcome":"rejected"}',
        municipalityId,
      ]),
    ).rejects.toThrow(/append-only/);
    expect(await stored()).toEqual(before);
  });

  it('refuses an UPDATE through the ORM around its unit of work (nativeUpdate)', async () => {
    await expect(
      orm.em.fork().nativeUpdate(AuditEntry, { municipalityId, seq: 1 }, { subjectId: 'forged' }),
    ).rejects.toThrow(/append-only/);
    expect((await stored()).map((row) => Number(row.seq))).toEqual([1, 2, 3]);
  });

  it('refuses a DELETE of one entry and of every entry', async () => {
    await expect(
      sql('delete from audit_entries where municipality_id = ? and seq = 3', [municipalityId]),
    ).rejects.toThrow(/append-only/);
    await expect(sql('delete from audit_entries')).rejects.toThrow(/append-only/);
    expect(await rows('audit_entries')).toBe(3);
  });

  onPostgres('refuses a TRUNCATE', async () => {
    await expect(sql('truncate audit_entries')).rejects.toThrow(/append-only/);
    expect(await rows('audit_entries')).toBe(3);
  });

  it('still takes new entries (INSERT is the one change allowed)', async () => {
    await orm.em.fork().transactional((em) =>
      t.app.get(AuditService).append(em, {
        municipalityId: randomUUID(),
        type: 'deferral.decided',
        subjectId: 'req-new',
        payload: {},
      }),
    );
  });
});

describe('audit_checkpoints', () => {
  it('refuses an UPDATE and a DELETE of a checkpoint', async () => {
    await expect(
      sql('update audit_checkpoints set hash = ? where municipality_id = ?', [
        'f'.repeat(64),
        municipalityId,
      ]),
    ).rejects.toThrow(/append-only/);
    await expect(
      sql('delete from audit_checkpoints where municipality_id = ?', [municipalityId]),
    ).rejects.toThrow(/append-only/);
    expect(await rows('audit_checkpoints')).toBe(1);
  });

  onPostgres('refuses a TRUNCATE', async () => {
    await expect(sql('truncate audit_checkpoints')).rejects.toThrow(/append-only/);
  });
});

describe(tamperAsAttacker.name, () => {
  it('lets an attacker with full database access rewrite a row, and the triggers hold again after', async () => {
    await tamperAsAttacker(orm, async (attacker) => {
      await attacker(
        'update audit_entries set subject_id = ? where municipality_id = ? and seq = 1',
        ['rewritten', municipalityId],
      );
    });
    const [first] = await orm.em
      .getConnection()
      .execute<{ subjectId: string }[]>(
        'select subject_id as "subjectId" from audit_entries where municipality_id = ? and seq = 1',
        [municipalityId],
      );
    expect(first.subjectId).toBe('rewritten');
    await expect(
      sql('update audit_entries set subject_id = ? where municipality_id = ? and seq = 1', [
        'again',
        municipalityId,
      ]),
    ).rejects.toThrow(/append-only/);
  });
});
