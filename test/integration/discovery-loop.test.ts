import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportOpenApi } from '../../src/discovery/export/openapi.js';
import { buildInventory } from '../../src/discovery/inventory/build.js';
import { parseHar } from '../../src/discovery/sources/har.js';
import type { TrafficRecord } from '../../src/discovery/sources/record.js';
import { startGateway, type RunningGateway } from '../../src/gateway/start.js';
import { startEchoUpstream } from '../helpers/echo-upstream.js';

/**
 * Closing the loop (issue 6): the spec reconstructed from a recorded session, put in front of
 * the same traffic with the gateway in monitor mode, yields no contract violation. The upstream
 * answers each replayed request with the response recorded for it.
 */
const har = parseHar(readFileSync(new URL('../../src/discovery/sources/fixtures/discover/session.har', import.meta.url), 'utf8'));
const records = har.records;

let upstream: Awaited<ReturnType<typeof startEchoUpstream>>;
let gateway: RunningGateway;
let current: TrafficRecord | undefined;

/** The request as the client sent it, credentials by their scheme only (a stand-in token). */
function headersOf(r: TrafficRecord): Record<string, string> {
  const h: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.requestHeaders)) {
    if (k === 'authorization') h[k] = v === 'bearer' ? 'Bearer loop-test-token' : v === 'basic' ? 'Basic dTpw' : 'Token loop-test';
    else h[k] = v;
  }
  if (r.requestBody !== undefined) h['content-type'] = 'application/json';
  return h;
}

function target(r: TrafficRecord): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(r.query)) for (const x of typeof v === 'string' ? [v] : v) q.append(k, x);
  const s = q.toString();
  return s ? `${r.path}?${s}` : r.path;
}

async function replay(r: TrafficRecord): Promise<number> {
  current = r;
  const res = await fetch(`${gateway.url}${target(r)}`, { method: r.method, headers: headersOf(r), body: r.requestBody === undefined ? undefined : JSON.stringify(r.requestBody) });
  await res.arrayBuffer();
  return res.status;
}

async function contractEvents(): Promise<Array<{ rule: string; method: string; path: string }>> {
  await gateway.sink.flush();
  const page = await gateway.store.query({ limit: 1000 });
  return page.events.filter((e) => e.rule.startsWith('contract/')).map((e) => ({ rule: e.rule, method: e.method, path: e.path }));
}

beforeAll(async () => {
  const doc = exportOpenApi(await buildInventory(() => records));
  const spec = join(mkdtempSync(join(tmpdir(), 'pc-loop-')), 'reconstructed.json');
  writeFileSync(spec, JSON.stringify(doc));
  upstream = await startEchoUpstream(() => current && {
    status: current.status,
    body: current.responseBody === undefined ? '' : JSON.stringify(current.responseBody),
  });
  gateway = await startGateway({
    config: { mode: 'monitor', listen: '127.0.0.1:0', admin: { listen: '127.0.0.1:0', token: 'loop-test-admin-token' }, store: 'memory', upstreams: [{ name: 'shop', url: upstream.url, spec }] },
    logLevel: 'silent',
  });
});
afterAll(async () => {
  await gateway?.close();
  await upstream?.close();
});

describe('discovery closes the loop through the gateway', () => {
  it('the recorded session, replayed through the reconstructed spec in monitor mode, breaks no contract', async () => {
    expect(records.length).toBe(90);
    for (const r of records) expect(await replay(r), `${r.method} ${r.path}`).toBe(r.status);
    expect(await contractEvents()).toEqual([]);
  });

  it('and the same gateway does flag traffic the session never showed', async () => {
    const base = records[0]!;
    await replay({ ...base, query: { debug: 'true' } });
    await replay({ ...base, method: 'PATCH' });
    expect((await contractEvents()).map((e) => `${e.rule} ${e.method}`).sort()).toEqual(['contract/invalid-parameter GET', 'contract/shadow-endpoint PATCH']);
  });
});
