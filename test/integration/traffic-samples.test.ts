import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrafficRecord } from '../../src/discovery/sources/record.js';
import { startGateway, type RunningGateway } from '../../src/gateway/start.js';
import { startEchoUpstream } from '../helpers/echo-upstream.js';

/**
 * Discovery's live source: the gateway keeps the metadata of every request in the store, and the
 * bodies of a share of them, with credentials and personal data gone before anything is stored.
 */
const spec = fileURLToPath(new URL('../fixtures/traffic-api.yaml', import.meta.url));
let upstream: Awaited<ReturnType<typeof startEchoUpstream>>;
let all: RunningGateway;
let metadataOnly: RunningGateway;
let off: RunningGateway;

beforeAll(async () => {
  upstream = await startEchoUpstream((r) => (r.method === 'GET' && r.url.startsWith('/users/')
    ? { body: JSON.stringify({ id: 7, email: 'jane.doe@example.com', nickname: 'jd' }) }
    : r.method === 'POST' ? { status: 201, body: '{"id":8}' } : undefined));
  const config = (discovery: Record<string, unknown>) => ({
    listen: '127.0.0.1:0', admin: { listen: '127.0.0.1:0' }, store: 'memory', upstreams: [{ name: 'api', url: upstream.url, spec }], discovery,
  });
  all = await startGateway({ config: config({ bodySampleRate: 1 }), logLevel: 'silent' });
  metadataOnly = await startGateway({ config: config({ bodySampleRate: 0 }), logLevel: 'silent' });
  off = await startGateway({ config: config({ sample: false }), logLevel: 'silent' });
});
afterAll(async () => {
  await all?.close();
  await metadataOnly?.close();
  await off?.close();
  await upstream?.close();
});

async function exercise(g: RunningGateway): Promise<TrafficRecord[]> {
  const secretToken = 'eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXRva2Vu.c2lnbmF0dXJl';
  expect((await fetch(`${g.url}/users/7?api_key=k-123456789-secret`, { headers: { authorization: `Bearer ${secretToken}` } })).status).toBe(200);
  expect((await fetch(`${g.url}/users`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'john.roe@example.org', password: 'hunter2-hunter2', nickname: 'jr' }),
  })).status).toBe(201);
  expect((await fetch(`${g.url}/users/abc`)).status).toBe(400);
  // Shadow endpoints are monitored by default: forwarded, and sampled like any other request.
  expect((await fetch(`${g.url}/internal/debug`)).status).toBe(200);
  await g.traffic?.flush();
  const page = await g.trafficStore!.read({ limit: 100 });
  return page.records;
}

describe('gateway traffic samples', () => {
  it('records every request, refused ones marked, with credentials and personal data gone', async () => {
    const records = await exercise(all);
    expect(records.map((r) => [r.method, r.path, r.status, r.refused ?? false])).toEqual([
      ['GET', '/users/7', 200, false],
      ['POST', '/users', 201, false],
      ['GET', '/users/abc', 400, true],
      ['GET', '/internal/debug', 200, false],
    ]);
    const [get, post] = records as [TrafficRecord, TrafficRecord];
    expect(get.requestHeaders.authorization).toBe('bearer');
    expect(get.query).toEqual({ api_key: '[redacted]' });
    expect(get.responseBody).toEqual({ id: 7, email: '[email]', nickname: 'jd' });
    expect(get.dataClasses).toEqual({ response: ['email'] });
    expect(get.durationMs).toBeGreaterThan(0);
    expect(get.clientIp).toBe('127.0.0.1');
    expect(post.requestBody).toEqual({ email: '[email]', password: '[redacted]', nickname: 'jr' });
    const stored = JSON.stringify(records);
    for (const secret of ['eyJhbGci', 'k-123456789-secret', 'hunter2', 'jane.doe', 'john.roe']) expect(stored).not.toContain(secret);
  });

  it('keeps metadata only when no body is sampled', async () => {
    const records = await exercise(metadataOnly);
    expect(records).toHaveLength(4);
    expect(records.some((r) => r.requestBody !== undefined || r.responseBody !== undefined)).toBe(false);
  });

  it('keeps nothing when sampling is off', async () => {
    expect(off.traffic).toBeUndefined();
    expect(off.trafficStore).toBeUndefined();
  });

  it('reports the samples in /metrics', async () => {
    const text = await (await fetch(`${all.adminUrl}/metrics`, { headers: { authorization: `Bearer ${all.adminToken}` } })).text();
    expect(text).toMatch(/portcullis_traffic_samples_written [1-9]/);
    expect(text).toMatch(/portcullis_traffic_samples_dropped 0/);
  });
});
