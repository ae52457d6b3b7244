import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportOpenApi } from '../../src/discovery/export/openapi.js';
import { discover, type DiscoveryResult } from '../../src/discovery/pipeline.js';
import { parseHar } from '../../src/discovery/sources/har.js';
import type { TrafficRecord } from '../../src/discovery/sources/record.js';
import { startGateway, type RunningGateway } from '../../src/gateway/start.js';
import { loadSpec } from '../../src/openapi/load.js';
import { startEchoUpstream } from '../helpers/echo-upstream.js';
import { recordShopSession, type ShopSession } from '../helpers/shop-session-har.js';

/**
 * Issue 6's "done when" on the example API: a scripted client session recorded as HAR is
 * discovered (every endpoint with the right template, the shadow and zombie ones flagged), and the
 * reconstructed spec is valid and, in front of the same traffic in monitor mode, breaks no contract.
 */
const shopSpec = fileURLToPath(new URL('../../examples/shop-api/openapi.yaml', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'pc-shop-discovery-'));
let session: ShopSession;
let records: TrafficRecord[];
let result: DiscoveryResult;

/** `/api/v2/users/{userId}` and `/api/v2/users/{id}` are one template. */
const shape = (path: string): string => path.replace(/\{[^}]+\}/g, '{}');

beforeAll(async () => {
  session = await recordShopSession();
  records = parseHar(JSON.stringify(session.har)).records;
  result = await discover(() => records, { spec: await loadSpec(shopSpec) });
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('discovering the example API from a recorded session', () => {
  it('finds every declared operation under its template, none of them orphan', async () => {
    const spec = await loadSpec(shopSpec);
    const declared: string[] = [];
    for (const [path, item] of Object.entries(spec.doc.paths as Record<string, Record<string, unknown>>)) {
      for (const m of ['get', 'put', 'post', 'delete', 'patch']) if (item[m]) declared.push(`${m.toUpperCase()} ${shape(path)}`);
    }
    const seen = result.endpoints.filter((e) => e.status !== 'orphan').map((e) => `${e.method} ${shape(e.path)}`);
    expect(seen.sort()).toEqual(expect.arrayContaining(declared.sort()));
    expect(result.endpoints.filter((e) => e.status === 'orphan')).toEqual([]);
    // Names come from the path: products/{productId}, orders/{orderId}.
    expect(result.endpoints.map((e) => e.path)).toContain('/api/v2/orders/{orderId}');
  });

  it('flags the undocumented routes as shadow and the deprecated v1 API as zombie', () => {
    const status = (key: string) => result.endpoints.filter((e) => `${e.method} ${e.path}` === key).map((e) => e.status);
    for (const s of session.shadow) expect(status(s), s).toEqual(['shadow']);
    const v1 = result.endpoints.filter((e) => e.path.startsWith('/api/v1/'));
    expect(v1.length).toBeGreaterThanOrEqual(2);
    for (const e of v1) expect(e.status, `${e.method} ${e.path}`).toBe('zombie');
    expect(result.endpoints.filter((e) => e.status === 'shadow').map((e) => `${e.method} ${e.path}`).sort()).toEqual([...session.shadow].sort());
  });

  it('reconstructs a valid spec that the recorded traffic, replayed through the gateway in monitor mode, does not violate', async () => {
    const file = join(dir, 'reconstructed.json');
    writeFileSync(file, JSON.stringify(exportOpenApi(result.inventory)));
    const loaded = await loadSpec(file);
    expect(loaded.version).toBe('3.1');

    let current: TrafficRecord | undefined;
    const upstream = await startEchoUpstream(() => current && { status: current.status, body: current.responseBody === undefined ? '' : JSON.stringify(current.responseBody) });
    let gateway: RunningGateway | undefined;
    try {
      gateway = await startGateway({
        config: { mode: 'monitor', listen: '127.0.0.1:0', admin: { listen: '127.0.0.1:0', token: 'shop-loop-admin-token' }, store: 'memory', upstreams: [{ name: 'shop', url: upstream.url, spec: file }] },
        logLevel: 'silent',
      });
      const mismatched: string[] = [];
      for (const r of records) {
        current = r;
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(r.requestHeaders)) {
          if (k === 'authorization') headers[k] = v === 'basic' ? 'Basic dTpw' : 'Bearer loop-test-token';
          else if (k === 'cookie') headers[k] = 'sid=loop';
          else if (k !== 'content-length' && k !== 'host') headers[k] = v;
        }
        const q = new URLSearchParams();
        for (const [k, v] of Object.entries(r.query)) for (const x of typeof v === 'string' ? [v] : v) q.append(k, x);
        const body = r.requestBody === undefined ? undefined : JSON.stringify(r.requestBody);
        if (body === undefined) delete headers['content-type'];
        else headers['content-type'] = 'application/json';
        const res = await fetch(`${gateway.url}${r.path}${q.size > 0 ? `?${q}` : ''}`, { method: r.method, headers, body });
        await res.arrayBuffer();
        if (res.status !== r.status) mismatched.push(`${r.method} ${r.path}: ${res.status}, recorded ${r.status}`);
      }
      expect(mismatched).toEqual([]);
      await gateway.sink.flush();
      const events = (await gateway.store.query({ limit: 1000 })).events.filter((e) => e.rule.startsWith('contract/'));
      expect(events.map((e) => `${e.rule} ${e.method} ${e.path}`)).toEqual([]);
      expect(records.length).toBeGreaterThan(60);
    } finally {
      await gateway?.close();
      await upstream.close();
    }
  }, 60_000);
});
