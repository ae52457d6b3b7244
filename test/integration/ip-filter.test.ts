import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromFlags } from '../../src/cli/protect.js';
import { startGateway, type RunningGateway } from '../../src/gateway/start.js';
import { startEchoUpstream } from '../helpers/echo-upstream.js';

/** Deny lists judge the client address the gateway resolved: behind a trusted proxy, the X-Forwarded-For client. */
const spec = fileURLToPath(new URL('../fixtures/mini-api.yaml', import.meta.url));
let upstream: Awaited<ReturnType<typeof startEchoUpstream>>;
let gateway: RunningGateway;

beforeAll(async () => {
  upstream = await startEchoUpstream();
  const config = configFromFlags({ to: upstream.url, spec, listen: '127.0.0.1:0', admin: '127.0.0.1:0', store: 'memory' });
  config.trustedProxies = ['127.0.0.1'];
  config.controls['ip-filter'] = { deny: ['203.0.113.0/24'] };
  gateway = await startGateway({ config, logLevel: 'silent' });
});
afterAll(async () => {
  await gateway?.close();
  await upstream?.close();
});

describe('IP deny list through the gateway', () => {
  it('refuses a denied client behind the trusted proxy with 403 problem+json, nothing forwarded', async () => {
    const before = upstream.received.length;
    const res = await fetch(`${gateway.url}/public`, { headers: { 'x-forwarded-for': '203.0.113.5' } });
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect((await res.json() as { rule: string }).rule).toBe('abuse/ip-denied');
    expect(upstream.received.length).toBe(before);
    expect((await fetch(`${gateway.url}/public`, { headers: { 'x-forwarded-for': '198.51.100.5' } })).status).toBe(200);
  });
});
