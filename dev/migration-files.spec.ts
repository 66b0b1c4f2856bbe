import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withMigration, withoutTriggerNoise } from './migration-files';

const INDEX = readFileSync(
  join(__dirname, '../src/database/migrations/postgresql/index.ts'),
  'utf8',
);

describe('migration files', () => {
  it('adds a migration to the index: imported, listed last, the other entries untouched', () => {
    const name = 'Migration20991231000000_next';
    const added = withMigration(INDEX, name);
    expect(added).toContain(`import { ${name} } from './${name}';`);
    const list = added.slice(added.indexOf('= ['));
    expect(list.trimEnd().endsWith(`{ name: '${name}', class: ${name} },\n];`)).toBe(true);
    expect(
      added
        .replace(`import { ${name} } from './${name}';\n`, '')
        .replace(`  { name: '${name}', class: ${name} },\n`, ''),
    ).toBe(INDEX);
  });

  it("drops the audit triggers' re-creation from down(), and keeps up() as written", () => {
    const generated = [
      'export class M extends Migration {',
      '  override up(): void | Promise<void> {',
      '    this.addSql(`create table "x" ("id" int);`);',
      '  }',
      '',
      '  override down(): void | Promise<void> {',
      '    this.addSql(`drop table if exists "x" cascade;`);',
      '',
      '    this.addSql(`create or replace function "f"() returns trigger as $$ begin ; end; $$ language plpgsql;`);',
      '    this.addSql(`create trigger "t" BEFORE DELETE on "a" for each ROW execute function "f"();`);',
      "    this.addSql(`create trigger \\`n\\` BEFORE UPDATE on \\`a\\` for each ROW begin select raise(abort, 'the audit log is app; end;",
      "create trigger \\`d\\` BEFORE DELETE on \\`a\\` for each ROW begin select raise(abort, 'the audit log is app; end;`);",
      '  }',
      '',
      '}',
      '',
    ].join('\n');
    expect(withoutTriggerNoise(generated)).toBe(
      [
        'export class M extends Migration {',
        '  override up(): void | Promise<void> {',
        '    this.addSql(`create table "x" ("id" int);`);',
        '  }',
        '',
        '  override down(): void | Promise<void> {',
        '    this.addSql(`drop table if exists "x" cascade;`);',
        '  }',
        '',
        '}',
        '',
      ].join('\n'),
    );
  });
});
