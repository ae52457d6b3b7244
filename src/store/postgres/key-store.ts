import { PortcullisError } from '../../errors.js';
import type { ApiKeyPatch, ApiKeyRecord, KeyStore } from '../ports.js';
import { connectPostgres, type PostgresStoreOptions } from './connect.js';

// A sequence gives every write a new version: MAX(version) is a cheap change detector.
const MIGRATIONS: readonly string[] = [
  `CREATE SEQUENCE portcullis_api_keys_version;
   CREATE TABLE portcullis_api_keys (
     id TEXT PRIMARY KEY, name TEXT NOT NULL, env TEXT NOT NULL, secret_hash TEXT NOT NULL,
     scopes TEXT[] NOT NULL, roles TEXT[] NOT NULL, created_at TIMESTAMPTZ NOT NULL, expires_at TIMESTAMPTZ, revoked_at TIMESTAMPTZ,
     decoy BOOLEAN NOT NULL, rotated_from TEXT, version BIGINT NOT NULL DEFAULT nextval('portcullis_api_keys_version')
   );`,
];

interface Row {
  id: string; name: string; env: string; secret_hash: string; scopes: string[]; roles: string[]; created_at: Date;
  expires_at: Date | null; revoked_at: Date | null; decoy: boolean; rotated_from: string | null;
}

/** Keys shared by every gateway instance of a cluster. */
export async function createPostgresKeyStore(url: string, opts: PostgresStoreOptions = {}): Promise<KeyStore> {
  const pool = await connectPostgres(url, opts, 'portcullis_key_schema_migrations', MIGRATIONS);
  return {
    kind: 'postgres',
    async insert(r) {
      try {
        await pool.query(
          `INSERT INTO portcullis_api_keys (id, name, env, secret_hash, scopes, roles, created_at, expires_at, revoked_at, decoy, rotated_from)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          [r.id, r.name, r.env, r.secretHash, r.scopes, r.roles, r.createdAt, r.expiresAt, r.revokedAt, r.decoy, r.rotatedFrom],
        );
      } catch (err) {
        if ((err as { code?: string }).code === '23505') throw new PortcullisError('PC_ERR_KEY_EXISTS', `an API key with id ${r.id} already exists`);
        throw err;
      }
    },
    async get(id) {
      const { rows } = await pool.query<Row>('SELECT * FROM portcullis_api_keys WHERE id = $1', [id]);
      return rows[0] && fromRow(rows[0]);
    },
    async list() {
      const { rows } = await pool.query<Row>('SELECT * FROM portcullis_api_keys ORDER BY created_at, id');
      return rows.map(fromRow);
    },
    async update(id, patch: ApiKeyPatch) {
      const sets: string[] = [];
      const params: unknown[] = [id];
      for (const [col, key] of [['expires_at', 'expiresAt'], ['revoked_at', 'revokedAt']] as const) {
        if (key in patch) { params.push(patch[key]); sets.push(`${col} = $${params.length}`); }
      }
      sets.push(`version = nextval('portcullis_api_keys_version')`);
      const { rows } = await pool.query<Row>(`UPDATE portcullis_api_keys SET ${sets.join(', ')} WHERE id = $1 RETURNING *`, params);
      return rows[0] && fromRow(rows[0]);
    },
    async revision() {
      const { rows } = await pool.query<{ v: string | null; n: string }>('SELECT MAX(version) AS v, COUNT(*) AS n FROM portcullis_api_keys');
      return `${rows[0]!.v ?? 0}:${rows[0]!.n}`;
    },
    async close() { await pool.end(); },
  };
}

function fromRow(r: Row): ApiKeyRecord {
  return {
    id: r.id, name: r.name, env: r.env, secretHash: r.secret_hash, scopes: r.scopes, roles: r.roles,
    createdAt: r.created_at.toISOString(), expiresAt: r.expires_at?.toISOString() ?? null, revokedAt: r.revoked_at?.toISOString() ?? null,
    decoy: r.decoy, rotatedFrom: r.rotated_from,
  };
}
