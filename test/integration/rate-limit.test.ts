import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromFlags } from '../../src/cli/protect.js';
import { startGateway, type RunningGateway } from '../../src/gateway/start.js';
import { startEchoUpstream } from '../helpers/echo-upstream.js';

/** Rate limits as a user switches them on: `--rate-limit` per caller, and a concurrency cap from the config. */
const spec = fileURLToPath(new URL('../fixtures/mini-api.yaml', import.meta.url));
let upstream: Awaited<ReturnType<typeof startEchoUpstream>>;
let limited: RunningGateway;
let capped: RunningGateway;
let slow: Server;
const held: (() => void)[] = [];
const release = (): void => { for (const r of held.splice(0)) r(); };

beforeAll(async () => {
  upstream = await startEchoUpstream();
  // An upstream that answers `?limit=9` only when the test says so: a request held in flight.
  slow = createServer((req, res) => {
    const answer = (): void => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{}'); };
    if (req.url?.includes('limit=9')) held.push(answer); else answer();
  });
  await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
  const slowUrl = `http://127.0.0.1:${(slow.address() as AddressInfo).port}`;
  const flags = { to: upstream.url, spec, listen: '127.0.0.1:0', admin: '127.0.0.1:0', store: 'memory', 'rate-limit': '3/min' };
  limited = await startGateway({ config: configFromFlags(flags), logLevel: 'silent' });
  const config = configFromFlags({ to: slowUrl, spec, listen: '127.0.0.1:0', admin: '127.0.0.1:0', store: 'memory' });
  config.controls['rate-limit'] = { concurrency: { perPrincipal: 1 } };
  capped = await startGateway({ config, logLevel: 'silent' });
});
afterAll(async () => {
  release();
  await new Promise<void>((r) => slow?.close(() => r()));
  await limited?.close();
  await capped?.close();
  await upstream?.close();
});

describe('rate limits through the gateway', () => {
  it('--rate-limit: the caller over its rate gets 429 with Retry-After and RateLimit fields, nothing reaches the upstream', async () => {
    const remaining: (string | null)[] = [];
    for (let i = 0; i < 3; i++) {
      const ok = await fetch(`${limited.url}/public`);
      expect(ok.status).toBe(200);
      expect(ok.headers.get('ratelimit-policy')).toBe('"per-principal";q=3;w=60');
      remaining.push(ok.headers.get('ratelimit'));
    }
    // Allowed answers say how much is left, so a client can slow down before it is refused.
    expect(remaining.map((r) => /;r=(\d+);t=\d+$/.exec(r ?? '')?.[1])).toEqual(['2', '1', '0']);
    const before = upstream.received.length;
    const res = await fetch(`${limited.url}/public`);
    expect(res.status).toBe(429);
    const problem = await res.json() as { rule: string; instance: string };
    expect(problem.rule).toBe('abuse/rate-limit');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(res.headers.get('ratelimit-policy')).toBe('"per-principal";q=3;w=60');
    expect(res.headers.get('ratelimit')).toMatch(/^"per-principal";r=0;t=\d+$/);
    expect(upstream.received.length).toBe(before);
    // The refusal is a recorded decision.
    const metrics = await (await fetch(`${limited.adminUrl}/metrics`)).text();
    expect(metrics).toMatch(/portcullis_control_decisions_total\{control="rate-limit",rule="abuse\/rate-limit",outcome="blocked"\} 1/);
  });

  it('a concurrency cap refuses a second request in flight and frees the slot when the first ends', async () => {
    const first = fetch(`${capped.url}/public?limit=9`);
    while (held.length === 0) await new Promise((r) => setTimeout(r, 10));
    const second = await fetch(`${capped.url}/public`);
    expect(second.status).toBe(429);
    expect((await second.json() as { rule: string }).rule).toBe('abuse/concurrency');
    expect(second.headers.get('retry-after')).toBe('1');
    release();
    expect((await first).status).toBe(200);
    await new Promise((r) => setTimeout(r, 50));
    expect((await fetch(`${capped.url}/public`)).status).toBe(200);
  });

  it('with Redis unreachable, keeps limiting in memory and counts the fallbacks in /metrics', async () => {
    const flags = { to: upstream.url, spec, listen: '127.0.0.1:0', admin: '127.0.0.1:0', store: 'memory', 'rate-limit': '2/min', redis: 'redis://127.0.0.1:1' };
    const g = await startGateway({ config: configFromFlags(flags), logLevel: 'silent' });
    try {
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await fetch(`${g.url}/public`)).status);
      expect(statuses).toEqual([200, 200, 429]);
      const metrics = await (await fetch(`${g.adminUrl}/metrics`)).text();
      expect(Number(/portcullis_rate_limit_redis_fallbacks_total (\d+)/.exec(metrics)?.[1])).toBeGreaterThanOrEqual(3);
      // And an event says the limits are per instance for now (once, not once a request).
      let degraded: { rule: string; action: string }[] = [];
      for (let i = 0; i < 50 && degraded.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 20));
        const page = await (await fetch(`${g.adminUrl}/api/events?rule=abuse/rate-limit-store-unavailable`, { headers: { authorization: `Bearer ${g.adminToken}` } })).json() as { events: { rule: string; action: string }[] };
        degraded = page.events;
      }
      expect(degraded).toHaveLength(1);
      expect(degraded[0]!.action).toBe('flagged');
    } finally {
      await g.close();
    }
  });

  it('keeps in-memory counters across a reload of the same limits (a reload hands out no fresh allowance)', async () => {
    const flags = { to: upstream.url, spec, listen: '127.0.0.1:0', admin: '127.0.0.1:0', store: 'memory', 'rate-limit': '2/min' };
    const g = await startGateway({ config: configFromFlags(flags), logLevel: 'silent' });
    try {
      expect([(await fetch(`${g.url}/public`)).status, (await fetch(`${g.url}/public`)).status]).toEqual([200, 200]);
      await g.reload(configFromFlags(flags));
      expect((await fetch(`${g.url}/public`)).status).toBe(429);
      // A changed limit is a new bucket.
      await g.reload(configFromFlags({ ...flags, 'rate-limit': '5/min' }));
      expect((await fetch(`${g.url}/public`)).status).toBe(200);
    } finally {
      await g.close();
    }
  });
});
