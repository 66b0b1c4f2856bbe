import { generateKeyPairSync } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { AuditService } from '../../src/audit/audit.service';
import { appendDecisions, openAuditOrm } from '../../src/audit/audit.test-factory';
import { AuditCheckpoints } from '../../src/audit/checkpoints/audit-checkpoints';
import { fromPrivateKey } from '../../src/audit/checkpoints/signing-key';
import { auditExportCsvRows, auditExportLines } from '../../src/audit/export/audit-export';
import { verifyExport } from '../../src/audit/export/export-verifier';
import { addDays, todayInNorway } from '../../src/shared/calendar-date';
import { canonicalJson } from '../../src/shared/canonical-json';
import { csvCell } from '../../src/shared/csv';
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

async function exported(
  municipality: Municipality,
  from = todayInNorway(),
  to = from,
  pageSize?: number,
) {
  const lines: string[] = [];
  for await (const line of auditExportLines(
    orm.em.fork(),
    { municipality, from, to },
    { pageSize },
  ))
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

  it('writes each entry as the entity it was, field for field, in JSON Lines and in CSV', async () => {
    const municipality = await createMunicipality(orm.em.fork());
    await appendDecisions(orm, audit, municipality.id, 2);
    const stored = await orm.em
      .fork()
      .find(AuditEntry, { municipalityId: municipality.id }, { orderBy: { seq: 'asc' } });
    const lines = await exported(municipality);
    const csv: string[] = [];
    for await (const row of auditExportCsvRows(orm.em.fork(), {
      municipality,
      from: todayInNorway(),
      to: todayInNorway(),
    }))
      csv.push(row);
    stored.forEach((entry, i) => {
      const fields = {
        seq: entry.seq,
        type: entry.type,
        subjectId: entry.subjectId,
        createdAt: entry.createdAt.toISOString(),
        payloadHash: entry.payloadHash,
        prevHash: entry.prevHash,
        hash: entry.hash,
      };
      const { payloadHash, prevHash, hash, ...head } = fields;
      expect(lines[1 + i]).toBe(
        JSON.stringify({
          kind: 'entry',
          ...head,
          payload: entry.payload,
          payloadHash,
          prevHash,
          hash,
          inPeriod: true,
        }),
      );
      expect(csv[1 + i]).toBe(
        [...Object.values(fields), 'yes', canonicalJson(entry.payload)].map(csvCell).join(';') +
          '\r\n',
      );
    });
  });

  it('exports a chain longer than a page whole and in order', async () => {
    const municipality = await createMunicipality(orm.em.fork());
    const appended = await appendDecisions(orm, audit, municipality.id, 5);
    await checkpoints.checkpointNow(municipality.id);
    const lines = await exported(municipality, todayInNorway(), todayInNorway(), 2);
    const seqs = lines
      .map((l) => JSON.parse(l) as { kind: string; seq?: number })
      .filter((l) => l.kind === 'entry')
      .map((l) => l.seq);
    expect(seqs).toEqual(appended.map((a) => a.seq));
    expect(await verify(lines)).toMatchObject({ ok: true, entries: 5, checkpointsVerified: 1 });
  });

  it('keeps each entry on a line of its own when a hand-edited payload spans lines', async () => {
    const municipality = await createMunicipality(orm.em.fork());
    const appended = await appendDecisions(orm, audit, municipality.id, 3);
    await tamperAsAttacker(orm, async (sql) => {
      await sql(`update audit_entries set payload = ? where municipality_id = ? and seq = ?`, [
        '{"outcome":\n"approved"}',
        municipality.id,
        appended[1].seq,
      ]);
    });
    const lines = await exported(municipality);
    expect(lines.map((l) => (JSON.parse(l) as { kind: string }).kind)).toEqual([
      'header',
      'entry',
      'entry',
      'entry',
      'footer',
    ]);
    expect((await verify(lines)).problem).toMatch(
      new RegExp(`entry ${appended[1].seq}: its payload is not what was chained`),
    );
  });

  it('names the entry an attacker changed, and the checkpoint a recomputed chain contradicts', async () => {
    const municipality = await createMunicipality(orm.em.fork());
    const appended = await appendDecisions(orm, audit, municipality.id, 4);
    await checkpoints.checkpointNow(municipality.id);

    await tamperAsAttacker(orm, async (sql) => {
      await sql(`update audit_entries set payload = ? where municipality_id = ? and seq = ?`, [
        JSON.stringify({ outcome: 'approved', forged: true }),
        municipality.id,
        appended[1].seq,
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
