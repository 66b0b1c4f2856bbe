import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import type { Invoice } from '../../src/finance/invoice.model';
import { EmbeddedLedgerFinanceSystem } from '../../src/finance/ledger/embedded-ledger.finance-system';
import { summaryOf } from '../../src/finance/ledger/invoice-summary';
import { invoiceFactory, TEST_AGENCY } from '../support/invoice-factory';
import { openMigratedOrm } from '../support/test-database';

/** The last migration before ledger summaries: the shape the rows below were written in. */
const BEFORE = 'Migration20261206194000_ll_audit_natural_key';
const TODAY = '2026-11-23';
const PID = '01010112345';

/**
 * Invoices stored before the summaries column (as a previous release wrote them) get their
 * summary: the same text the portal writes now, which the invoice list then reads.
 */
describe('The ledger summaries migration (e2e)', () => {
  let orm: MikroORM;
  let close: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ orm, close } = await openMigratedOrm({ to: BEFORE }));
  });
  afterAll(() => close?.());

  it("fills each invoice's summary with the text the portal writes, and the list reads it as before", async () => {
    const municipalityId = randomUUID();
    const system = new EmbeddedLedgerFinanceSystem(orm, () => TODAY);
    const tenant = { id: municipalityId, slug: 'migrert', settings: {} };
    const collected = invoiceFactory({
      today: TODAY,
      issuedDay: -120,
      story: [{ type: 'COLLECTION', day: -20, agency: TEST_AGENCY }],
    }).invoice;
    // One stored before the collection agency was carried; titles with what JSON escapes.
    const { collectionAgency: _dropped, ...older } = invoiceFactory({
      today: TODAY,
      title: 'Vann "og" avløp \\ æøå \u2028 \t 😀',
    }).invoice;
    const documents = [collected, older as Invoice];
    for (const document of documents) {
      await orm.em.getConnection().execute(
        `insert into ledger_invoices (id, municipality_id, pid, invoice_number, status, invoice_date, due_date, document)
           values (?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          document.id,
          municipalityId,
          PID,
          document.invoiceNumber,
          document.status,
          document.invoiceDate,
          document.dueDate,
          JSON.stringify(document),
        ],
      );
    }
    // More invoices than the migration reads at once, another resident's.
    const many = Array.from({ length: 1_100 }, (_, i) => ({
      id: `bulk-${String(i).padStart(5, '0')}`,
      title: `Faktura ${i}`,
      lines: [{ n: i }],
      history: [],
    }));
    await orm.em.getConnection().execute(
      `insert into ledger_invoices (id, municipality_id, pid, invoice_number, status, invoice_date, due_date, document)
         values ${many.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
      many.flatMap((d) => [
        d.id,
        municipalityId,
        '02020212345',
        d.id,
        'UNPAID',
        '2026-11-01',
        '2026-12-01',
        JSON.stringify(d),
      ]),
    );
    // What the list showed of them before: each document without lines and history, no agency
    // read as none (by id here; the order is the list's own, unchanged).
    const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
    const before = documents
      .map((d) => summaryOf({ ...d, collectionAgency: d.collectionAgency ?? null }))
      .sort(byId);
    const listed = async () => (await system.listInvoices(tenant, PID)).sort(byId);

    await orm.migrator.up();

    const rows = await orm.em
      .getConnection()
      .execute<{ id: string; summary: string | null; document: string }[]>(
        'select id, summary, document from ledger_invoices where municipality_id = ? and pid = ? order by id',
        [municipalityId, PID],
      );
    expect(rows).toHaveLength(documents.length);
    for (const row of rows) {
      const document = documents.find((d) => d.id === row.id)!;
      expect(row.summary).toBe(JSON.stringify(summaryOf(document)));
      expect(JSON.parse(row.document)).toEqual(document);
    }
    expect(await listed()).toEqual(before);
    const bulk = await orm.em
      .getConnection()
      .execute<{ id: string; summary: string | null }[]>(
        `select id, summary from ledger_invoices where id like 'bulk-%' order by id`,
      );
    expect(bulk).toEqual(
      many.map(({ id, title }) => ({ id, summary: JSON.stringify({ id, title }) })),
    );
    // Read from the summaries, not the documents: a document changed alone does not show.
    await orm.em
      .getConnection()
      .execute(`update ledger_invoices set document = ? where id = ?`, [
        JSON.stringify({ ...collected, title: 'Only in the document' }),
        collected.id,
      ]);
    expect(await listed()).toEqual(before);
    expect(await orm.migrator.getPending()).toHaveLength(0);
  });

  (process.env.TEST_DATABASE_URL ? it : it.skip)(
    'stores the summaries as text compressed with lz4 on PostgreSQL',
    async () => {
      const rows = await orm.em
        .getConnection()
        .execute<{ type: string; compression: string; nullable: boolean }[]>(
          `select format_type(atttypid, atttypmod) as type, attcompression as compression, not attnotnull as nullable
             from pg_attribute where attrelid = 'ledger_invoices'::regclass and attname = 'summary'`,
        );
      expect(rows).toEqual([{ type: 'text', compression: 'l', nullable: true }]);
    },
  );
});
