import { MikroORM } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { dateParam, jsonFieldSql, queryRows, rowDate } from '../database';
import { type Outcome, PolicyVersion } from '../policy';
import { addDays } from '../shared/calendar-date';
import { maskNationalId } from '../shared/national-identity-number';
import { osloMidnight } from '../shared/oslo-weeks';
import { placeholders } from '../shared/oslo-weeks-sql';
import { type DecisionSearch, OUTCOMES, PAGE_SIZE } from './decision-search.query';

export interface OutcomeCount {
  outcome: Outcome;
  /** The policy's outcome stands (no officer decided). */
  automatic: number;
  /** An officer gave this outcome. */
  byOfficer: number;
  total: number;
}

export interface FoundDecision {
  id: string;
  municipalityId: string;
  reference: string;
  /** The identity number masked: lists never show it whole. */
  pidMasked: string;
  createdAt: Date;
  outcome: Outcome;
  policyOutcome: Outcome;
  status: string;
  officerName: string | null;
  invoiceTitle: string;
  invoiceType: string;
  amountOre: number;
  policyVersionId: string;
}

export interface DecisionSearchResult {
  counts: OutcomeCount[];
  total: number;
  page: number;
  pages: number;
  decisions: FoundDecision[];
}

interface Row {
  id: string;
  municipality_id: string;
  reference: string;
  pid: string;
  created_at: unknown;
  outcome: Outcome;
  policy_outcome: Outcome | null;
  status: string;
  decided_by_name: string | null;
  decided_by: string | null;
  invoice_title: string;
  invoice_type: string | null;
  amount_ore: number | string;
  policy_version_id: string;
}

/**
 * The auditors' search of decisions (deferral requests with the decision on them), by SQL on the
 * overview index, which leads with (municipality_id, created_at): the counts per outcome grouped by
 * the database, one page of rows without their facts and trace, newest first.
 */
@Injectable()
export class DecisionSearchService {
  constructor(private readonly orm: MikroORM) {}

  async search(search: DecisionSearch): Promise<DecisionSearchResult> {
    const { sql: where, params } = this.where(search);
    const offset = (search.page - 1) * PAGE_SIZE;
    const [countRows, rows] = await Promise.all([
      queryRows<{ outcome: Outcome; by_officer: number | string; n: number | string }>(
        this.orm,
        `select outcome, case when decided_by is null then 0 else 1 end as by_officer,
           count(*) as n
         from deferral_requests where ${where} group by outcome, by_officer`,
        params,
      ),
      queryRows<Row>(
        this.orm,
        `select id, municipality_id, reference, pid, created_at, outcome, policy_outcome, status,
           decided_by, decided_by_name, invoice_title, ${this.invoiceType()} as invoice_type,
           amount_ore, policy_version_id
         from deferral_requests where ${where}
         order by created_at desc, id desc limit ? offset ?`,
        [...params, PAGE_SIZE, offset],
      ),
    ]);
    const counts = OUTCOMES.map((outcome): OutcomeCount => {
      const of = (officer: number) =>
        countRows
          .filter((r) => r.outcome === outcome && Number(r.by_officer) === officer)
          .reduce((sum, r) => sum + Number(r.n), 0);
      const automatic = of(0);
      const byOfficer = of(1);
      return { outcome, automatic, byOfficer, total: automatic + byOfficer };
    });
    const total = counts.reduce((sum, c) => sum + c.total, 0);
    return {
      counts,
      total,
      page: search.page,
      pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
      decisions: rows.map(found),
    };
  }

  /** The versions a decision of these municipalities may name, newest first. */
  versions(municipalityIds: readonly string[]): Promise<PolicyVersion[]> {
    return this.orm.em
      .fork()
      .find(
        PolicyVersion,
        { municipalityId: { $in: [...municipalityIds] } },
        { orderBy: { createdAt: 'desc', id: 'asc' } },
      );
  }

  /** Every officer who decided a case of these municipalities, by name. */
  async officers(municipalityIds: readonly string[]): Promise<{ actor: string; name: string }[]> {
    const rows = await queryRows<{ decided_by: string; name: string | null }>(
      this.orm,
      `select decided_by, max(decided_by_name) as name from deferral_requests
       where municipality_id in (${placeholders(municipalityIds.length)})
         and decided_by is not null
       group by decided_by`,
      [...municipalityIds],
    );
    return rows
      .map((r) => ({ actor: r.decided_by, name: r.name ?? r.decided_by }))
      .sort((x, y) => x.name.localeCompare(y.name, 'nb') || x.actor.localeCompare(y.actor));
  }

  private where(search: DecisionSearch): { sql: string; params: unknown[] } {
    const ids = search.municipalityIds;
    const conditions = [`municipality_id in (${placeholders(ids.length)})`];
    const params: unknown[] = [...ids];
    const add = (condition: string, ...values: unknown[]) => {
      conditions.push(condition);
      params.push(...values);
    };
    if (search.from) add('created_at >= ?', dateParam(this.orm, osloMidnight(search.from)));
    if (search.to) add('created_at < ?', dateParam(this.orm, osloMidnight(addDays(search.to, 1))));
    if (search.outcome) add('outcome = ?', search.outcome);
    if (search.decider === 'automatisk') add('decided_by is null');
    if (search.decider === 'saksbehandler') add('decided_by is not null');
    if (search.versionId) add('policy_version_id = ?', search.versionId);
    if (search.invoiceType) add(`${this.invoiceType()} = ?`, search.invoiceType);
    if (search.reference) add('reference = ?', search.reference);
    if (search.officer) add('decided_by = ?', search.officer);
    return { sql: conditions.join(' and '), params };
  }

  private invoiceType(): string {
    return jsonFieldSql(this.orm, 'facts', 'invoiceType', 'text');
  }
}

function found(row: Row): FoundDecision {
  return {
    id: row.id,
    municipalityId: row.municipality_id,
    reference: row.reference,
    pidMasked: maskNationalId(row.pid),
    createdAt: rowDate(row.created_at),
    outcome: row.outcome,
    policyOutcome: row.policy_outcome ?? row.outcome,
    status: row.status,
    officerName: row.decided_by ? (row.decided_by_name ?? row.decided_by) : null,
    invoiceTitle: row.invoice_title,
    invoiceType: row.invoice_type ?? 'OTHER',
    amountOre: Number(row.amount_ore),
    policyVersionId: row.policy_version_id,
  };
}
