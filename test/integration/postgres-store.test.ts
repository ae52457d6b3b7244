import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { shopApiSpecPath } from '../../examples/shop-api/src/server.js';
import { PortcullisError } from '../../src/errors.js';
import { startGateway } from '../../src/gateway/start.js';
import { startEchoUpstream } from '../helpers/echo-upstream.js';

const databaseUrl = process.env.DATABASE_URL;
const schema = `pc_it_${process.pid}`;

afterAll(async () => {
  if (!databaseUrl) return;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
});

describe.skipIf(!databaseUrl)('PostgreSQL event store through the gateway', () => {
  it('records blocked requests in PostgreSQL and serves them on the admin API', async () => {
    const upstream = await startEchoUpstream();
    const url = new URL(databaseUrl!);
    url.searchParams.set('schema', schema);
    const g = await startGateway({
      config: {
        listen: '127.0.0.1:0', admin: { listen: '127.0.0.1:0', token: 'pg-admin-token-0123456789' }, store: url.toString(),
        upstreams: [{ url: upstream.url, spec: shopApiSpecPath() }], controls: { 'shadow-endpoint': { mode: 'block' } },
      },
      logLevel: 'silent',
    });
    try {
      expect(g.store.kind).toBe('postgres');
      const res = await fetch(`${g.url}/api/v2/not-declared`);
      expect(res.status).toBe(404);
      const id = String(((await res.json()) as { instance: string }).instance).replace('urn:portcullis:event:', '');
      let found: { id: string; rule: string } | undefined;
      for (let i = 0; i < 50 && !found; i++) {
        await new Promise((r) => setTimeout(r, 50));
        const page = await (await fetch(`${g.adminUrl}/api/events?rule=contract/shadow-endpoint`, { headers: { authorization: 'Bearer pg-admin-token-0123456789' } })).json() as { events: { id: string; rule: string }[] };
        found = page.events.find((e) => e.id === id);
      }
      expect(found?.rule).toBe('contract/shadow-endpoint');
    } finally {
      await g.close();
      await upstream.close();
    }
  });

  it('fails the start with a clear error (password hidden) when the database is unreachable', async () => {
    const err = await startGateway({
      config: { listen: '127.0.0.1:0', admin: { listen: '127.0.0.1:0' }, store: 'postgres://portcullis:s3cret-pw@127.0.0.1:1/none', upstreams: [{ url: 'http://127.0.0.1:9', spec: shopApiSpecPath() }] },
      logLevel: 'silent',
    }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(PortcullisError);
    expect((err as PortcullisError).code).toBe('PC_ERR_STORE_OPEN');
    expect((err as Error).message).not.toContain('s3cret-pw');
  });
});
