import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromFlags } from '../../src/cli/protect.js';
import { startGateway, type RunningGateway } from '../../src/gateway/start.js';
import { withChallenge } from '../../src/solver/index.js';
import { startEchoUpstream } from '../helpers/echo-upstream.js';

/** Two gateway instances sharing one Redis enforce one block list and accept a solved challenge once between them. */
const REDIS_URL = process.env.REDIS_URL;
const spec = fileURLToPath(new URL('../fixtures/flows-api.yaml', import.meta.url));
let upstream: Awaited<ReturnType<typeof startEchoUpstream>>;
const gateways: RunningGateway[] = [];

describe.skipIf(!REDIS_URL)('abuse state shared through Redis', () => {
  beforeAll(async () => {
    upstream = await startEchoUpstream(() => ({ status: 200, body: '{}' }));
    const hmacKey = randomBytes(32).toString('hex');
    for (let i = 0; i < 2; i++) {
      const config = configFromFlags({ to: upstream.url, spec, listen: '127.0.0.1:0', admin: '127.0.0.1:0', store: 'memory', redis: REDIS_URL });
      config.trustedProxies = ['127.0.0.1'];
      config.challenge.hmacKey = hmacKey;
      // Every request needs a challenge: the score threshold is reached by any event at all.
      config.controls.risk = { mode: 'block', challengeAt: 1, blockAt: 1000, weights: { 'test/': 5 } };
      gateways.push(await startGateway({ config, logLevel: 'silent' }));
    }
  });
  afterAll(async () => {
    await Promise.all(gateways.map((g) => g.close()));
    await upstream?.close();
  });

  it('a block set through one instance\'s admin API is enforced by the other, and lifted by it', async () => {
    const [a, b] = gateways as [RunningGateway, RunningGateway];
    const ip = `203.0.113.${Math.floor(Math.random() * 250)}`;
    const key = `ip:${ip}`;
    const made = await fetch(`${a.adminUrl}/api/blocks`, {
      method: 'POST', headers: { authorization: `Bearer ${a.adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ key, seconds: 60 }),
    });
    expect(made.status).toBe(201);
    await until(async () => (await fetch(`${b.url}/items/1`, { headers: { 'x-forwarded-for': ip } })).status === 403);
    const lifted = await fetch(`${b.adminUrl}/api/blocks/${encodeURIComponent(key)}`, { method: 'DELETE', headers: { authorization: `Bearer ${b.adminToken}` } });
    expect(lifted.status).toBe(200);
    await until(async () => (await fetch(`${a.url}/items/1`, { headers: { 'x-forwarded-for': ip } })).status === 200);
  });

  it('a challenge issued by one instance is accepted by the other, once: the replay is refused everywhere', async () => {
    const [a, b] = gateways as [RunningGateway, RunningGateway];
    const ip = '198.51.100.150';
    a.abuse.risk.observe([`ip:${ip}`], 'test/event', 'low');
    b.abuse.risk.observe([`ip:${ip}`], 'test/event', 'low');
    expect((await fetch(`${b.url}/items/7`, { headers: { 'x-forwarded-for': ip } })).status).toBe(428);
    const header = await withChallenge(fetch, `${a.url}/.well-known/portcullis/challenge`, { method: 'GET', path: '/items/7' });
    expect((await fetch(`${b.url}/items/7`, { headers: { 'x-forwarded-for': ip, ...header } })).status).toBe(200);
    expect((await fetch(`${a.url}/items/7`, { headers: { 'x-forwarded-for': ip, ...header } })).status).toBe(428);
    expect((await fetch(`${b.url}/items/7`, { headers: { 'x-forwarded-for': ip, ...header } })).status).toBe(428);
  });
});

async function until(check: () => Promise<boolean>, ms = 3_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
