// The part of better-sqlite3's API the bench uses (the package ships no types; the portal reaches
// it through MikroORM). Only the overview scenario's SQLite leg writes with it.
declare module 'better-sqlite3' {
  interface Statement {
    run(...params: unknown[]): unknown;
  }
  interface Database {
    prepare(sql: string): Statement;
    exec(sql: string): void;
    pragma(pragma: string): unknown;
    transaction<T extends (...args: never[]) => unknown>(fn: T): T;
    close(): void;
  }
  const Database: new (path: string) => Database;
  export default Database;
}
