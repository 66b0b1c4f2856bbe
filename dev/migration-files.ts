/**
 * Edits of the files `npm run migration:create` writes (dev/create-migration.ts), as pure
 * functions of their text so that they are tested.
 */

/**
 * The migrations' index with `className` imported after the last import and appended to the
 * list, one entry per line (`npm run lint`'s Prettier may still wrap a long one).
 */
export function withMigration(index: string, className: string): string {
  const lines = index.split('\n');
  let lastImport = -1;
  lines.forEach((line, i) => {
    if (line.startsWith('import ')) lastImport = i;
  });
  lines.splice(lastImport + 1, 0, `import { ${className} } from './${className}';`);
  const text = lines.join('\n');
  const end = text.lastIndexOf('];');
  if (end < 0) throw new Error('the migrations index has no list to add to');
  return `${text.slice(0, end)}  { name: '${className}', class: ${className} },\n${text.slice(end)}`;
}

/**
 * MikroORM's schema diff does not know the audit tables' append-only triggers (made by hand in
 * their own migration), so every migration it writes "restores" them in `down()`, mangled on
 * SQLite. Those statements are dropped here; `up()` is left as written.
 */
export function withoutTriggerNoise(migration: string): string {
  const down = migration.indexOf('override down()');
  if (down < 0) return migration;
  const head = migration.slice(0, down);
  // Each statement goes with the line break and blank lines before it.
  const tail = migration
    .slice(down)
    .replace(/\n\s*this\.addSql\(`create (?:or replace function|trigger)[\s\S]*?`\);/g, '');
  return head + tail;
}
