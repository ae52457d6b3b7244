import { PortcullisError } from '../../errors.js';
import type { ApiKeyPatch, ApiKeyRecord, KeyStore } from '../ports.js';
import { openSqlite } from './open.js';

// `version` is bumped on every write, so MAX(version) is a cheap change detector for pollers.
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE api_keys (
     id TEXT PRIMARY KEY, name TEXT NOT NULL, env TEXT NOT NULL, secret_hash TEXT NOT NULL,
     scopes TEXT NOT NULL, roles TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT, revoked_at TEXT,
     decoy INTEGER NOT NULL, rotated_from TEXT, version INTEGER NOT NULL
   );`,
];

interface Row {
  id: string; name: string; env: string; secret_hash: string; scopes: string; roles: string; created_at: string;
  expires_at: string | null; revoked_at: string | null; decoy: number; rotated_from: string | null;
}

export function createSqliteKeyStore(file: string): KeyStore {
  const db = openSqlite(file, 'key_schema_migrations', MIGRATIONS);
  const nextVersion = '(SELECT COALESCE(MAX(version), 0) + 1 FROM api_keys)';
  const insert = db.prepare(`INSERT INTO api_keys (id, name, env, secret_hash, scopes, roles, created_at, expires_at, revoked_at, decoy, rotated_from, version)
    VALUES (@id, @name, @env, @secretHash, @scopes, @roles, @createdAt, @expiresAt, @revokedAt, @decoy, @rotatedFrom, ${nextVersion})`);
  const getOne = db.prepare('SELECT * FROM api_keys WHERE id = ?');
  const listAll = db.prepare('SELECT * FROM api_keys ORDER BY created_at, id');
  const update = db.prepare(`UPDATE api_keys SET expires_at = @expiresAt, revoked_at = @revokedAt, version = ${nextVersion} WHERE id = @id`);
  const revision = db.prepare('SELECT COALESCE(MAX(version), 0) AS v, COUNT(*) AS n FROM api_keys');
  return {
    kind: 'sqlite',
    async insert(r) {
      try {
        insert.run({ ...r, scopes: JSON.stringify(r.scopes), roles: JSON.stringify(r.roles), decoy: r.decoy ? 1 : 0 });
      } catch (err) {
        if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw new PortcullisError('PC_ERR_KEY_EXISTS', `an API key with id ${r.id} already exists`);
        throw err;
      }
    },
    async get(id) {
      const row = getOne.get(id) as Row | undefined;
      return row && fromRow(row);
    },
    async list() { return (listAll.all() as Row[]).map(fromRow); },
    async update(id, patch: ApiKeyPatch) {
      return db.transaction(() => {
        const row = getOne.get(id) as Row | undefined;
        if (!row) return undefined;
        const current = fromRow(row);
        const next = { ...current, ...patch };
        update.run({ id, expiresAt: next.expiresAt, revokedAt: next.revokedAt });
        return next;
      })();
    },
    async revision() {
      const r = revision.get() as { v: number; n: number };
      return `${r.v}:${r.n}`;
    },
    async close() { db.close(); },
  };
}

function fromRow(r: Row): ApiKeyRecord {
  return {
    id: r.id, name: r.name, env: r.env, secretHash: r.secret_hash, scopes: JSON.parse(r.scopes) as string[], roles: JSON.parse(r.roles) as string[],
    createdAt: r.created_at, expiresAt: r.expires_at, revokedAt: r.revoked_at, decoy: r.decoy === 1, rotatedFrom: r.rotated_from,
  };
}
