import { generateKeyPairSync } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import { AuditService } from '../../src/audit/audit.service';
import { appendDecisions, openAuditOrm } from '../../src/audit/audit.test-factory';
import { AuditCheckpoints } from '../../src/audit/checkpoints/audit-checkpoints';
import { fromPrivateKey } from '../../src/audit/checkpoints/signing-key';
import { auditExportCsvRows, auditExportLines } from '../../src/audit/export/audit-export';
import { verifyExport } from '../../src/audit/export/export-verifier';
import { addDays, todayInNorway } from '../../src/shared/calendar-date';
import type { Municipality } from '../../src/tenancy/municipality.entity';
import { rewriteChainAsAttacker, tamperAsAttacker } from '../support/audit-tamper';
import { createMunicipality } from '../support/factories';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

// Integration tier: an export read from a real database, checked by the offline verifier with
// nothing but the lines and the public key.
let db: TestDatabase;
let orm: MikroORM;
const audit = new AuditService();
const pair = generateKeyPairSync('ed25519');
const key = fromPrivateKey(pair.privateKey, 'portal-2026', 'configured');
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

async function exported(municipality: Municipality, from = todayInNorway(), to = from) {
  const lines: string[] = [];
  for await (const line of auditExportLines(orm.em.fork(), { municipality, from, to }))
    lines.push(line);
  return lines;
}

async function* each(lines: readonly string[]) {
  yield* lines;
}
const verify = (lines: readonly string[]) => verifyExport(each(lines), [pair.publicKey]);

describe(auditExportLines.name, () => {
  it('exports the period up to the checkpoint that covers it, and the verifier accepts it offline', async () => {
    const municipality = await createMunicipality(orm.em.fork());
    await appendDecisions(orm, audit, municipality.id, 4);
    const made = await checkpoints.checkpointNow(municipality.id);
    if (made.kind !== 'created') throw new Error('no checkpoint');
    const lines = await exported(municipality);
    const kinds = lines.map((l) => (JSON.parse(l) as { kind: string }).kind);
    expect(kinds).toEqual(['header', 'entry', 'entry', 'entry', 'entry', 'checkpoint', 'footer']);
    expect(await verify(lines)).toEqual({
      ok: true,
      municipality: municipality.slug,
      entries: 4,
      checkpointsVerified: 1,
      signedUpTo: made.checkpoint.seq,
    });

    // The same entries as CSV for a spreadsheet: a header, a row each, the payload in one cell.
    const rows: string[] = [];
    for await (const row of auditExportCsvRows(orm.em.fork(), {
      municipality,
      from: todayInNorway(),
      to: todayInNorway(),
    }))
      rows.push(row);
    expect(rows).toHaveLength(5);
    expect(rows[0]).toMatch(
      /^\ufeffseq;type;subject_id;created_at;payload_hash;prev_hash;hash;in_period;payload\r\n$/,
    );
    const firstEntry = JSON.parse(lines[1]) as { seq: number; hash: string };
    expect(rows[1]).toMatch(
      new RegExp(`^${firstEntry.seq};deferral\\.decided;.*;${firstEntry.hash};yes;"\\{`),
    );
  });

  it('names the entry an attacker changed, and the checkpoint a recomputed chain contradicts', async () => {
    const municipality = await createMunicipality(orm.em.fork());
    const appended = await appendDecisions(orm, audit, municipality.id, 4);
    await checkpoints.checkpointNow(municipality.id);

    await tamperAsAttacker(orm, async (sql) => {
      await sql(`update audit_entries set payload = ? where id = ?`, [
        JSON.stringify({ outcome: 'approved', forged: true }),
        appended[1].id,
      ]);
    });
    expect((await verify(await exported(municipality))).problem).toMatch(
      new RegExp(`entry ${appended[1].seq}: its payload is not what was chained`),
    );

    await rewriteChainAsAttacker(orm, municipality.id, appended[1].seq, { outcome: 'approved' });
    expect((await verify(await exported(municipality))).problem).toMatch(
      new RegExp(`entry ${appended[3].seq} differs from the signed checkpoint`),
    );
  });

  it('names the entry an attacker deleted, and the first of two entries an attacker swapped', async () => {
    const deleted = await createMunicipality(orm.em.fork());
    await appendDecisions(orm, audit, deleted.id, 5);
    await tamperAsAttacker(orm, async (sql) => {
      await sql('delete from audit_entries where municipality_id = ? and seq = 3', [deleted.id]);
    });
    expect((await verify(await exported(deleted))).problem).toMatch(
      /entry 4 where entry 3 was due \(removed or reordered\)/,
    );

    const swapped = await createMunicipality(orm.em.fork());
    await appendDecisions(orm, audit, swapped.id, 5);
    await tamperAsAttacker(orm, async (sql) => {
      const where = 'where municipality_id = ? and seq = ?';
      await sql(`update audit_entries set seq = -1 ${where}`, [swapped.id, 3]);
      await sql(`update audit_entries set seq = 3 ${where}`, [swapped.id, 4]);
      await sql(`update audit_entries set seq = 4 ${where}`, [swapped.id, -1]);
    });
    expect((await verify(await exported(swapped))).problem).toMatch(
      /entry 3 does not link to the entry before it/,
    );
  });

  it('exports nothing but a header and a footer for a period without entries', async () => {
    const municipality = await createMunicipality(orm.em.fork());
    await appendDecisions(orm, audit, municipality.id, 2);
    const lines = await exported(
      municipality,
      addDays(todayInNorway(), -10),
      addDays(todayInNorway(), -5),
    );
    expect(lines.map((l) => (JSON.parse(l) as { kind: string }).kind)).toEqual([
      'header',
      'footer',
    ]);
    expect(await verify(lines)).toMatchObject({ ok: true, entries: 0, signedUpTo: null });
  });
});
