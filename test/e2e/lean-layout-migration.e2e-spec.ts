import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { DeferralRequest } from '../../src/deferrals/deferral-request.entity';
import { dateParam } from '../../src/database';
import { LedgerInvoice } from '../../src/finance/ledger/ledger-invoice.entity';
import { openMigratedOrm } from '../support/test-database';

/** The last migration before the lean layout: the shape the rows below were written in. */
const BEFORE = 'Migration20261206180000_ho_writeback_handover';

/**
 * The lean layout's migrations keep the data there is: rows written in the previous shape (jsonb
 * documents on PostgreSQL, no `decided_on`, audit entries keyed by a uuid) read back the same.
 */
describe('The lean data layout migrations (e2e)', () => {
  let orm: MikroORM;
  let close: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ orm, close } = await openMigratedOrm({ to: BEFORE }));
  });
  afterAll(() => close?.());

  const facts = { today: '2026-03-02', amountOre: 125_000, invoiceType: 'VANN_AVLOP', nested: [1] };
  const trace = [{ name: 'approve-within-limits', fired: true, params: { days: 30, note: 'ø' } }];
  const reasons = [{ code: 'WITHIN_LIMITS', text: { nb: 'Innenfor grensene' } }];
  const notices = [{ code: 'AVTALEGIRO', text: { nb: 'Husk AvtaleGiro', en: 'Mind AvtaleGiro' } }];

  it("fills decided_on from the facts, keeps every decision's document, ledger invoice and audit entry as it was, and the audit log append-only", async () => {
    const id = randomUUID();
    const columns = [
      'id',
      'municipality_id',
      'reference',
      'pid',
      'invoice_id',
      'invoice_number',
      'invoice_title',
      'amount_ore',
      'original_due_date',
      'requested_due_date',
      'outcome',
      'new_due_date',
      'reasons',
      'notices',
      'facts',
      'trace',
      'policy_version_id',
      'language',
      'created_at',
    ];
    const values = [
      id,
      randomUUID(),
      'UTS-MIGR-TEST',
      '01010112345',
      'inv-migrated',
      'F-1',
      'Vann og avløp',
      125_000,
      '2026-03-10',
      '2026-04-10',
      'approved',
      '2026-04-10',
      JSON.stringify(reasons),
      JSON.stringify(notices),
      JSON.stringify(facts),
      JSON.stringify(trace),
      randomUUID(),
      'nb',
      dateParam(orm, new Date('2026-03-02T09:00:00Z')),
    ];
    await orm.em
      .getConnection()
      .execute(
        `insert into deferral_requests (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`,
        values,
      );

    const document = {
      id: 'inv-migrated',
      invoiceNumber: 'F-1',
      lines: [{ text: 'Vann', amountOre: 125_000 }],
      history: [{ type: 'ISSUED', date: '2026-02-01' }],
    };
    await orm.em.getConnection().execute(
      `insert into ledger_invoices (id, municipality_id, pid, invoice_number, status, invoice_date, due_date, document)
         values (?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        document.id,
        randomUUID(),
        '01010112345',
        'F-1',
        'UNPAID',
        '2026-02-01',
        '2026-03-10',
        JSON.stringify(document),
      ],
    );

    const chain = randomUUID();
    await orm.em.getConnection().execute(
      `insert into audit_entries (id, municipality_id, seq, type, subject_id, payload, payload_hash, prev_hash, hash, created_at)
         values (?, ?, 1, 'deferral.decided', ?, '{"outcome":"approved"}', ?, ?, ?, ?)`,
      [
        randomUUID(),
        chain,
        id,
        'a'.repeat(64),
        '0'.repeat(64),
        'b'.repeat(64),
        dateParam(orm, new Date('2026-03-02T09:00:00Z')),
      ],
    );

    await orm.migrator.up();

    const entry = await orm.em.fork().findOneOrFail(AuditEntry, [chain, 1]);
    expect(entry).toMatchObject({
      subjectId: id,
      hash: 'b'.repeat(64),
      payload: { outcome: 'approved' },
    });
    // Still append-only in the database itself, the SQLite table rebuilt with its triggers.
    await expect(
      orm.em
        .getConnection()
        .execute(`update audit_entries set hash = ? where municipality_id = ?`, [
          'c'.repeat(64),
          chain,
        ]),
    ).rejects.toThrow(/append-only/);
    const invoice = await orm.em.fork().findOneOrFail(LedgerInvoice, { id: document.id });
    expect(invoice.document).toEqual(document);
    const request = await orm.em.fork().findOneOrFail(DeferralRequest, { id });
    expect(request.decidedOn).toBe('2026-03-02');
    expect(request.facts).toEqual(facts);
    expect(request.trace).toEqual(trace);
    expect(request.reasons).toEqual(reasons);
    expect(request.notices).toEqual(notices);
    expect(await orm.migrator.getPending()).toHaveLength(0);
  });

  (process.env.TEST_DATABASE_URL ? it : it.skip)(
    'stores the documents as text compressed with lz4 on PostgreSQL',
    async () => {
      const rows = await orm.em
        .getConnection()
        .execute<{ attname: string; type: string; compression: string }[]>(
          `select attname, format_type(atttypid, atttypmod) as type, attcompression as compression
           from pg_attribute where attrelid = 'deferral_requests'::regclass
            and attname in ('reasons', 'notices', 'facts', 'trace')
         union all
         select attname, format_type(atttypid, atttypmod), attcompression
           from pg_attribute where attrelid = 'ledger_invoices'::regclass and attname = 'document'
         order by attname`,
        );
      expect(rows).toEqual(
        ['document', 'facts', 'notices', 'reasons', 'trace'].map((attname) => ({
          attname,
          type: 'text',
          compression: 'l',
        })),
      );
    },
  );
});
