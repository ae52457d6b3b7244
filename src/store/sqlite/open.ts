import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { PortcullisError } from '../../errors.js';
import { migrateSqlite } from './migrate.js';

/**
 * One connection to a SQLite file (WAL, so the gateway and a `portcullis keys` command can use
 * the same file at once), migrated, or a PortcullisError saying what to fix.
 */
export function openSqlite(file: string, migrationsTable: string, migrations: readonly string[]): Database.Database {
  try {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 2000');
    migrateSqlite(db, migrationsTable, migrations);
    return db;
  } catch (cause) {
    throw new PortcullisError('PC_ERR_STORE_OPEN', `cannot open SQLite store ${file}: ${(cause as Error).message}`, {
      where: file, hint: 'Check the directory is writable, or use --store memory.', cause,
    });
  }
}
