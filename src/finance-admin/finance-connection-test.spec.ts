import type { EntityManager } from '@mikro-orm/core';
import type { AuditAppend, AuditService } from '../audit';
import {
  FinanceNotFoundError,
  FinanceRejectedError,
  type FinanceSystem,
  FinanceUnavailableError,
} from '../finance';
import { FinanceConnectionTest } from './finance-connection-test';

const PID = '01818012337';
const tenant = { id: '8d6c2a4e-1b3f-4c5d-9e7f-0a1b2c3d4e5f', slug: 'nordby', settings: {} };

/** A connection test over a finance system that fails as given, recording what it audits. */
function testerFailingWith(error: Error) {
  const appended: AuditAppend[] = [];
  const finance = { listInvoices: () => Promise.reject(error) } as unknown as FinanceSystem;
  const em = {
    fork: () => ({ transactional: (work: (tx: unknown) => Promise<unknown>) => work({}) }),
  } as unknown as EntityManager;
  const audit = {
    append: (_tx: unknown, entry: AuditAppend) => Promise.resolve(appended.push(entry)),
  } as unknown as AuditService;
  return { tester: new FinanceConnectionTest(finance, em, audit), appended };
}

describe(FinanceConnectionTest, () => {
  describe('run', () => {
    it.each([
      [
        new FinanceUnavailableError('not-configured', 'municipality nordby: no key'),
        'notConfigured',
      ],
      [new FinanceUnavailableError('timeout', 'No answer within 3000 ms'), 'unreachable'],
      [new FinanceUnavailableError('network', 'Connection failed'), 'unreachable'],
      [
        new FinanceUnavailableError('unauthorized', 'The finance system refused the key'),
        'refused',
      ],
      [new FinanceRejectedError('INVALID_REQUEST', 'bad'), 'refused'],
      [new FinanceNotFoundError('municipality'), 'refused'],
      [new FinanceUnavailableError('bad-response', 'The finance system sent no JSON'), 'badAnswer'],
      [new TypeError('x is undefined'), 'badAnswer'],
    ])('names %s as %s, with the adapter line, and audits the outcome', async (error, outcome) => {
      const { tester, appended } = testerFailingWith(error);
      const result = await tester.run(tenant, { actor: 'staff:ola' }, PID, '');
      expect(result).toEqual({ outcome, maskedPid: '018180*****', line: error.message });
      expect(appended).toEqual([
        expect.objectContaining({
          type: 'settings.finance_tested',
          payload: expect.objectContaining({ result: outcome, maskedPid: '018180*****' }),
        }),
      ]);
    });

    it('takes the identity number out of the adapter line', async () => {
      const { tester, appended } = testerFailingWith(
        new FinanceUnavailableError('server-error', `GET /innbyggere/${PID}/fakturaer: 500`),
      );
      const result = await tester.run(tenant, { actor: 'staff:ola' }, PID, '');
      expect(result).toMatchObject({ line: 'GET /innbyggere/018180*****/fakturaer: 500' });
      expect(JSON.stringify([result, appended])).not.toContain(PID);
    });
  });
});
