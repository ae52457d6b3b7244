import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, it } from 'vitest';
import { keyStoreContract } from './contract/key-store.contract.js';
import { createMemoryKeyStore } from './memory/key-store.js';
import { openKeyStore } from './open.js';
import { createSqliteKeyStore } from './sqlite/key-store.js';

keyStoreContract('memory', async () => createMemoryKeyStore());

const dir = mkdtempSync(join(tmpdir(), 'portcullis-keys-'));
let n = 0;
keyStoreContract('sqlite', async () => createSqliteKeyStore(join(dir, `keys-${n++}.db`)));

// PostgreSQL: the local server .ci/run starts (DATABASE_URL). Each store gets its own schema,
// dropped at the end, so runs never see each other's rows.
const databaseUrl = process.env.DATABASE_URL;
const schemas: string[] = [];
if (databaseUrl) {
  keyStoreContract('postgres', async () => {
    const schema = `pc_keys_test_${process.pid}_${schemas.length}`;
    schemas.push(schema);
    const url = new URL(databaseUrl);
    url.searchParams.set('schema', schema);
    return openKeyStore(url.toString());
  });
} else {
  describe('KeyStore contract: postgres', () => {
    it.skip('needs DATABASE_URL (set by .ci/run)', () => undefined);
  });
}

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  if (databaseUrl && schemas.length > 0) {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    for (const s of schemas) await client.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
    await client.end();
  }
});
