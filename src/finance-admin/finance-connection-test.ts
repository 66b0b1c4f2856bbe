import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit';
import type { ActingStaff } from '../auth';
import {
  FinanceNotFoundError,
  FinanceRejectedError,
  FinanceSystem,
  FinanceUnavailableError,
  type FinanceTenant,
} from '../finance';
import {
  IDENTITY_NUMBER_FORMAT,
  maskNationalId,
  redactIdentityNumbers,
} from '../shared/national-identity-number';

/** What the test saw of the one invoice asked for. */
export interface SeenInvoice {
  invoiceNumber: string;
  dueDate: string;
  amountOre: number;
  outstandingOre: number;
  status: string;
}

/** How a connection test ended, for the page (a key each) and the audit entry. */
export type ConnectionTestResult =
  | { outcome: 'ok'; maskedPid: string; count: number; invoice?: SeenInvoice }
  | { outcome: 'invoiceNotFound'; maskedPid: string; count: number; invoiceNumber: string }
  | {
      outcome: 'notConfigured' | 'unreachable' | 'refused' | 'badAnswer';
      maskedPid: string;
      /** The adapter's own line, identity numbers taken out. */
      line: string;
    };

const UNREACHABLE = new Set(['timeout', 'network', 'server-error', 'rate-limited', 'circuit-open']);

/**
 * "Test connection": reads one resident's invoice list (and one invoice, if named) through the
 * port with the municipality's settings as stored, and records that it did: it reads a
 * resident's data, so the audit chain names who, the masked number and the outcome.
 */
@Injectable()
export class FinanceConnectionTest {
  constructor(
    private readonly finance: FinanceSystem,
    private readonly em: EntityManager,
    private readonly audit: AuditService,
  ) {}

  static isIdentityNumber(pid: string): boolean {
    return IDENTITY_NUMBER_FORMAT.test(pid);
  }

  async run(
    tenant: FinanceTenant,
    who: ActingStaff,
    pid: string,
    invoiceNumber: string,
  ): Promise<ConnectionTestResult> {
    const result = await this.read(tenant, pid, invoiceNumber);
    await this.em.fork().transactional((tx) =>
      this.audit.append(tx, {
        municipalityId: tenant.id,
        type: 'settings.finance_tested',
        subjectId: tenant.id,
        payload: {
          actor: who.actor,
          name: who.name ?? null,
          municipality: tenant.slug,
          maskedPid: result.maskedPid,
          invoiceNumber: invoiceNumber || null,
          result: result.outcome,
          at: new Date().toISOString(),
        },
      }),
    );
    return result;
  }

  private async read(
    tenant: FinanceTenant,
    pid: string,
    invoiceNumber: string,
  ): Promise<ConnectionTestResult> {
    const maskedPid = maskNationalId(pid);
    try {
      const list = await this.finance.listInvoices(tenant, pid);
      if (!invoiceNumber) return { outcome: 'ok', maskedPid, count: list.length };
      const summary = list.find((i) => i.invoiceNumber === invoiceNumber || i.id === invoiceNumber);
      if (!summary)
        return { outcome: 'invoiceNotFound', maskedPid, count: list.length, invoiceNumber };
      const invoice = await this.finance.getInvoice(tenant, pid, summary.id);
      return {
        outcome: 'ok',
        maskedPid,
        count: list.length,
        invoice: {
          invoiceNumber: invoice.invoiceNumber,
          dueDate: invoice.dueDate,
          amountOre: invoice.totalOre,
          outstandingOre: invoice.outstandingOre,
          status: invoice.status,
        },
      };
    } catch (error) {
      if (!(error instanceof Error)) throw error;
      const line = redactIdentityNumbers(error.message.split(pid).join(maskedPid));
      if (error instanceof FinanceUnavailableError) {
        if (error.reason === 'not-configured') return { outcome: 'notConfigured', maskedPid, line };
        if (error.reason === 'unauthorized') return { outcome: 'refused', maskedPid, line };
        if (UNREACHABLE.has(error.reason)) return { outcome: 'unreachable', maskedPid, line };
        return { outcome: 'badAnswer', maskedPid, line };
      }
      if (error instanceof FinanceRejectedError || error instanceof FinanceNotFoundError)
        return { outcome: 'refused', maskedPid, line };
      // Anything else is an adapter that broke its own contract: an answer it could not use.
      return { outcome: 'badAnswer', maskedPid, line };
    }
  }
}
