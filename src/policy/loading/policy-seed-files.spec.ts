import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../config/config.error';
import { RULES_DIR } from '../../config/paths';
import { readSeedFile, seedFileOf } from './policy-seed-files';
import { defaultPolicyJson, setAt } from '../policy.test-factory';

const municipality = (settings: Record<string, unknown>) => ({ slug: 'testvik', settings });

describe('policy seed files', () => {
  describe(seedFileOf.name, () => {
    it('is default.policy.json when the settings name none', () => {
      expect(seedFileOf(municipality({}))).toBe('default.policy.json');
    });

    it('is the file the settings name', () => {
      expect(seedFileOf(municipality({ policyFile: 'asdal.policy.json' }))).toBe(
        'asdal.policy.json',
      );
    });

    it.each([['../secrets.json'], ['sub/x.policy.json'], ['asdal.json'], [''], [42]])(
      'refuses %j, naming the municipality and the setting',
      (policyFile) => {
        expect(() => seedFileOf(municipality({ policyFile }))).toThrow(ConfigError);
        expect(() => seedFileOf(municipality({ policyFile }))).toThrow(
          /^municipality testvik: settings\.policyFile must be a file name in rules\/ ending in \.policy\.json/,
        );
      },
    );
  });

  describe(readSeedFile.name, () => {
    it('loads rules/asdal.policy.json, whose amount limit is lower than the default one', async () => {
      const asdal = await readSeedFile('asdal', 'asdal.policy.json');
      const standard = await readSeedFile('asdal', 'default.policy.json');
      expect(asdal.policy.parameters.maxAmountOre.value).toBeLessThan(
        standard.policy.parameters.maxAmountOre.value as number,
      );
      expect(asdal.hash).not.toBe(standard.hash);
    });

    it('refuses a file that does not exist, in one line', async () => {
      const failure = readSeedFile('asdal', 'missing.policy.json');
      await expect(failure).rejects.toThrow(ConfigError);
      await expect(failure).rejects.toThrow(
        /^municipality asdal: settings\.policyFile names rules\/missing\.policy\.json, which does not exist$/,
      );
    });

    it('refuses a file that does not validate, in one line with every reason', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'policy-seed-'));
      const json = defaultPolicyJson();
      setAt(json, '/parameters/maxAmountOre/value', -1);
      writeFileSync(join(dir, 'broken.policy.json'), JSON.stringify(json));
      const failure = readSeedFile('asdal', 'broken.policy.json', dir);
      await expect(failure).rejects.toThrow(ConfigError);
      await expect(failure).rejects.toThrow(
        /^municipality asdal: rules\/broken\.policy\.json is not a valid deferral policy: \/parameters\/maxAmountOre\/value: [^\n]+$/,
      );
    });

    it('reads from the rules folder by default', async () => {
      const standard = await readSeedFile('x', 'default.policy.json');
      expect(standard.file).toBe(join(RULES_DIR, 'default.policy.json'));
    });
  });
});
