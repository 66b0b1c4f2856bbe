import { FinanceUnavailableError } from './finance.errors';
import type { FinanceSystem } from './finance-system.port';
import { RoutingFinanceSystem } from './routing-finance-system';

const adapter = (name: string) =>
  ({ listInvoices: jest.fn().mockResolvedValue([{ id: name }]) }) as unknown as FinanceSystem;

describe('RoutingFinanceSystem', () => {
  describe('listInvoices', () => {
    it('asks the adapter the settings name, the embedded ledger when none is named', async () => {
      const routing = new RoutingFinanceSystem({ embedded: adapter('e'), http: adapter('h') });
      const tenant = (settings: Record<string, unknown>) => ({ id: 'i', slug: 's', settings });
      await expect(routing.listInvoices(tenant({}), 'pid')).resolves.toEqual([{ id: 'e' }]);
      await expect(
        routing.listInvoices(tenant({ financeAdapter: 'http' }), 'pid'),
      ).resolves.toEqual([{ id: 'h' }]);
    });

    it('rejects for an adapter name it does not know, asks no adapter, and logs it once', async () => {
      const embedded = adapter('e');
      const logger = { error: jest.fn() };
      const routing = new RoutingFinanceSystem({ embedded, http: adapter('h') }, logger);
      const tenant = { id: 'i', slug: 'bergvik', settings: { financeAdapter: 'embeded' } };
      for (let i = 0; i < 3; i++) {
        await expect(routing.listInvoices(tenant, 'pid')).rejects.toBeInstanceOf(
          FinanceUnavailableError,
        );
      }
      expect(embedded.listInvoices).not.toHaveBeenCalled();
      expect(logger.error).toHaveBeenCalledTimes(1);
      expect(logger.error.mock.calls[0][0]).toMatch(
        /^municipality bergvik: settings\.financeAdapter must be/,
      );
    });
  });
});
