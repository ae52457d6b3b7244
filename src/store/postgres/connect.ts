import pg from 'pg';
import { PortcullisError } from '../../errors.js';
import { redactUrl } from '../url.js';

export interface PostgresStoreOptions {
  /** Schema to create the tables in (default: the connection's search_path, usually `public`). */
  schema?: string;
  /** Pool size per gateway process. */
  maxConnections?: number;
}

/** Any fixed key: instances starting together take turns migrating. */
const MIGRATION_LOCK = 0x70637573; // "pcus"

/**
 * A pool, migrated, before the gateway listens, so a wrong URL or missing rights fail the start
 * with a clear error instead of spooling forever. Tables carry a `portcullis_` prefix: the
 * database may be shared with other applications.
 */
export async function connectPostgres(url: string, opts: PostgresStoreOptions, migrationsTable: string, migrations: readonly string[]): Promise<pg.Pool> {
  const schema = opts.schema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new PortcullisError('PC_ERR_STORE_URL', `invalid PostgreSQL schema name "${schema}"`, { where: '--store' });
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.maxConnections ?? 4,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    statement_timeout: 10_000,
    application_name: 'portcullis',
    options: schema ? `-c search_path=${schema}` : undefined,
  });
  // An idle client that loses its connection emits here; the next query reconnects.
  pool.on('error', () => undefined);
  try {
    await migrate(pool, schema, migrationsTable, migrations);
  } catch (cause) {
    await pool.end().catch(() => undefined);
    throw new PortcullisError('PC_ERR_STORE_OPEN', `cannot open PostgreSQL store ${redactUrl(url)}: ${(cause as Error).message}`, {
      where: '--store', hint: 'Check the URL, that the server is up and that the role may create tables.', cause,
    });
  }
  return pool;
}

async function migrate(pool: pg.Pool, schema: string | undefined, table: string, migrations: readonly string[]): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      if (schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await client.query(`CREATE TABLE IF NOT EXISTS ${table} (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
      const done = new Set((await client.query<{ version: number }>(`SELECT version FROM ${table}`)).rows.map((r) => r.version));
      for (let i = 0; i < migrations.length; i++) {
        if (done.has(i + 1)) continue;
        await client.query('BEGIN');
        try {
          await client.query(migrations[i]!);
          await client.query(`INSERT INTO ${table} (version) VALUES ($1)`, [i + 1]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK');
          throw err;
        }
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}
