import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway } from '../../src/gateway/start.js';
import { startEchoUpstream } from '../helpers/echo-upstream.js';
import { runCli } from '../helpers/run-cli.js';

/**
 * The live loop of discovery: a gateway samples its traffic into SQLite, and `portcullis discover
 * --from-store` reads it back, diffed against the spec, with nothing secret in the report.
 */
const spec = fileURLToPath(new URL('../fixtures/traffic-api.yaml', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'portcullis-discover-store-'));
const store = `sqlite:${join(dir, 'portcullis.db')}`;

interface Endpoint { method: string; path: string; status: string; count: number; auth: string[]; dataClasses: string[] }

beforeAll(async () => {
  const upstream = await startEchoUpstream((r) => (r.method === 'GET' && r.url.startsWith('/users/')
    ? { body: JSON.stringify({ id: 7, email: 'jane.doe@example.com', nickname: 'jd' }) }
    : r.method === 'POST' ? { status: 201, body: '{"id":8}' } : undefined));
  const gw = await startGateway({
    config: { listen: '127.0.0.1:0', admin: { listen: '127.0.0.1:0' }, store, upstreams: [{ name: 'api', url: upstream.url, spec }], discovery: { bodySampleRate: 1 } },
    logLevel: 'silent',
  });
  try {
    for (let id = 1; id <= 12; id++) await (await fetch(`${gw.url}/users/${id}`, { headers: { authorization: 'Bearer tok-very-secret-value' } })).text();
    for (let i = 0; i < 3; i++) {
      await (await fetch(`${gw.url}/users`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: `u${i}@example.org`, password: 'hunter2-hunter2', nickname: 'n' }) })).text();
    }
    for (let i = 0; i < 4; i++) await (await fetch(`${gw.url}/internal/debug`)).text();
  } finally {
    await gw.close(); // flushes the samples
    await upstream.close();
  }
}, 30_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('portcullis discover --from-store', () => {
  it('finds the declared and the shadow endpoints the gateway saw', async () => {
    const run = await runCli(['discover', '--from-store', '--store', store, '--spec', spec, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { endpoints: Endpoint[]; sources: { kind: string; records: number }[] };
    const by = (m: string, p: string) => report.endpoints.find((e) => e.method === m && e.path === p);
    expect(by('GET', '/users/{userId}')).toMatchObject({ status: 'declared', count: 12, auth: ['bearer'] });
    expect(by('GET', '/users/{userId}')!.dataClasses).toContain('email');
    expect(by('POST', '/users')).toMatchObject({ status: 'declared', count: 3 });
    expect(by('GET', '/internal/debug')).toMatchObject({ status: 'shadow', count: 4 });
    expect(report.sources).toEqual([expect.objectContaining({ kind: 'store', records: expect.any(Number) })]);
    for (const secret of ['tok-very-secret', 'hunter2', 'jane.doe', '@example.org']) expect(run.stdout).not.toContain(secret);
  });

  it('reads nothing before --since, and says so', async () => {
    const run = await runCli(['discover', '--from-store', '--store', store, '--since', '2999-01-01T00:00:00Z', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { endpoints: Endpoint[]; warnings: string[] };
    expect(report.endpoints).toEqual([]);
    expect(report.warnings.join('\n')).toMatch(/no traffic samples since then/);
  });

  it('refuses a store that does not exist, a memory store, and store flags without --from-store', async () => {
    const missing = await runCli(['discover', '--from-store', '--store', `sqlite:${join(dir, 'nope.db')}`]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/PC_ERR_DISCOVER_READ: no store at/);
    expect((await runCli(['discover', '--from-store', '--store', 'memory'])).stderr).toMatch(/durable store/);
    expect((await runCli(['discover', '--har', 'x.har', '--store', store])).stderr).toMatch(/--store goes with --from-store/);
    expect((await runCli(['discover', '--from-store', '--store', store, '--since', 'yesterday'])).stderr).toMatch(/--since must be/);
  });
});
