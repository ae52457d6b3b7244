import { connect } from 'node:net';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shopApiSpecPath } from '../../examples/shop-api/src/server.js';
import { startGateway, type RunningGateway } from '../../src/gateway/start.js';
import { startEchoUpstream, type Received } from '../helpers/echo-upstream.js';

/**
 * The gateway core's acceptance table, against the example API's contract with a recording
 * upstream: what passes arrives byte-identical, what is refused never arrives, and every
 * refusal is an event.
 */
let upstream: Awaited<ReturnType<typeof startEchoUpstream>>;
let gw: RunningGateway;
let monitor: RunningGateway;

beforeAll(async () => {
  upstream = await startEchoUpstream();
  const base = {
    listen: '127.0.0.1:0', admin: { listen: '127.0.0.1:0', token: 'integration-admin-token' }, store: 'memory',
    upstreams: [{ name: 'shop', url: upstream.url, spec: shopApiSpecPath() }],
    limits: { bodyBytes: 4096 },
  };
  gw = await startGateway({ config: { ...base, controls: { 'shadow-endpoint': { mode: 'block' } } }, logLevel: 'silent' });
  monitor = await startGateway({ config: { ...base, mode: 'monitor' }, logLevel: 'silent' });
});
afterAll(async () => {
  await gw?.close();
  await monitor?.close();
  await upstream?.close();
});

