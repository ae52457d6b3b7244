import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, it } from 'vitest';
import { trafficStoreContract } from './contract/traffic-store.contract.js';
import { createMemoryTrafficStore } from './memory/traffic-store.js';
import { openTrafficStore } from './open.js';
import { createSqliteTrafficStore } from './sqlite/traffic-store.js';

trafficStoreContract('memory', async (max) => createMemoryTrafficStore(max));

const dir = mkdtempSync(join(tmpdir(), 'portcullis-traffic-'));
let n = 0;
trafficStoreContract('sqlite', async (max) => createSqliteTrafficStore(join(dir, `traffic-${n++}.db`), max));

const databaseUrl = process.env.DATABASE_URL;
const schemas: string[] = [];
if (databaseUrl) {
  trafficStoreContract('postgres', async (max) => {
    const schema = `pc_traffic_${process.pid}_${schemas.length}`;
    schemas.push(schema);
    const url = new URL(databaseUrl);
    url.searchParams.set('schema', schema);
    return openTrafficStore(url.toString(), { maxRecords: max });
  });
} else {
  describe('TrafficStore contract: postgres', () => {
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
