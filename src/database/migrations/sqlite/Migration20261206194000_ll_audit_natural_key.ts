import { Migration } from '@mikro-orm/migrations';

/** The triggers of `Migration20261206040000_audit_append_only`, which go with the old table. */
function appendOnlyTriggers(): string[] {
  return ['update', 'delete'].map(
    (operation) =>
      `create trigger \`audit_entries_no_${operation}\` before ${operation} on \`audit_entries\` begin select raise(abort, 'the audit log is append-only: ${operation.toUpperCase()} on audit_entries refused'); end;`,
  );
}

/**
 * An audit entry's key is its place in its chain, (municipality, seq), which was unique already;
 * the random id goes. SQLite cannot change a primary key: the table is rebuilt, every entry copied
 * as it is (dropping a table fires no DELETE trigger), and its index and append-only triggers
 * made anew.
 */
export class Migration20261206194000_ll_audit_natural_key extends Migration {
  override name = 'Migration20261206194000_ll_audit_natural_key';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`audit_entries__temp_alter\` (\`municipality_id\` text not null, \`seq\` bigint not null, \`type\` text not null, \`subject_id\` text not null, \`payload\` json not null, \`payload_hash\` text not null, \`prev_hash\` text not null, \`hash\` text not null, \`created_at\` datetime not null, primary key (\`municipality_id\`, \`seq\`));`,
    );
    this.addSql(
      `insert into \`audit_entries__temp_alter\` select \`municipality_id\`, \`seq\`, \`type\`, \`subject_id\`, \`payload\`, \`payload_hash\`, \`prev_hash\`, \`hash\`, \`created_at\` from \`audit_entries\`;`,
    );
    this.addSql(`drop table \`audit_entries\`;`);
    this.addSql(`alter table \`audit_entries__temp_alter\` rename to \`audit_entries\`;`);
    this.addSql(
      `create index \`audit_entries_subject_id_index\` on \`audit_entries\` (\`subject_id\`);`,
    );
    for (const trigger of appendOnlyTriggers()) this.addSql(trigger);
  }

  override down(): void | Promise<void> {
    this.addSql(
      `create table \`audit_entries__temp_alter\` (\`id\` text not null primary key, \`municipality_id\` text not null, \`seq\` bigint not null, \`type\` text not null, \`subject_id\` text not null, \`payload\` json not null, \`payload_hash\` text not null, \`prev_hash\` text not null, \`hash\` text not null, \`created_at\` datetime not null);`,
    );
    // A version 4 uuid per entry, as the previous release made them.
    this.addSql(
      `insert into \`audit_entries__temp_alter\` select lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))), \`municipality_id\`, \`seq\`, \`type\`, \`subject_id\`, \`payload\`, \`payload_hash\`, \`prev_hash\`, \`hash\`, \`created_at\` from \`audit_entries\`;`,
    );
    this.addSql(`drop table \`audit_entries\`;`);
    this.addSql(`alter table \`audit_entries__temp_alter\` rename to \`audit_entries\`;`);
    this.addSql(
      `create index \`audit_entries_subject_id_index\` on \`audit_entries\` (\`subject_id\`);`,
    );
    this.addSql(
      `create unique index \`audit_entries_municipality_id_seq_unique\` on \`audit_entries\` (\`municipality_id\`, \`seq\`);`,
    );
    for (const trigger of appendOnlyTriggers()) this.addSql(trigger);
  }
}
