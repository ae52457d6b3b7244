import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromFlags } from '../../src/cli/protect.js';
import { startGateway, type RunningGateway } from '../../src/gateway/start.js';
import { startEchoUpstream } from '../helpers/echo-upstream.js';

/**
 * Rate limits shared through Redis by several gateways, and a Redis that goes away mid-run. The
 * test starts its own redis-server on a free loopback port (so stopping it disturbs nothing else).
 */
const spec = fileURLToPath(new URL('../fixtures/mini-api.yaml', import.meta.url));
const hasRedis = spawnSync('redis-server', ['--version']).status === 0 && spawnSync('redis-cli', ['--version']).status === 0;
let upstream: Awaited<ReturnType<typeof startEchoUpstream>>;
let redis: ChildProcess | undefined;
let redisUrl = '';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address() as { port: number }; s.close(() => resolve(port)); });
  });
}

async function startRedis(): Promise<void> {
  const port = await freePort();
  redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  redisUrl = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (spawnSync('redis-cli', ['-p', String(port), 'ping']).stdout?.toString().trim() === 'PONG') return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('redis-server did not start');
}

describe.skipIf(!hasRedis)('rate limits shared through Redis', () => {
  beforeAll(async () => {
    upstream = await startEchoUpstream();
    await startRedis();
  });
  afterAll(async () => {
    redis?.kill('SIGKILL');
    await upstream?.close();
  });

  const gateway = (rate: string): Promise<RunningGateway> => {
    const config = configFromFlags({ to: upstream.url, spec, listen: '127.0.0.1:0', admin: '127.0.0.1:0', store: 'memory', redis: redisUrl });
    config.controls['rate-limit'] = { limits: [{ name: `global-${rate}`, key: 'global', rate }] };
    return startGateway({ config, logLevel: 'silent' });
  };

  it('two gateways enforce one global limit together, then each limits alone in memory once Redis is gone (with an event)', async () => {
    const [a, b] = await Promise.all([gateway('20/min'), gateway('20/min')]);
    try {
      let passed = 0;
      for (let i = 0; i < 40; i++) if ((await fetch(`${(i % 2 ? a : b).url}/public`)).status === 200) passed++;
      // One shared bucket: 20 of 40, not 20 per gateway.
      expect(passed).toBe(20);

      redis!.kill('SIGKILL');
      await new Promise((r) => setTimeout(r, 300));
      // Each instance now limits on its own, in memory (a fresh bucket of 20), never open.
      const alone: number[] = [];
      for (let i = 0; i < 25; i++) alone.push((await fetch(`${a.url}/public`)).status);
      expect(alone.filter((s) => s === 200)).toHaveLength(20);
      expect(alone.slice(20).every((s) => s === 429)).toBe(true);
      const metrics = await (await fetch(`${a.adminUrl}/metrics`)).text();
      expect(Number(/portcullis_rate_limit_redis_fallbacks_total (\d+)/.exec(metrics)?.[1])).toBeGreaterThanOrEqual(25);
      const events = await (await fetch(`${a.adminUrl}/api/events?rule=abuse/rate-limit-store-unavailable`, { headers: { authorization: `Bearer ${a.adminToken}` } })).json() as { events: unknown[] };
      expect(events.events.length).toBeGreaterThanOrEqual(1);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
