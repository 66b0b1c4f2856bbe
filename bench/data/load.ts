/**
 * Loads the bench's data set into a freshly migrated database with COPY: two municipalities
 * (the main one on the embedded ledger at 127.0.0.1, and `elvdal`, whose finance system is the
 * finance-system server, for the write-back drain), the residents' invoices and payment events,
 * the policy version in force, and in the background (`history`) the past requests, their
 * write-back jobs and the audit chain. Deterministic: the same options give the same data.
 */
import type { Client } from 'pg';
import type { DemoLedgerEntry } from '../../dev/finance-server/demo-invoices';
import { POLICY_STATUS, alreadyDeferred } from '../../src/deferrals/deferral-facts';
import type { IsoDate } from '../../src/shared/calendar-date';
import { todayInNorway } from '../../src/shared/calendar-date';
import { canonicalJson } from '../../src/shared/canonical-json';
import { summaryOf } from '../../src/finance/ledger/invoice-summary';
import type { PolicyRegistry } from '../../src/policy/engine/policy-registry';
import { connect, CopyWriter } from '../lib/database';
import { loadHistory } from './history';
import { drainEntry, residentLedger, syntheticResidents, type BenchResident } from './ledger';
import { Random } from './random';

export interface LoadParams {
  url: string;
  residents: number;
  invoices: number;
  pastRequests: number;
  /** Entries the main chain should hold in all (0: only those of the past requests). */
  auditEntries: number;
  /** Residents of the drain municipality, one open invoice and one job each. */
  writebackJobs: number;
  /** The finance-system server the drain municipality's settings point at. */
  financeBaseUrl: string;
  registry: PolicyRegistry;
  log(line: string): void;
}

/** An invoice the deferral form is offered for today, with the dates it offers. */
export interface EligibleInvoice {
  invoiceId: string;
  dueDate: IsoDate;
  earliest: IsoDate;
  latest: IsoDate;
}

export interface Dataset {
  today: IsoDate;
  mainId: string;
  drainId: string;
  residents: BenchResident[];
  /** By pid. */
  eligible: Map<string, EligibleInvoice[]>;
  /** The finance-system server's books for the drain (empty unless asked for). */
  drainLedger: DemoLedgerEntry[];
  counts: Record<string, number>;
  seconds: Record<string, number>;
  auditPayloadBytes: number;
  /** Past requests, write-back jobs and the audit chain; resolves when they are in and analysed. */
  history: Promise<void>;
}

export const MAIN_SLUG = 'fjordvik';
export const DRAIN_SLUG = 'elvdal';

const seconds = (since: number) => Number(((performance.now() - since) / 1000).toFixed(1));

async function insertMunicipalities(client: Client, p: LoadParams, random: Random) {
  const mainId = random.uuid();
  const drainId = random.uuid();
  const insert = `insert into municipalities (id, slug, name, org_number, hostnames, contact_email, contact_phone, settings, created_at)
    values ($1, $2, $3, $4, $5, $6, $7, $8, now())`;
  await client.query(insert, [
    mainId,
    MAIN_SLUG,
    'Fjordvik kommune',
    '999000011',
    JSON.stringify(['127.0.0.1', 'localhost']),
    'postmottak@fjordvik.kommune.example',
    '+47 55 00 00 00',
    JSON.stringify({ financeAdapter: 'embedded' }),
  ]);
  await client.query(insert, [
    drainId,
    DRAIN_SLUG,
    'Elvdal kommune',
    '999000033',
    JSON.stringify(['elvdal.bench.invalid']),
    'postmottak@elvdal.kommune.example',
    '+47 62 00 00 00',
    JSON.stringify({ financeAdapter: 'http', financeBaseUrl: p.financeBaseUrl }),
  ]);
  return { mainId, drainId };
}

/**
 * The policy version in force, as the portal's seeding at start leaves it (the row and its
 * activation), so the portal does not seed while the history's audit chain is being loaded beside
 * it: a seeding appends to that chain, whose head the loader writes only at the end.
 */
async function insertPolicyVersion(
  client: Client,
  registry: PolicyRegistry,
  municipalityId: string,
  id: string,
) {
  const compiled = registry.active();
  await client.query(
    "insert into policy_versions (id, municipality_id, policy_id, version, hash, text, source, created_at) values ($1, $2, $3, $4, $5, $6, 'default.policy.json', now())",
    [
      id,
      municipalityId,
      compiled.policy.id,
      compiled.policy.version,
      compiled.hash,
      canonicalJson(compiled.policy),
    ],
  );
  await client.query(
    "insert into policy_activations (municipality_id, version_id, activated_by, activated_at) values ($1, $2, 'seed:default.policy.json', now())",
    [municipalityId, id],
  );
}

