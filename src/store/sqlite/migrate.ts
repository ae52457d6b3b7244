import type Database from 'better-sqlite3';

/**
 * Apply the migrations not yet recorded in `table`, each in its own transaction. Every store
 * component (events, keys) keeps its own list and table, so they evolve independently.
 */
export function migrateSqlite(db: Database.Database, table: string, migrations: readonly string[]): void {
  db.exec(`CREATE TABLE IF NOT EXISTS ${table} (version INTEGER PRIMARY KEY)`);
  const done = new Set((db.prepare(`SELECT version FROM ${table}`).all() as { version: number }[]).map((r) => r.version));
  migrations.forEach((sql, i) => {
    if (done.has(i + 1)) return;
    db.transaction(() => {
      db.exec(sql);
      db.prepare(`INSERT INTO ${table} (version) VALUES (?)`).run(i + 1);
    })();
  });
}
