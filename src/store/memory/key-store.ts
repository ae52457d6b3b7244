import { PortcullisError } from '../../errors.js';
import type { ApiKeyRecord, KeyStore } from '../ports.js';

/** Keys for `--store memory` and tests: gone when the process ends. */
export function createMemoryKeyStore(): KeyStore {
  const keys = new Map<string, ApiKeyRecord>();
  let revision = 0;
  const copy = (r: ApiKeyRecord): ApiKeyRecord => ({ ...r, scopes: [...r.scopes], roles: [...r.roles] });
  return {
    kind: 'memory',
    async insert(record) {
      if (keys.has(record.id)) throw new PortcullisError('PC_ERR_KEY_EXISTS', `an API key with id ${record.id} already exists`);
      keys.set(record.id, copy(record));
      revision++;
    },
    async get(id) {
      const r = keys.get(id);
      return r && copy(r);
    },
    async list() {
      return [...keys.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id)).map(copy);
    },
    async update(id, patch) {
      const r = keys.get(id);
      if (!r) return undefined;
      const next = { ...r, ...patch };
      keys.set(id, next);
      revision++;
      return copy(next);
    },
    async revision() { return String(revision); },
    async close() { /* nothing to release */ },
  };
}
