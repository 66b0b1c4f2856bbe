import { FinanceUnavailableError } from './finance.errors';
import { financeWritesDueDatesOf } from './finance-capabilities';
import { financeSettingsProblem } from './finance-settings';
import { FinanceSystem } from './finance-system.port';
import type { FinanceTenant } from './finance-tenant';
import { HttpFinanceSystem } from './http-finance-system';
import { RoutingFinanceSystem } from './routing-finance-system';

const tenant = (settings: Record<string, unknown>): FinanceTenant => ({
  id: 'id-bergvik',
  slug: 'bergvik',
  settings,
});
const HTTP = { financeAdapter: 'http', financeBaseUrl: 'https://finance.example' };
const http = new HttpFinanceSystem({
  apiKeyFor: () => 'key',
  logger: { warn: jest.fn(), debug: jest.fn() },
});

describe('financeWritesDueDatesOf', () => {
  it('is true when the setting is absent, and what it says when it is a boolean', () => {
    expect(financeWritesDueDatesOf(tenant({}))).toBe(true);
    expect(financeWritesDueDatesOf(tenant({ financeWritesDueDates: true }))).toBe(true);
    expect(financeWritesDueDatesOf(tenant({ financeWritesDueDates: false }))).toBe(false);
  });

  it.each([['false'], [0], [null], ['no']])(
    'refuses %p as not configured, naming the municipality and the setting',
    (value) => {
      expect(() => financeWritesDueDatesOf(tenant({ financeWritesDueDates: value }))).toThrow(
        new FinanceUnavailableError(
          'not-configured',
          'municipality bergvik: settings.financeWritesDueDates must be true or false',
        ),
      );
    },
  );
});

describe('financeSettingsProblem (financeWritesDueDates)', () => {
  it('accepts an http system without a write path', () => {
    expect(
      financeSettingsProblem(tenant({ ...HTTP, financeWritesDueDates: false }), 'key'),
    ).toBeUndefined();
  });

  it('names a setting that is not a boolean, and a read-only claim for an adapter that always writes', () => {
    expect(financeSettingsProblem(tenant({ ...HTTP, financeWritesDueDates: 'no' }), 'key')).toBe(
      'municipality bergvik: settings.financeWritesDueDates must be true or false',
    );
    expect(financeSettingsProblem(tenant({ financeWritesDueDates: false }), undefined)).toBe(
      'municipality bergvik: settings.financeWritesDueDates is false, but only financeAdapter "http" can be without writes',
    );
    expect(
      financeSettingsProblem(tenant({ financeWritesDueDates: true }), undefined),
    ).toBeUndefined();
  });
});

describe('FinanceSystem', () => {
  describe('capabilities', () => {
    it('writes due dates unless an adapter says otherwise', () => {
      class Plain extends FinanceSystem {
        listInvoices = jest.fn();
        getInvoice = jest.fn();
        getPaymentHistory = jest.fn();
        setDueDate = jest.fn();
      }
      expect(new Plain().capabilities(tenant({}))).toEqual({ writesDueDates: true });
    });
  });
});

describe('HttpFinanceSystem', () => {
  describe('capabilities', () => {
    it('follows the operator setting', () => {
      expect(http.capabilities(tenant(HTTP))).toEqual({ writesDueDates: true });
      expect(http.capabilities(tenant({ ...HTTP, financeWritesDueDates: false }))).toEqual({
        writesDueDates: false,
      });
    });
  });
});

describe('RoutingFinanceSystem', () => {
  describe('capabilities', () => {
    it("asks the municipality's own adapter", () => {
      const embedded = { capabilities: jest.fn(() => ({ writesDueDates: true })) };
      const routing = new RoutingFinanceSystem({
        embedded: embedded as unknown as FinanceSystem,
        http,
      });
      expect(routing.capabilities(tenant({ ...HTTP, financeWritesDueDates: false }))).toEqual({
        writesDueDates: false,
      });
      expect(routing.capabilities(tenant({}))).toEqual({ writesDueDates: true });
      expect(embedded.capabilities).toHaveBeenCalledTimes(1);
    });

    it('throws not-configured for an adapter name it does not know', () => {
      const routing = new RoutingFinanceSystem({ http });
      expect(() => routing.capabilities(tenant({ financeAdapter: 'sap' }))).toThrow(
        FinanceUnavailableError,
      );
    });
  });
});
