import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromFlags } from '../../src/cli/protect.js';
import { startGateway, type RunningGateway } from '../../src/gateway/start.js';
import { startEchoUpstream } from '../helpers/echo-upstream.js';

/** Honeypots and honeytokens convict the caller: the trap answers like an unknown path, then the caller is refused everywhere. */
const spec = fileURLToPath(new URL('../fixtures/mini-api.yaml', import.meta.url));
let upstream: Awaited<ReturnType<typeof startEchoUpstream>>;
let gateway: RunningGateway;

beforeAll(async () => {
  upstream = await startEchoUpstream();
  const config = configFromFlags({ to: upstream.url, spec, listen: '127.0.0.1:0', admin: '127.0.0.1:0', store: 'memory' });
  config.trustedProxies = ['127.0.0.1'];
  config.controls.deception = { honeypots: ['/internal/backup*'], honeytokens: ['pcl_live_canary_0123456789'], blockSec: 1, tarpitMs: 200, probePaths: 'convict' };
  gateway = await startGateway({ config, logLevel: 'silent' });
});
afterAll(async () => {
  await gateway?.close();
  await upstream?.close();
});

const from = (ip: string, extra: Record<string, string> = {}) => ({ headers: { 'x-forwarded-for': ip, ...extra } });

describe('deception', () => {
  it('with probePaths: convict, a probe path answers 404 after the tarpit and convicts the caller for blockSec; others are unaffected', async () => {
    const before = upstream.received.length;
    const t0 = performance.now();
    const probe = await fetch(`${gateway.url}/.env`, from('203.0.113.10'));
    expect(probe.status).toBe(404);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(190);
    expect((await probe.json() as { rule: string }).rule).toBe('deception/probe-path');
    const after = await fetch(`${gateway.url}/public`, from('203.0.113.10'));
    expect(after.status).toBe(403);
    expect((await after.json() as { rule: string }).rule).toBe('abuse/blocked');
    expect((await fetch(`${gateway.url}/public`, from('198.51.100.10'))).status).toBe(200);
    expect(upstream.received.length).toBe(before + 1);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await fetch(`${gateway.url}/public`, from('203.0.113.10'))).status).toBe(200);
  });

  it('configured honeypots (prefixes) and honeytokens convict too', async () => {
    expect((await fetch(`${gateway.url}/internal/backup/2026.tar`, from('203.0.113.11'))).status).toBe(404);
    expect((await fetch(`${gateway.url}/public`, from('203.0.113.11'))).status).toBe(403);
    const token = await fetch(`${gateway.url}/public`, from('203.0.113.12', { authorization: 'Bearer pcl_live_canary_0123456789' }));
    expect(token.status).toBe(401);
    expect((await token.json() as { rule: string }).rule).toBe('deception/honeytoken');
    expect((await fetch(`${gateway.url}/public`, from('203.0.113.12'))).status).toBe(403);
  });

  it('by default a probe path is a trap (404 and an event) that convicts nobody: a load balancer may be every client', async () => {
    const config = configFromFlags({ to: upstream.url, spec, listen: '127.0.0.1:0', admin: '127.0.0.1:0', store: 'memory' });
    const g = await startGateway({ config, logLevel: 'silent' });
    try {
      const probe = await fetch(`${g.url}/.git/config`);
      expect(probe.status).toBe(404);
      expect((await probe.json() as { rule: string }).rule).toBe('deception/probe-path');
      expect((await fetch(`${g.url}/public`)).status).toBe(200);
    } finally {
      await g.close();
    }
  });
});
