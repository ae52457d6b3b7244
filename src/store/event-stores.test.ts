import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, it } from 'vitest';
import { eventStoreContract } from './contract/event-store.contract.js';
import { createMemoryEventStore } from './memory/event-store.js';
import { openEventStore } from './open.js';
import { createSqliteEventStore } from './sqlite/event-store.js';

eventStoreContract('memory', async () => createMemoryEventStore());

const dir = mkdtempSync(join(tmpdir(), 'portcullis-store-'));
let n = 0;
eventStoreContract('sqlite', async () => createSqliteEventStore(join(dir, `events-${n++}.db`)));

// PostgreSQL: the local server .ci/run starts (DATABASE_URL). Each store gets its own schema,
// dropped at the end, so runs never see each other's rows.
const databaseUrl = process.env.DATABASE_URL;
const schemas: string[] = [];
if (databaseUrl) {
  eventStoreContract('postgres', async () => {
    const schema = `pc_test_${process.pid}_${schemas.length}`;
    schemas.push(schema);
    const url = new URL(databaseUrl);
    url.searchParams.set('schema', schema);
    return openEventStore(url.toString());
  });
} else {
  describe('EventStore contract: postgres', () => {
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
