import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromFlags } from '../../src/cli/protect.js';
import { startGateway, type RunningGateway } from '../../src/gateway/start.js';
import { withChallenge } from '../../src/solver/index.js';
import { startEchoUpstream } from '../helpers/echo-upstream.js';

/**
 * The stepped response: events raise a caller's risk score; past challengeAt it must solve
 * proof-of-work challenges, at blockAt it is blocked (the admin API lists and lifts blocks);
 * enumeration walks are reported (monitor) or refused (block).
 */
const spec = fileURLToPath(new URL('../fixtures/flows-api.yaml', import.meta.url));
let upstream: Awaited<ReturnType<typeof startEchoUpstream>>;
let gateway: RunningGateway;

beforeAll(async () => {
  upstream = await startEchoUpstream((r) => {
    const id = /^\/items\/(\d+)$/.exec(r.url)?.[1];
    if (id !== undefined) return { status: Number(id) <= 50 ? 200 : 404, body: '{}' };
    return { status: 200, body: '{}' };
  });
  const config = configFromFlags({ to: upstream.url, spec, listen: '127.0.0.1:0', admin: '127.0.0.1:0', store: 'memory' });
  config.trustedProxies = ['127.0.0.1'];
  config.controls.risk = { mode: 'block', challengeAt: 20, blockAt: 60, blockSec: 120 };
  config.controls.enumeration = { sequentialRun: 10, minRequests: 10 };
  gateway = await startGateway({ config, logLevel: 'silent' });
});
afterAll(async () => {
  await gateway?.close();
  await upstream?.close();
});

const from = (ip: string, extra: Record<string, string> = {}) => ({ headers: { 'x-forwarded-for': ip, ...extra } });
const sqli = (ip: string) => fetch(`${gateway.url}/login`, {
  method: 'POST', headers: { 'x-forwarded-for': ip, 'content-type': 'application/json' },
  body: JSON.stringify({ username: "admin' OR '1'='1' --", password: 'x' }),
});
const admin = (path: string, init: RequestInit = {}) => fetch(`${gateway.adminUrl}${path}`, {
  ...init, headers: { authorization: `Bearer ${gateway.adminToken}`, 'content-type': 'application/json', ...(init.headers as Record<string, string> | undefined) },
});