export async function loadDataset(
  p: LoadParams,
  options: { history: boolean; drain: boolean },
): Promise<Dataset> {
  const random = new Random(2026);
  const today = todayInNorway();
  const clients = await Promise.all(Array.from({ length: 5 }, () => connect(p.url)));
  const close = () => Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  try {
    const t = performance.now();
    const { mainId, drainId } = await insertMunicipalities(clients[0], p, random);
    const policyVersionId = random.uuid();
    await insertPolicyVersion(clients[0], p.registry, mainId, policyVersionId);

    const residents = syntheticResidents(random, p.residents);
    const invoices = new CopyWriter(clients.slice(0, 3), 'ledger_invoices', [
      'id',
      'municipality_id',
      'pid',
      'invoice_number',
      'status',
      'invoice_date',
      'due_date',
      'document',
      'summary',
    ]);
    const events = new CopyWriter(clients[3], 'ledger_payment_events', [
      'id',
      'municipality_id',
      'pid',
      'type',
      'date',
      'invoice_id',
      'invoice_number',
      'amount_ore',
      'days_late',
    ]);
    const eligible = new Map<string, EligibleInvoice[]>();
    const paidByResident: { pid: string; paid: DemoLedgerEntry['invoices'] }[] = [];
    const sequence = { next: 1 };
    const perResident = Math.floor(p.invoices / p.residents);
    let extra = p.invoices - perResident * p.residents;
    let eligibleCount = 0;
    for (let i = 0; i < residents.length; i++) {
      const count = perResident + (extra-- > 0 ? 1 : 0);
      const ledger = residentLedger(
        random,
        residents[i],
        MAIN_SLUG,
        today,
        count,
        sequence,
        String(100_000 + i),
      );
      const mine: EligibleInvoice[] = [];
      for (const invoice of ledger.invoices) {
        await invoices.add([
          invoice.id,
          mainId,
          ledger.pid,
          invoice.invoiceNumber,
          invoice.status,
          invoice.invoiceDate,
          invoice.dueDate,
          invoice,
          // As the portal writes it: the list reads only this.
          summaryOf(invoice),
        ]);
        if (!ledger.openIds.includes(invoice.id)) continue;
        const window = p.registry.allowedWindow({
          today,
          dueDate: invoice.dueDate,
          invoiceStatus: POLICY_STATUS[invoice.status],
          inCollection: invoice.sentToExternal,
          alreadyDeferred: alreadyDeferred(invoice),
        });
        if (window.allowed)
          mine.push({
            invoiceId: invoice.id,
            dueDate: invoice.dueDate,
            earliest: window.earliestNewDueDate,
            latest: window.latestNewDueDate,
          });
      }
      for (const e of ledger.paymentEvents)
        await events.add([
          random.uuid(),
          mainId,
          ledger.pid,
          e.type,
          e.date,
          e.invoiceId,
          e.invoiceNumber,
          e.amountOre,
          e.daysLate,
        ]);
      eligible.set(ledger.pid, mine);
      eligibleCount += mine.length;
      paidByResident.push({
        pid: ledger.pid,
        paid: ledger.invoices.filter((inv) => ledger.paidIds.includes(inv.id)),
      });
    }
    const invoiceRows = await invoices.end();
    const eventRows = await events.end();
    const ledgerS = seconds(t);
    const t2 = performance.now();
    await settle(
      clients[0],
      'municipalities, policy_versions, ledger_invoices, ledger_payment_events',
    );
    const settleS = seconds(t2);

    const drainSequence = { next: 1 };
    const drainLedger = options.drain
      ? residents
          .slice(0, p.writebackJobs)
          .map((r, i) => drainEntry(r, DRAIN_SLUG, today, drainSequence, String(500_000 + i)))
      : [];

    const dataset: Dataset = {
      today,
      mainId,
      drainId,
      residents,
      eligible,
      drainLedger,
      counts: {
        residents: residents.length,
        invoices: invoiceRows,
        paymentEvents: eventRows,
        eligibleInvoices: eligibleCount,
      },
      seconds: { ledger: ledgerS, vacuum: settleS },
      auditPayloadBytes: 0,
      history: Promise.resolve(),
    };
    const history = async () => {
      if (!options.history) return;
      const t3 = performance.now();
      const counts = await loadHistory({
        clients,
        municipalityId: mainId,
        slug: MAIN_SLUG,
        policyVersionId,
        registry: p.registry,
        today,
        residents: paidByResident,
        pastRequests: p.pastRequests,
        auditEntries: p.auditEntries,
        random: new Random(7),
      });
      dataset.seconds.history = seconds(t3);
      const t4 = performance.now();
      await settle(
        clients[0],
        'deferral_requests, writeback_jobs, audit_entries, audit_chain_heads',
      );
      dataset.seconds.vacuum += seconds(t4);
      dataset.counts.pastRequests = counts.pastRequests;
      dataset.counts.pastApprovals = counts.pastApprovals;
      dataset.counts.auditEntries = counts.auditEntries;
      dataset.auditPayloadBytes = counts.auditPayloadBytes;
      p.log(
        `history loaded: ${counts.pastRequests} past requests, ${counts.auditEntries} audit entries in ${dataset.seconds.history} s`,
      );
    };
    dataset.history = history().finally(close);
    // Awaited by the caller; until then an early failure must not go unhandled.
    dataset.history.catch(() => undefined);
    return dataset;
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * Puts freshly copied tables in the state that years of the same rows would be in: vacuumed
 * (since PostgreSQL 13 autovacuum also visits insert-only tables), frozen, analyzed, and written
 * out. Without it the first scenario to read a table pays for setting every row's hint bits and
 * writing back every page, which a real installation paid for long ago, spread over its years.
 */
async function settle(client: Client, tables: string): Promise<void> {
  await client.query(`vacuum (freeze, analyze) ${tables}`);
  // Needs superuser or pg_checkpoint; without it the checkpointer flushes the pages in its time.
  await client.query('checkpoint').catch(() => undefined);
}
