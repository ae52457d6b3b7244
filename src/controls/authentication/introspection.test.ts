import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TokenIntrospector, type IntrospectionConfig } from './introspection.js';

/** RFC 7662 against a local authorization server whose answers each test sets. */
let server: Server;
let url = '';
let answer: (token: string) => { status?: number; body: string; delayMs?: number } = () => ({ body: '{"active":false}' });
const seen: { auth: string | undefined; body: string; type: string | undefined }[] = [];

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      seen.push({ auth: req.headers.authorization, body, type: req.headers['content-type'] });
      const a = answer(new URLSearchParams(body).get('token') ?? '');
      setTimeout(() => { res.writeHead(a.status ?? 200, { 'content-type': 'application/json' }); res.end(a.body); }, a.delayMs ?? 0);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/introspect`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => { seen.length = 0; });

let clock = 1_700_000_000_000;
const make = (over: Partial<IntrospectionConfig> = {}) => new TokenIntrospector({
  url, clientId: 'gateway', clientSecret: 's3cr:et', timeoutMs: 500, maxBytes: 2048, cacheMaxSec: 60, negativeCacheSec: 10,
  cacheMaxEntries: 100, retryAfterMs: 1000, rolesClaim: 'role', ...over,
}, 30, () => clock);
const sec = () => Math.floor(clock / 1000);

describe('token introspection', () => {
  it('posts the token form-encoded with the client credentials as HTTP Basic, and returns the claims of an active token', async () => {
    answer = () => ({ body: JSON.stringify({ active: true, sub: 'alice', scope: 'orders:read', exp: sec() + 600 }) });
    const r = await make().introspect('opaque-token-1');
    expect(r).toMatchObject({ ok: true, claims: { sub: 'alice', scope: 'orders:read' } });
    expect(seen[0]!.type).toBe('application/x-www-form-urlencoded');
    expect(new URLSearchParams(seen[0]!.body).get('token')).toBe('opaque-token-1');
    expect(Buffer.from(seen[0]!.auth!.replace('Basic ', ''), 'base64').toString()).toBe('gateway:s3cr%3Aet');
  });

  it('refuses an inactive token and reuses that verdict for negativeCacheSec', async () => {
    answer = () => ({ body: '{"active":false}' });
    const i = make();
    expect(await i.introspect('bad')).toMatchObject({ ok: false, reason: 'token not active' });
    expect(await i.introspect('bad')).toMatchObject({ ok: false });
    expect(i.calls).toBe(1);
    clock += 11_000;
    await i.introspect('bad');
    expect(i.calls).toBe(2);
  });

  it('caches an active verdict at most cacheMaxSec and never past the token exp', async () => {
    answer = () => ({ body: JSON.stringify({ active: true, sub: 'a', exp: sec() + 5 }) });
    const i = make({ cacheMaxSec: 60 });
    await i.introspect('t');
    clock += 4_000;
    await i.introspect('t');
    expect(i.calls).toBe(1);
    clock += 2_000; // past exp: asked again, and the server's answer (still exp in the past) is judged
    answer = () => ({ body: JSON.stringify({ active: true, sub: 'a', exp: sec() - 40 }) });
    expect(await i.introspect('t')).toMatchObject({ ok: false, reason: 'expired' });
    expect(i.calls).toBe(2);
    answer = () => ({ body: JSON.stringify({ active: true, sub: 'b' }) });
    const j = make({ cacheMaxSec: 1 });
    await j.introspect('u');
    clock += 1_500;
    await j.introspect('u');
    expect(j.calls).toBe(2);
  });

  it('shares one call among concurrent requests with the same token', async () => {
    answer = () => ({ body: JSON.stringify({ active: true, sub: 'a' }), delayMs: 50 });
    const i = make();
    const all = await Promise.all([i.introspect('same'), i.introspect('same'), i.introspect('same')]);
    expect(all.every((r) => r.ok)).toBe(true);
    expect(i.calls).toBe(1);
  });

  it('checks audience and issuer when configured', async () => {
    answer = () => ({ body: JSON.stringify({ active: true, sub: 'a', aud: ['other'], iss: 'https://as.test' }) });
    expect(await make({ audience: 'orders' }).introspect('t')).toMatchObject({ ok: false, reason: 'claim aud unexpected' });
    expect(await make({ audience: ['x', 'other'], issuer: 'https://as.test' }).introspect('t')).toMatchObject({ ok: true });
    expect(await make({ issuer: 'https://evil.test' }).introspect('t')).toMatchObject({ ok: false, reason: 'claim iss unexpected' });
  });

  it('is unavailable, never a pass, when the server errs, times out, answers oversize or without "active"', async () => {
    for (const [a, why] of [
      [{ status: 500, body: '{}' }, 'answered 500'],
      [{ body: 'not json' }, 'not JSON'],
      [{ body: JSON.stringify({ active: true, pad: 'x'.repeat(4000) }) }, 'larger than'],
      [{ body: JSON.stringify({ sub: 'a' }) }, 'no boolean "active"'],
      [{ body: JSON.stringify({ active: 'true' }) }, 'no boolean "active"'],
      [{ body: '{"active":true}', delayMs: 800 }, 'timed out'],
    ] as const) {
      answer = () => a;
      const r = await make().introspect(`t-${why}`);
      expect(r, why).toMatchObject({ ok: false, unavailable: true });
      expect((r as { reason: string }).reason, why).toContain(why);
    }
  });

  it('after a failure refuses at once for retryAfterMs, then asks again', async () => {
    answer = () => ({ status: 503, body: '' });
    const i = make({ retryAfterMs: 1000 });
    await i.introspect('a');
    answer = () => ({ body: JSON.stringify({ active: true, sub: 'a' }) });
    expect(await i.introspect('b')).toMatchObject({ unavailable: true });
    expect(i.calls).toBe(1);
    clock += 1_001;
    expect(await i.introspect('b')).toMatchObject({ ok: true });
  });

  it('keeps at most cacheMaxEntries verdicts', async () => {
    answer = (t) => ({ body: JSON.stringify({ active: true, sub: t }) });
    const i = make({ cacheMaxEntries: 2 });
    for (const t of ['a', 'b', 'c']) await i.introspect(t);
    await i.introspect('c');
    await i.introspect('b');
    expect(i.calls).toBe(3);
    await i.introspect('a'); // evicted first
    expect(i.calls).toBe(4);
  });

  it('refuses a plain-http endpoint that is not loopback', () => {
    expect(() => make({ url: 'http://as.example.com/introspect' })).toThrow(/must use https/);
  });
});
