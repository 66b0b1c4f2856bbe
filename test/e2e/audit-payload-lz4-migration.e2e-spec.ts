import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import { AuditService } from '../../src/audit/audit.service';
import { AuditVerifier } from '../../src/audit/verify/audit.verifier';
import { openMigratedOrm } from '../support/test-database';

/** The last PostgreSQL migration before audit payloads are compressed with lz4. */
const BEFORE = 'Migration20261207120000_one_running_simulation';

/** A payload well over PostgreSQL's 2 kB compression threshold, like a decision's, and compressible. */
function largePayload(n: number) {
  return {
    outcome: 'approved',
    n,
    reasons: Array.from({ length: 40 }, (_, i) => ({
      code: `WITHIN_LIMITS_${i}`,
      text: { nb: 'Innenfor grensene for betalingsutsettelse', en: 'Within the limits' },
    })),
  };
}

/**
 * The audit payload column switches from pglz to lz4 on PostgreSQL (SQLite stores text as it is
 * and has no migration for it). An entry written before keeps its pglz bytes, one written after is
 * lz4, and the chain across both still verifies, with the hashes recomputed in the database.
 */
describe('The audit payload lz4 migration (e2e)', () => {
  let orm: MikroORM;
  let close: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    if (!process.env.TEST_DATABASE_URL) return;
    ({ orm, close } = await openMigratedOrm({ to: BEFORE }));
  });
  afterAll(() => close?.());

  (process.env.TEST_DATABASE_URL ? it : it.skip)(
    'keeps the entries written before as they are and compresses new ones with lz4',
    async () => {
      const municipalityId = randomUUID();
      const audit = new AuditService();
      const append = (n: number) =>
        orm.em.fork().transactional((em) =>
          audit.append(em, {
            municipalityId,
            type: 'deferral.decided',
            subjectId: `req-${n}`,
            payload: largePayload(n),
          }),
        );
      const connection = orm.em.getConnection();
      type Stored = { seq: string; method: string | null; text: string };
      const compression = (): Promise<Stored[]> =>
        connection.execute(
          `select seq, pg_column_compression(payload) as method, payload::text as text
             from audit_entries where municipality_id = ? order by seq`,
          [municipalityId],
        );

      await append(1);
      await orm.migrator.up();
      await append(2);

      const rows = await compression();
      expect(rows.map((r) => [Number(r.seq), r.method])).toEqual([
        [1, 'pglz'],
        [2, 'lz4'],
      ]);
      expect(rows.map((r) => JSON.parse(r.text))).toEqual([largePayload(1), largePayload(2)]);
      const [column]: { compression: string }[] = await connection.execute(
        `select attcompression as compression from pg_attribute
           where attrelid = 'audit_entries'::regclass and attname = 'payload'`,
      );
      expect(column.compression).toBe('l');
      const verified = await new AuditVerifier(orm.em).verify(municipalityId);
      expect(verified).toMatchObject({ ok: true, entries: 2 });
      expect(await orm.migrator.getPending()).toHaveLength(0);
    },
  );
});