describe('risk score', () => {
  it('attacks raise the score: a challenge first (a solved one lets the request through), then a block the admin API lists and lifts', async () => {
    const ip = '203.0.113.77';
    for (let i = 0; i < 3; i++) expect((await sqli(ip)).status).toBe(400);
    // 3 high-severity findings (8 points each) pass challengeAt 20: even a harmless request needs proof of work now.
    const asked = await fetch(`${gateway.url}/items/1`, from(ip));
    expect(asked.status).toBe(428);
    const header = await withChallenge(fetch, `${gateway.url}/.well-known/portcullis/challenge`, { method: 'GET', path: '/items/1' });
    expect((await fetch(`${gateway.url}/items/1`, from(ip, header))).status).toBe(200);
    // A neighbour is not concerned.
    expect((await fetch(`${gateway.url}/items/1`, from('203.0.113.78'))).status).toBe(200);

    // More attacks (now each also needs a challenge, so they stop at 428 and count a point each) until blockAt.
    for (let i = 0; i < 40; i++) await sqli(ip);
    const blocked = await fetch(`${gateway.url}/items/1`, from(ip));
    expect(blocked.status).toBe(403);
    expect((await blocked.json() as { rule: string }).rule).toBe('abuse/blocked');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(100);

    const offenders = await (await admin('/api/offenders')).json() as { offenders: { key: string; score: number; blocked: string | null }[] };
    const me = offenders.offenders.find((o) => o.key === `ip:${ip}`);
    expect(me?.blocked).not.toBeNull();
    const blocks = await (await admin('/api/blocks')).json() as { blocks: { key: string; reason: string }[] };
    expect(blocks.blocks.find((b) => b.key === `ip:${ip}`)?.reason).toMatch(/^risk\/score/);

    expect((await admin(`/api/blocks/${encodeURIComponent(`ip:${ip}`)}`, { method: 'DELETE' })).status).toBe(200);
    expect((await fetch(`${gateway.url}/items/1`, from(ip))).status).toBe(200);
    expect((await admin(`/api/blocks/${encodeURIComponent(`ip:${ip}`)}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('an admin blocks a caller by key, with a reason and a duration; bad input is refused with a clear error', async () => {
    const ip = '203.0.113.90';
    const made = await admin('/api/blocks', { method: 'POST', body: JSON.stringify({ key: `ip:${ip}`, seconds: 60, reason: 'scraper' }) });
    expect(made.status).toBe(201);
    expect((await made.json() as { reason: string }).reason).toBe('admin: scraper');
    expect((await fetch(`${gateway.url}/items/2`, from(ip))).status).toBe(403);
    for (const body of [{ key: 'ip:not-an-ip' }, { key: 'nokind' }, { key: `ip:${ip}`, seconds: 0 }, { key: `ip:${ip}`, extra: 1 }]) {
      const bad = await admin('/api/blocks', { method: 'POST', body: JSON.stringify(body) });
      expect(bad.status).toBe(400);
      expect((await bad.json() as { detail: string }).detail.length).toBeGreaterThan(5);
    }
    expect((await fetch(`${gateway.adminUrl}/api/blocks`)).status).toBe(401);
  });
});

describe('challenge endpoint', () => {
  const challengeAt = (ip: string, query: string) => fetch(`${gateway.url}/.well-known/portcullis/challenge${query}`, from(ip));

  it('issues at the level the caller\'s risk score calls for, and refuses what cannot be a request', async () => {
    const calm = await challengeAt('198.51.100.200', '?method=POST&path=/login');
    expect(calm.status).toBe(200);
    expect(calm.headers.get('cache-control')).toBe('no-store');
    expect((await calm.json() as { parameters: { data: { level: number } } }).parameters.data.level).toBe(1);
    gateway.abuse.risk.observe(['ip:198.51.100.201'], 'test/critical', 'critical');
    gateway.abuse.risk.observe(['ip:198.51.100.201'], 'test/critical', 'critical');
    const risky = await challengeAt('198.51.100.201', '?method=POST&path=/login');
    expect((await risky.json() as { parameters: { data: { level: number } } }).parameters.data.level).toBe(3);
    for (const q of ['', '?method=POST', '?method=POST&path=login', '?method=P%20ST&path=/login']) expect((await challengeAt('198.51.100.200', q)).status, q).toBe(400);
    expect((await fetch(`${gateway.url}/.well-known/portcullis/challenge`, { method: 'POST', ...from('198.51.100.200') })).status).toBe(405);
  });

  it('bounds issuing per address (each costs the gateway a key derivation)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) statuses.push((await challengeAt('198.51.100.202', '?method=GET&path=/items/1')).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(60);
    const over = await challengeAt('198.51.100.202', '?method=GET&path=/items/1');
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('serves the ALTCHA widget from the gateway; the demo page only when challenge.demoPage is set', async () => {
    const widget = await fetch(`${gateway.url}/.well-known/portcullis/challenge/altcha.js`);
    expect(widget.status).toBe(200);
    expect(widget.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await widget.text()).length).toBeGreaterThan(10_000);
    expect((await fetch(`${gateway.url}/.well-known/portcullis/challenge/demo`)).status).toBe(404);
    const config = configFromFlags({ to: upstream.url, spec, listen: '127.0.0.1:0', admin: '127.0.0.1:0', store: 'memory' });
    config.challenge.demoPage = true;
    const g = await startGateway({ config, logLevel: 'silent' });
    try {
      const page = await fetch(`${g.url}/.well-known/portcullis/challenge/demo?method=GET&path=/items/1`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
      const html = await page.text();
      expect(html).toContain('<altcha-widget');
      expect(html).toContain('data-path="/items/1"');
    } finally {
      await g.close();
    }
  });
});

describe('enumeration', () => {
  it('a sequential id walk is reported once per window (monitor); the walker is not refused', async () => {
    const ip = '198.51.100.60';
    for (let id = 1; id <= 15; id++) expect((await fetch(`${gateway.url}/items/${id}`, from(ip))).status).toBe(200);
    await gateway.sink.flush();
    const page = await gateway.store.query({ rule: 'abuse/enumeration', limit: 50 });
    const mine = page.events.filter((e) => e.clientIp === ip);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.action).toBe('flagged');
    expect(mine[0]!.evidence.sequential).toBe(10);
  });

  it('in block mode, guessing ids that answer 404 is refused for the rest of the window', async () => {
    const config = configFromFlags({ to: upstream.url, spec, listen: '127.0.0.1:0', admin: '127.0.0.1:0', store: 'memory' });
    config.controls.enumeration = { mode: 'block', minRequests: 10, notFoundRatio: 0.5, sequentialRun: 1000 };
    const g = await startGateway({ config, logLevel: 'silent' });
    try {
      const statuses: number[] = [];
      // Random ids above 50 (404s), not a walk: only the miss ratio can catch it.
      for (const id of [91, 377, 612, 150, 808, 93, 444, 270, 999, 555, 123, 701]) statuses.push((await fetch(`${g.url}/items/${id}`)).status);
      expect(statuses.slice(0, 10).every((s) => s === 404)).toBe(true);
      expect(statuses.slice(10)).toEqual([429, 429]);
      expect((await fetch(`${g.url}/items/3`)).status).toBe(429);
    } finally {
      await g.close();
    }
  });
});