async function call(g: RunningGateway, method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<{ status: number; json: Record<string, unknown>; headers: Headers; forwarded: Received[] }> {
  const before = upstream.received.length;
  const res = await fetch(`${g.url}${path}`, { method, body, headers: body ? { 'content-type': 'application/json', ...headers } : headers });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try { json = JSON.parse(text) as Record<string, unknown>; } catch { json = { raw: text }; }
  return { status: res.status, json, headers: res.headers, forwarded: upstream.received.slice(before) };
}

async function eventFor(g: RunningGateway, instance: unknown): Promise<Record<string, unknown> | undefined> {
  const id = String(instance).replace('urn:portcullis:event:', '');
  const res = await fetch(`${g.adminUrl}/api/events?limit=500`, { headers: { authorization: 'Bearer integration-admin-token' } });
  const page = (await res.json()) as { events: Record<string, unknown>[] };
  return page.events.find((e) => e.id === id);
}

describe('valid requests pass unchanged', () => {
  it('forwards a public GET with the canonical target and the configured Host', async () => {
    const r = await call(gw, 'GET', '/api/v2/products?limit=5&q=mug');
    expect(r.status).toBe(200);
    expect(r.forwarded).toHaveLength(1);
    expect(r.forwarded[0]!.url).toBe('/api/v2/products?limit=5&q=mug');
    expect(r.forwarded[0]!.headers.host).toBe(new URL(upstream.url).host);
  });

  it('forwards a valid JSON body byte for byte, framed by Content-Length', async () => {
    const body = '{ "username" : "alice",\n  "password": "pw-\\u00e9" }';
    const r = await call(gw, 'POST', '/api/v2/auth/login', body);
    expect(r.status).toBe(200);
    expect(r.forwarded[0]!.body.toString()).toBe(body);
    expect(r.forwarded[0]!.headers['content-length']).toBe(String(Buffer.byteLength(body)));
    expect(r.forwarded[0]!.headers['transfer-encoding']).toBeUndefined();
  });

  it('strips server banners and adds security headers', async () => {
    const r = await call(gw, 'GET', '/api/health');
    expect(r.headers.get('server')).toBeNull();
    expect(r.headers.get('x-powered-by')).toBeNull();
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('contract violations are refused before the upstream', () => {
  const rows: { name: string; method: string; path: string; body?: string; headers?: Record<string, string>; status: number; rule: string; detail?: RegExp }[] = [
    { name: 'undeclared path', method: 'GET', path: '/api/v2/internal/metrics', status: 404, rule: 'contract/shadow-endpoint' },
    { name: 'undeclared method on a declared path', method: 'DELETE', path: '/api/v2/products', status: 405, rule: 'contract/shadow-endpoint' },
    { name: 'wrong parameter type', method: 'GET', path: '/api/v2/products?limit=abc', status: 400, rule: 'contract/invalid-parameter', detail: /"limit"/ },
    { name: 'parameter above its maximum', method: 'GET', path: '/api/v2/products?limit=100000', status: 400, rule: 'contract/invalid-parameter', detail: /"limit"/ },
    { name: 'undeclared query parameter', method: 'GET', path: '/api/v2/products?_method=DELETE', status: 400, rule: 'contract/invalid-parameter', detail: /"_method"/ },
    { name: 'repeated scalar parameter', method: 'GET', path: '/api/v2/products?limit=1&limit=2', status: 400, rule: 'contract/invalid-parameter' },
    { name: 'undeclared JSON property', method: 'POST', path: '/api/v2/auth/login', body: '{"username":"a","password":"b","isAdmin":true}', status: 400, rule: 'contract/undeclared-property', detail: /isAdmin/ },
    { name: 'duplicate JSON key', method: 'POST', path: '/api/v2/auth/login', body: '{"username":"a","username":"root","password":"b"}', status: 400, rule: 'protocol/body-malformed' },
    { name: '__proto__ key', method: 'POST', path: '/api/v2/auth/login', body: '{"username":"a","password":"b","__proto__":{"x":1}}', status: 400, rule: 'protocol/body-malformed' },
    { name: 'wrong content type', method: 'POST', path: '/api/v2/auth/login', body: 'username=a', headers: { 'content-type': 'text/plain' }, status: 415, rule: 'contract/unsupported-media-type' },
    { name: 'oversized body', method: 'POST', path: '/api/v2/auth/login', body: JSON.stringify({ username: 'a', password: 'x'.repeat(5000) }), status: 413, rule: 'protocol/body-too-large' },
    { name: 'ambiguous encoded slash', method: 'GET', path: '/api/v2/products/1%2f..%2f2', status: 400, rule: 'protocol/path' },
    { name: 'missing credentials on a protected operation', method: 'GET', path: '/api/v2/users/me', status: 401, rule: 'auth/missing-credentials' },
  ];

  it.each(rows)('$name → $status $rule', async (row) => {
    const r = await call(gw, row.method, row.path, row.body, row.headers);
    expect(r.status).toBe(row.status);
    expect(r.headers.get('content-type')).toBe('application/problem+json');
    expect(r.json.rule).toBe(row.rule);
    if (row.detail) expect(String(r.json.detail)).toMatch(row.detail);
    expect(r.forwarded).toHaveLength(0);
    const event = await eventFor(gw, r.json.instance);
    expect(event).toMatchObject({ rule: row.rule, action: 'blocked', method: row.method });
  });

  it('refuses bad framing on the raw socket and closes it, with nothing forwarded', async () => {
    const before = upstream.received.length;
    const raw = await new Promise<string>((resolve) => {
      const s = connect(gw.port, '127.0.0.1', () => s.write('POST /api/v2/auth/login HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: gzip, chunked\r\n\r\n1\r\nZ\r\n0\r\n\r\n'));
      let out = '';
      s.on('data', (d) => { out += d.toString('latin1'); });
      s.on('close', () => resolve(out));
      s.setTimeout(2000, () => s.destroy());
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400 /);
    expect(raw.toLowerCase()).toContain('connection: close');
    expect(upstream.received.length).toBe(before);
  });
});

describe('monitor mode', () => {
  it('lets an undeclared path through and records a flagged event', async () => {
    const r = await call(monitor, 'GET', '/api/v2/internal/metrics');
    expect(r.status).toBe(200);
    expect(r.forwarded).toHaveLength(1);
    await monitor.sink.flush();
    const page = await monitor.store.query({ limit: 50, rule: 'contract/shadow-endpoint' });
    expect(page.events.some((e) => e.action === 'flagged' && e.path === '/api/v2/internal/metrics')).toBe(true);
  });

  it('still refuses protocol-level ambiguity', async () => {
    const r = await call(monitor, 'GET', '/api/v2/products/1%2f..%2f2');
    expect(r.status).toBe(400);
    expect(r.forwarded).toHaveLength(0);
  });
});

describe('identity forwarded upstream', () => {
  it('names an authenticated principal to the upstream and nobody for anonymous callers', async () => {
    const secret = 'integration-suite-hs256-secret-0123456789-abcdef';
    const g = await startGateway({
      config: {
        listen: '127.0.0.1:0', admin: { listen: '127.0.0.1:0' }, store: 'memory',
        upstreams: [{ name: 'shop', url: upstream.url, spec: shopApiSpecPath() }],
        identity: { jwt: { issuers: [{ issuer: 'shop-api', audience: 'shop-api', algorithms: ['HS256'], secret, rolesClaim: 'role' }] } },
      },
      logLevel: 'silent',
    });
    try {
      const token = await new SignJWT({ role: 'user' }).setProtectedHeader({ alg: 'HS256' }).setSubject('42').setIssuer('shop-api')
        .setAudience('shop-api').setIssuedAt().setExpirationTime('5m').sign(new TextEncoder().encode(secret));
      const authed = await call(g, 'GET', '/api/v2/users/me', undefined, { authorization: `Bearer ${token}`, 'x-portcullis-principal': 'jwt:admin' });
      expect(authed.status).toBe(200);
      expect(authed.forwarded[0]!.headers['x-portcullis-principal']).toBe('jwt:42');
      const anonymous = await call(g, 'GET', '/api/v2/products', undefined, { 'x-portcullis-principal': 'jwt:admin' });
      expect(anonymous.status).toBe(200);
      expect(anonymous.forwarded[0]!.headers['x-portcullis-principal']).toBeUndefined();
      expect(anonymous.forwarded[0]!.headers['x-forwarded-for']).toBe('127.0.0.1');
    } finally {
      await g.close();
    }
  });
});

describe('upstream errors', () => {
  it('replaces a 5xx stack trace with a generic problem', async () => {
    const leaky = await startEchoUpstream(() => ({ status: 500, body: JSON.stringify({ error: 'boom', stack: 'Error: boom\n    at handler (/srv/app/server.js:10:5)' }) }));
    const g = await startGateway({ config: { listen: '127.0.0.1:0', admin: { listen: '127.0.0.1:0' }, store: 'memory', upstreams: [{ url: leaky.url, spec: shopApiSpecPath() }] }, logLevel: 'silent' });
    try {
      const res = await fetch(`${g.url}/api/health`);
      const text = await res.text();
      expect(res.status).toBe(502);
      expect(text).not.toContain('server.js');
      expect(JSON.parse(text).rule).toBe('response/error-leak');
    } finally {
      await g.close();
      await leaky.close();
    }
  });

  it('relays a clean 5xx whole, and replaces one too long to scan', async () => {
    const padding = 'x'.repeat(70 * 1024);
    const upstream5xx = await startEchoUpstream((r) => (r.url.includes('limit=1')
      ? { status: 503, body: JSON.stringify({ error: 'busy' }) }
      : { status: 500, body: JSON.stringify({ error: 'busy', padding }) }));
    const g = await startGateway({ config: { listen: '127.0.0.1:0', admin: { listen: '127.0.0.1:0' }, store: 'memory', upstreams: [{ url: upstream5xx.url, spec: shopApiSpecPath() }] }, logLevel: 'silent' });
    try {
      const clean = await fetch(`${g.url}/api/v2/products?limit=1`);
      expect(clean.status).toBe(503);
      expect(await clean.json()).toEqual({ error: 'busy' });
      const big = await fetch(`${g.url}/api/v2/products?limit=2`);
      const text = await big.text();
      expect(big.status).toBe(502);
      expect(text).not.toContain(padding.slice(0, 100));
      expect(JSON.parse(text).rule).toBe('response/error-leak');
    } finally {
      await g.close();
      await upstream5xx.close();
    }
  });

  it('streams a large response byte for byte, with banners stripped and repeated fields kept apart', async () => {
    const large = Array.from({ length: 20_000 }, (_, i) => `{"n":${i}}`).join(',');
    const body = `[${large}]`;
    const big = await startEchoUpstream(() => ({ status: 200, body, headers: { server: 'Leaky/1.0', 'x-powered-by': 'PHP/5', 'set-cookie': 'a=1' } }));
    const g = await startGateway({ config: { listen: '127.0.0.1:0', admin: { listen: '127.0.0.1:0' }, store: 'memory', upstreams: [{ url: big.url, spec: shopApiSpecPath() }] }, logLevel: 'silent' });
    try {
      const res = await fetch(`${g.url}/api/v2/products`);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(body);
      expect(res.headers.get('server')).toBeNull();
      expect(res.headers.get('x-powered-by')).toBeNull();
      expect(res.headers.getSetCookie()).toEqual(['a=1']);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    } finally {
      await g.close();
      await big.close();
    }
  });

  it('answers 502 without upstream details when the upstream is down', async () => {
    const g = await startGateway({ config: { listen: '127.0.0.1:0', admin: { listen: '127.0.0.1:0' }, store: 'memory', upstreams: [{ url: 'http://127.0.0.1:1', spec: shopApiSpecPath() }] }, logLevel: 'silent' });
    try {
      const res = await fetch(`${g.url}/api/health`);
      const text = await res.text();
      expect(res.status).toBe(502);
      expect(text).not.toContain('127.0.0.1:1');
    } finally {
      await g.close();
    }
  });
});
