import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidPolicyFileError } from '../policy.errors';
import { DEFAULT_POLICY_FILE } from '../loading/policy-paths';
import { PolicyRegistry } from './policy-registry';
import {
  approvableFacts,
  defaultPolicyJson,
  defaultPolicyText,
  setAt,
} from '../policy.test-factory';

function changedPolicy(change: (json: Record<string, unknown>) => void): string {
  const json = defaultPolicyJson();
  change(json);
  return JSON.stringify(json, null, 2);
}

describe(PolicyRegistry.name, () => {
  describe('replaceFromFile', () => {
    it('puts rules/default.policy.json in force', async () => {
      const registry = new PolicyRegistry();
      const compiled = await registry.replaceFromFile(DEFAULT_POLICY_FILE);
      expect(registry.active()).toBe(compiled);
      expect(compiled.policy.id).toBe('standard-betalingsutsettelse');
    });

    it('refuses a file that does not validate, naming the file and each error', async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'policy-')), 'broken.policy.json');
      writeFileSync(
        file,
        changedPolicy((json) => setAt(json, '/rules/2/conditions/all/0/fact', 'amountKr')),
      );
      const registry = new PolicyRegistry();
      const failure = registry.replaceFromFile(file);
      await expect(failure).rejects.toThrow(InvalidPolicyFileError);
      await expect(failure).rejects.toThrow(
        `${file} is not a valid deferral policy: /rules/2/conditions/all/0/fact: must be equal to one of the allowed values`,
      );
      expect(registry.hasPolicy()).toBe(false);
    });
  });

  describe('replace', () => {
    it('puts a valid policy in force', async () => {
      const registry = new PolicyRegistry();
      registry.replace(defaultPolicyText());
      const result = registry.replace(
        changedPolicy((json) => setAt(json, '/parameters/maxAmountOre/value', 3_000_000)),
      );
      expect(result.ok).toBe(true);
      expect(
        (
          await registry.evaluate(
            approvableFacts({ amountOre: 2_000_000, unpaidTotalOre: 2_000_000 }),
          )
        ).outcome,
      ).toBe('approved');
    });

    it('refuses an invalid policy with its errors and keeps the one in force', async () => {
      const registry = new PolicyRegistry();
      registry.replace(defaultPolicyText());
      const before = registry.active();
      const result = registry.replace(
        changedPolicy((json) => setAt(json, '/rules/2/event/type', 'approved')),
      );
      expect(result).toEqual({
        ok: false,
        errors: [
          { path: '/rules/2/event/type', message: expect.stringContaining('allowed values') },
        ],
      });
      expect(registry.active()).toBe(before);
      expect((await registry.evaluate(approvableFacts())).outcome).toBe('approved');
    });

    it('keeps the policy in force when the text is not JSON at all', () => {
      const registry = new PolicyRegistry();
      registry.replace(defaultPolicyText());
      const before = registry.active();
      expect(registry.replace('{').ok).toBe(false);
      expect(registry.active()).toBe(before);
    });

    it('reuses the compiled policy when the same content comes back', () => {
      const registry = new PolicyRegistry();
      registry.replace(defaultPolicyText());
      const first = registry.active();
      registry.replace(JSON.stringify(defaultPolicyJson()));
      expect(registry.active()).toBe(first);
    });
  });

  describe('active', () => {
    it('throws before any policy is in force', () => {
      expect(() => new PolicyRegistry().active()).toThrow(
        'No deferral policy has been put in force',
      );
    });
  });

  describe('validate', () => {
    it('returns no errors for a valid policy and every error for an invalid one', () => {
      const registry = new PolicyRegistry();
      expect(registry.validate(defaultPolicyText())).toEqual([]);
      expect(registry.validate('[]')).toEqual([{ path: '', message: 'must be object' }]);
    });
  });

  describe('allowedWindow', () => {
    it('answers from the policy in force', () => {
      const registry = new PolicyRegistry();
      registry.replace(defaultPolicyText());
      const invoice = {
        today: '2026-03-10',
        dueDate: '2026-03-20',
        invoiceStatus: 'IKKE_BETALT' as const,
        inCollection: false,
        alreadyDeferred: false,
      };
      expect(registry.allowedWindow(invoice)).toMatchObject({
        allowed: true,
        latestNewDueDate: '2026-04-19',
      });
    });
  });
});
