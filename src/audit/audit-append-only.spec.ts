import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOTS = ['src', 'dev'].map((dir) => join(__dirname, '..', '..', dir));

// The ORM hooks on AuditEntry stop updates and deletes through the unit of work and the database's
// triggers refuse them anyway; these are the ways around the unit of work, which no source file may
// use on the audit log or its checkpoints.
const FORBIDDEN: readonly RegExp[] = [
  /\bnative(Update|Delete)\(\s*(AuditEntry|AuditCheckpoint)\b/,
  /\bupsert(Many)?\(\s*(AuditEntry|AuditCheckpoint)\b/,
  /\b(createQueryBuilder|qb)\(\s*(AuditEntry|AuditCheckpoint)\b[^;]*\.(update|delete|truncate)\(/s,
  /\bgetRepository\(\s*(AuditEntry|AuditCheckpoint)\s*\)\s*\.\s*(nativeUpdate|nativeDelete|upsert|upsertMany)\b/,
  /\b(update|delete\s+from|truncate(\s+table)?)\s+["`]?audit_(entries|checkpoints)\b/i,
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

describe('AuditEntry', () => {
  describe('source', () => {
    it('never updates or deletes an audit entry around the ORM when scanning src/ and dev/', () => {
      const offences = ROOTS.flatMap(sourceFiles).flatMap((file) => {
        const text = readFileSync(file, 'utf8');
        return FORBIDDEN.filter((pattern) => pattern.test(text)).map(
          (pattern) => `${relative(process.cwd(), file)}: ${pattern}`,
        );
      });
      expect(offences).toEqual([]);
    });

    it.each([
      'await em.nativeUpdate(AuditEntry, { id }, { payload });',
      'await em.nativeDelete( AuditEntry, {});',
      'await em.upsert(AuditEntry, data);',
      'em.createQueryBuilder(AuditEntry).delete({ seq: 1 })',
      'em.getRepository(AuditEntry).nativeDelete({})',
      "execute('DELETE FROM audit_entries WHERE seq = 1')",
      'execute(`update "audit_entries" set payload = ?`)',
      'await em.nativeDelete(AuditCheckpoint, { seq });',
      "execute('truncate table audit_checkpoints')",
    ])('would catch %s when it appeared in a source file', (line) => {
      expect(FORBIDDEN.some((pattern) => pattern.test(line))).toBe(true);
    });
  });
});
