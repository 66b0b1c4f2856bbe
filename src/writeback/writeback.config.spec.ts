import { hostname } from 'node:os';
import { writebackConfig } from './writeback.config';

describe('writebackConfig', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });
  const load = (env: Record<string, string | undefined>) => {
    process.env = { ...saved, ...env };
    return writebackConfig();
  };

  describe('WRITEBACK_LEASE_MS', () => {
    it('refuses a lease no longer than three finance writes and their backoff, naming both settings', () => {
      expect(() => load({ WRITEBACK_LEASE_MS: '17000', FINANCE_WRITE_TIMEOUT_MS: '5000' })).toThrow(
        'WRITEBACK_LEASE_MS must be longer than a finance write can take (17000 ms with FINANCE_WRITE_TIMEOUT_MS=5000)',
      );
    });

    it('takes a lease longer than that', () => {
      expect(load({ WRITEBACK_LEASE_MS: '17001', FINANCE_WRITE_TIMEOUT_MS: '5000' }).leaseMs).toBe(
        17001,
      );
    });
  });

  describe('WRITEBACK_HANDOVER_CHECK_MINUTES', () => {
    it('checks hand-overs every 15 minutes unless told otherwise', () => {
      expect(load({ WRITEBACK_HANDOVER_CHECK_MINUTES: undefined }).handoverCheckMs).toBe(900_000);
      expect(load({ WRITEBACK_HANDOVER_CHECK_MINUTES: '2' }).handoverCheckMs).toBe(120_000);
    });

    it.each([['0'], ['1441'], ['1.5'], ['often']])('refuses %p', (value) => {
      expect(() => load({ WRITEBACK_HANDOVER_CHECK_MINUTES: value })).toThrow(
        /^Invalid configuration: WRITEBACK_HANDOVER_CHECK_MINUTES /,
      );
    });
  });

  describe('instanceId', () => {
    it('is the host name and port when WRITEBACK_INSTANCE_ID is not set', () => {
      expect(load({ WRITEBACK_INSTANCE_ID: undefined, PORT: '3100' }).instanceId).toBe(
        `${hostname()}:3100`,
      );
    });

    it('is WRITEBACK_INSTANCE_ID when it is set', () => {
      expect(load({ WRITEBACK_INSTANCE_ID: 'portal-0.portal:3000' }).instanceId).toBe(
        'portal-0.portal:3000',
      );
    });

    it.each([
      ['empty', ''],
      ['with a space', 'portal 0'],
      ['longer than 100 characters', 'p'.repeat(101)],
    ])('refuses to start when WRITEBACK_INSTANCE_ID is %s', (_name, value) => {
      expect(() => load({ WRITEBACK_INSTANCE_ID: value })).toThrow(
        'Invalid configuration: WRITEBACK_INSTANCE_ID must be 1–100 printable characters without spaces',
      );
    });
  });
});
