import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { demoRequests, login } from './attacks.js';
import { routes, shopApiSpecPath, startShopApi, type ShopApi } from './src/server.js';
import { fetchPublicImage, isPublicAddress } from './src/ssrf.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- responses are inspected ad hoc
type Json = any;
interface Res { status: number; headers: Headers; body: Json; text: string }
interface CallOpts { token?: string; json?: unknown; body?: string | FormData; headers?: Record<string, string> }

async function call(api: ShopApi, method: string, path: string, opts: CallOpts = {}): Promise<Res> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token !== undefined) headers.authorization = `Bearer ${opts.token}`;
  let body = opts.body;
  if (opts.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(opts.json);
  }
  const res = await fetch(api.url + path, { method, headers, body: body ?? null });
  const text = await res.text();
  let parsed: Json = undefined;
  try { parsed = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

const started: ShopApi[] = [];
async function start(secure: boolean, jwtSecret?: string): Promise<ShopApi> {
  const api = await startShopApi({ port: 0, secure, ...(jwtSecret === undefined ? {} : { jwtSecret }) });
  started.push(api);
  return api;
}
afterAll(async () => { await Promise.all(started.map((a) => a.close())); });

const SECRET = 'test-only-secret-of-at-least-32-bytes!';
const ALICE = ['alice', 'alice-pass-1'] as const;
const BOB = ['bob', 'bob-pass-2'] as const;
const ROOT = ['root', 'root-pass-3'] as const;
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);

/** Shared, read-mostly instances; tests that change state start their own. */
let vuln: ShopApi;
let sec: ShopApi;
const tok = { vuln: { alice: '', root: '' }, sec: { alice: '', root: '' } };
beforeAll(async () => {
  vuln = await start(false);
  sec = await start(true, SECRET);
  tok.vuln = { alice: await login(vuln.url, ...ALICE), root: await login(vuln.url, ...ROOT) };
  tok.sec = { alice: await login(sec.url, ...ALICE), root: await login(sec.url, ...ROOT) };
});

describe('openapi.yaml', () => {
  const spec = parse(readFileSync(shopApiSpecPath(), 'utf8')) as Json;
  const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];
  const ops: Array<{ key: string; op: Json }> = Object.entries(spec.paths as Record<string, Json>).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m] !== undefined).map((m) => ({ key: `${m.toUpperCase()} ${path}`, op: item[m] })));
  const resolve = (s: Json): Json => (s?.$ref ? spec.components.schemas[String(s.$ref).split('/').pop()!] : s);

  it('parses as OpenAPI 3.1.0 with a loopback server and bearer security', () => {
    expect(spec.openapi).toBe('3.1.0');
    expect(spec.servers).toContainEqual(expect.objectContaining({ url: 'http://127.0.0.1:3000' }));
    expect(spec.security).toEqual([{ bearerAuth: [] }]);
    expect(spec.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  });

  it('documents exactly the routes the server implements (minus the shadow ones), with the same operationIds', () => {
    const implemented = routes.filter((r) => r.shadow !== true).map((r) => `${r.method} ${r.path}`).sort();
    expect(ops.map((o) => o.key).sort()).toEqual(implemented);
    for (const r of routes.filter((x) => x.shadow !== true)) {
      expect(ops.find((o) => o.key === `${r.method} ${r.path}`)!.op.operationId).toBe(r.operationId);
    }
    const shadow = routes.filter((r) => r.shadow === true);
    expect(shadow.map((r) => r.path)).toEqual(['/api/v2/debug/config', '/openapi.json']);
    for (const r of shadow) expect(spec.paths[r.path]).toBeUndefined();
  });

  it('marks public, deprecated and admin operations, and closes every request body', () => {
    const publicOps = ops.filter((o) => Array.isArray(o.op.security) && o.op.security.length === 0).map((o) => o.op.operationId).sort();
    expect(publicOps).toEqual(['confirmPasswordReset', 'getHealth', 'getProduct', 'getProductImage', 'listProducts', 'listProductsV1', 'login', 'requestPasswordReset', 'signup']);
    expect(ops.filter((o) => o.op.deprecated === true).map((o) => o.key).sort()).toEqual(['GET /api/v1/products', 'GET /api/v1/users/{userId}']);
    expect(ops.filter((o) => o.op['x-portcullis-roles']?.includes('admin')).map((o) => o.op.operationId).sort())
      .toEqual(['adminDeleteUser', 'adminListUsers', 'uploadProductImage']);
    const mediaTypes = new Set<string>();
    for (const { op } of ops) {
      expect(op.responses, op.operationId).toBeDefined();
      for (const [type, media] of Object.entries((op.requestBody?.content ?? {}) as Record<string, Json>)) {
        mediaTypes.add(type);
        expect(resolve(media.schema).additionalProperties, `${op.operationId} ${type}`).toBe(false);
      }
    }
    expect([...mediaTypes].sort()).toEqual(['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data']);
    expect(spec.components.schemas.ImageUpload.properties.file).toMatchObject({ format: 'binary', maxLength: 262144 });
  });
});

describe.each([['vulnerable', false], ['secure', true]] as const)('%s mode: legitimate use', (_label, secure) => {
  const api = (): ShopApi => (secure ? sec : vuln);
  const t = (): { alice: string; root: string } => (secure ? tok.sec : tok.vuln);

  it('serves the shopping flow: browse, profile, cart, checkout, orders', async () => {
    expect((await call(api(), 'GET', '/api/health')).body).toEqual({ status: 'ok' });
    const page = await call(api(), 'GET', '/api/v2/products?q=mug&limit=5');
    expect(page.body.items.map((p: Json) => p.name)).toEqual(['Castle mug']);
    const me = await call(api(), 'GET', '/api/v2/users/me', { token: t().alice });
    expect(me.body).toMatchObject({ id: 1, username: 'alice', role: 'user' });
    expect(me.body.passwordHash).toBeUndefined();
    expect((await call(api(), 'POST', '/api/v2/carts/me/items', { token: t().alice, json: { productId: 2, quantity: 1 } })).status).toBe(200);
    const order = await call(api(), 'POST', '/api/v2/checkout', { token: t().alice });
    expect(order.status).toBe(201);
    expect(order.body).toMatchObject({ userId: 1, status: 'paid', total: 12, items: [{ productId: 2, quantity: 1, unitPrice: 12 }] });
    expect((await call(api(), 'GET', `/api/v2/orders/${order.body.id}`, { token: t().alice })).status).toBe(200);
    const mine = await call(api(), 'GET', '/api/v2/orders', { token: t().alice });
    expect(mine.body.every((o: Json) => o.userId === 1)).toBe(true);
  });

  it('passes the legitimate rows of the demo script', async () => {
    const rows = demoRequests.filter((r) => r.expect === 'allowed' && (r.owasp === 'none' || !secure));
    expect(rows.length).toBeGreaterThanOrEqual(10);
    for (const r of rows) {
      const token = r.needs === undefined ? undefined : t()[r.needs === 'admin' ? 'root' : 'alice'];
      const res = await call(api(), r.method, r.path, { ...(token ? { token } : {}), ...(r.headers ? { headers: r.headers } : {}), ...(r.body ? { body: r.body } : {}) });
      expect(res.status, r.name).toBeLessThan(400);
    }
  });
});

describe('API1 broken object level authorization', () => {
  it('lets alice read and overwrite bob only in vulnerable mode', async () => {
    expect((await call(vuln, 'GET', '/api/v2/users/2', { token: tok.vuln.alice })).body.username).toBe('bob');
    expect((await call(vuln, 'GET', '/api/v2/orders/2', { token: tok.vuln.alice })).body.userId).toBe(2);
    expect((await call(sec, 'GET', '/api/v2/users/2', { token: tok.sec.alice })).status).toBe(403);
    expect((await call(sec, 'GET', '/api/v2/orders/2', { token: tok.sec.alice })).status).toBe(403);
    expect((await call(sec, 'PUT', '/api/v2/users/2', { token: tok.sec.alice, json: { email: 'x@evil.test' } })).status).toBe(403);
    const v = await start(false);
    const put = await call(v, 'PUT', '/api/v2/users/2', { token: await login(v.url, ...ALICE), json: { email: 'x@evil.test' } });
    expect(put.body.email).toBe('x@evil.test');
    expect((await call(sec, 'GET', '/api/v2/users/2', { token: tok.sec.root })).status).toBe(200); // admins may
  });
});

describe('API2 broken authentication', () => {
  it('accepts tokens forged with the default secret, and expired tokens, only in vulnerable mode', async () => {
    const forge = (secret: string, exp: number): Promise<string> => new SignJWT({ role: 'admin' }).setProtectedHeader({ alg: 'HS256' })
      .setSubject('1').setIssuer('shop-api').setAudience('shop-api').setIssuedAt(exp - 3600).setExpirationTime(exp).sign(new TextEncoder().encode(secret));
    const now = Math.floor(Date.now() / 1000);
    expect((await call(vuln, 'GET', '/api/v2/admin/users', { token: await forge('secret', now + 600) })).status).toBe(200);
    expect((await call(vuln, 'GET', '/api/v2/users/me', { token: await forge('secret', now - 86_400) })).status).toBe(200);
    expect((await call(sec, 'GET', '/api/v2/users/me', { token: await forge('secret', now + 600) })).status).toBe(401);
    const expired = await call(sec, 'GET', '/api/v2/users/me', { token: await forge(SECRET, now - 86_400) });
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('limits failed logins only in secure mode, and only vulnerable mode tells which part was wrong', async () => {
    const v = await start(false);
    const s = await start(true);
    for (let i = 0; i < 8; i++) expect((await call(v, 'POST', '/api/v2/auth/login', { json: { username: 'bob', password: `guess${i}` } })).body.error).toBe('wrong password');
    expect((await call(v, 'POST', '/api/v2/auth/login', { json: { username: 'nobody', password: 'x' } })).body.error).toBe('unknown user');
    expect(await login(v.url, ...BOB)).toMatch(/^ey/);
    for (let i = 0; i < 5; i++) expect((await call(s, 'POST', '/api/v2/auth/login', { json: { username: 'bob', password: `guess${i}` } })).status).toBe(401);
    const locked = await call(s, 'POST', '/api/v2/auth/login', { json: { username: 'bob', password: BOB[1] } });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await login(s.url, ...ALICE)).toMatch(/^ey/); // the lock is per account
  });

  it('leaks the reset code and allows unlimited guesses only in vulnerable mode', async () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const v = await start(false);
    const code = (await call(v, 'POST', '/api/v2/auth/password-reset', { headers: form, body: 'username=bob' })).body.resetCode as string;
    expect(code).toMatch(/^[0-9]{6}$/);
    for (let i = 0; i < 6; i++) {
      const wrong = String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0');
      expect((await call(v, 'POST', '/api/v2/auth/password-reset/confirm', { json: { username: 'bob', code: wrong, newPassword: 'pwned-123' } })).status).toBe(400);
    }
    expect((await call(v, 'POST', '/api/v2/auth/password-reset/confirm', { json: { username: 'bob', code, newPassword: 'pwned-123' } })).status).toBe(200);
    expect(await login(v.url, 'bob', 'pwned-123')).toMatch(/^ey/);

    const s = await start(true);
    expect((await call(s, 'POST', '/api/v2/auth/password-reset', { json: { username: 'bob' } })).status).toBe(415);
    const req = await call(s, 'POST', '/api/v2/auth/password-reset', { headers: form, body: 'username=bob' });
    expect(req.status).toBe(202);
    expect(req.body.resetCode).toBeUndefined();
    expect((await call(s, 'POST', '/api/v2/auth/password-reset', { headers: form, body: 'username=nobody' })).status).toBe(202);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push((await call(s, 'POST', '/api/v2/auth/password-reset/confirm', { json: { username: 'bob', code: 'abcdef'.slice(0, 6 - String(i).length) + String(i), newPassword: 'pwned-123' } })).status);
    }
    expect(statuses).toEqual([400, 400, 400, 400, 400, 400]); // not even a well-formed code
    const guesses: number[] = [];
    for (let i = 0; i < 6; i++) guesses.push((await call(s, 'POST', '/api/v2/auth/password-reset/confirm', { json: { username: 'bob', code: `00000${i}`, newPassword: 'pwned-123' } })).status);
    // Five wrong codes burn it (a lucky guess among them is a one-in-200 000 chance).
    expect(guesses.slice(0, 4).every((c) => c === 400)).toBe(true);
    expect(guesses[4]).toBe(429);
    expect(guesses[5]).toBe(400);
  });
});

describe('API3 broken object property level authorization', () => {
  it('mass-assigns role and balance only in vulnerable mode', async () => {
    const v = await start(false);
    const alice = await login(v.url, ...ALICE);
    const res = await call(v, 'PUT', '/api/v2/users/1', { token: alice, json: { role: 'admin', balance: 1_000_000 } });
    expect(res.body).toMatchObject({ role: 'admin', balance: 1_000_000 });
    expect((await call(v, 'POST', '/api/v2/auth/signup', { json: { username: 'mallory', email: 'm@x.test', password: 'password1', role: 'admin' } })).body.role).toBe('admin');
    const s = await start(true);
    const salice = await login(s.url, ...ALICE);
    expect((await call(s, 'PUT', '/api/v2/users/1', { token: salice, json: { role: 'admin', balance: 1_000_000 } })).status).toBe(400);
    expect((await call(s, 'GET', '/api/v2/users/me', { token: salice })).body).toMatchObject({ role: 'user', balance: 1000 });
    expect((await call(s, 'PUT', '/api/v2/users/1', { token: salice, json: { displayName: 'Alice' } })).body.displayName).toBe('Alice');
  });

  it('exposes passwordHash and ssn only in vulnerable mode', async () => {
    const v = await call(vuln, 'GET', '/api/v2/users/1', { token: tok.vuln.alice });
    expect(v.body.passwordHash).toMatch(/^scrypt\$/);
    expect(v.body.ssn).toBe('078-05-1120');
    const s = await call(sec, 'GET', '/api/v2/users/1', { token: tok.sec.alice });
    expect(Object.keys(s.body).sort()).toEqual(['balance', 'createdAt', 'displayName', 'email', 'id', 'role', 'username']);
    const admin = await call(sec, 'GET', '/api/v2/admin/users', { token: tok.sec.root });
    expect(admin.text).not.toMatch(/passwordHash|ssn/);
  });
});

describe('API4 unrestricted resource consumption', () => {
  it('serves limit=100000 only in vulnerable mode; every body is capped at 1 MiB', async () => {
    const v = await call(vuln, 'GET', '/api/v2/products?limit=100000');
    expect(v.body.items.length).toBeGreaterThan(200);
    expect((await call(sec, 'GET', '/api/v2/products?limit=100000')).status).toBe(400);
    expect((await call(sec, 'GET', '/api/v2/products?limit=100')).body.items).toHaveLength(100);
    for (const api of [vuln, sec]) {
      const big = await call(api, 'POST', '/api/v2/auth/login', { json: { username: 'a'.repeat(1024 * 1024 + 10), password: 'x' } });
      expect(big.status).toBe(413);
    }
  });
});

describe('API5 broken function level authorization', () => {
  it('lets a plain user call admin operations only in vulnerable mode', async () => {
    expect((await call(vuln, 'GET', '/api/v2/admin/users', { token: tok.vuln.alice })).body).toHaveLength(3);
    expect((await call(sec, 'GET', '/api/v2/admin/users', { token: tok.sec.alice })).status).toBe(403);
    expect((await call(sec, 'DELETE', '/api/v2/admin/users/2', { token: tok.sec.alice })).status).toBe(403);
    const v = await start(false);
    expect((await call(v, 'DELETE', '/api/v2/admin/users/2', { token: await login(v.url, ...ALICE) })).status).toBe(204);
    expect((await call(v, 'GET', '/api/v2/admin/users', { token: await login(v.url, ...ROOT) })).body).toHaveLength(2);
  });

  it('takes product image uploads from anyone, of any type, only in vulnerable mode', async () => {
    const html = (): FormData => { const f = new FormData(); f.append('file', new Blob(['<script>alert(1)</script>'], { type: 'text/html' }), 'x.html'); return f; };
    const png = (extra = false): FormData => {
      const f = new FormData();
      f.append('file', new Blob([PNG], { type: 'image/png' }), 'x.png');
      if (extra) f.append('note', 'hi');
      return f;
    };
    const v = await start(false);
    expect((await call(v, 'POST', '/api/v2/products/1/image', { token: await login(v.url, ...ALICE), body: html() })).status).toBe(201);
    const served = await fetch(`${v.url}/api/v2/products/1/image`);
    expect(served.headers.get('content-type')).toBe('text/html'); // stored XSS on the shop's origin
    const s = await start(true);
    const root = await login(s.url, ...ROOT);
    expect((await call(s, 'POST', '/api/v2/products/1/image', { token: await login(s.url, ...ALICE), body: png() })).status).toBe(403);
    expect((await call(s, 'POST', '/api/v2/products/1/image', { token: root, body: html() })).status).toBe(415);
    expect((await call(s, 'POST', '/api/v2/products/1/image', { token: root, body: png(true) })).status).toBe(400);
    const huge = new FormData();
    huge.append('file', new Blob([PNG, Buffer.alloc(300 * 1024)], { type: 'image/png' }), 'big.png');
    expect((await call(s, 'POST', '/api/v2/products/1/image', { token: root, body: huge })).status).toBe(413);
    const ok = await call(s, 'POST', '/api/v2/products/1/image', { token: root, body: png() });
    expect(ok.body).toMatchObject({ productId: 1, contentType: 'image/png', size: PNG.length });
    expect((await call(s, 'GET', '/api/v2/products/1')).body.imageUrl).toBe('/api/v2/products/1/image');
    expect(Buffer.from(await (await fetch(`${s.url}/api/v2/products/1/image`)).arrayBuffer()).equals(PNG)).toBe(true);
  });
});

describe('API6 unrestricted access to sensitive business flows', () => {
  it('allows bulk sign-ups and checkouts only in vulnerable mode', async () => {
    const signups = async (api: ShopApi): Promise<number[]> => {
      const out: number[] = [];
      for (let i = 0; i < 6; i++) out.push((await call(api, 'POST', '/api/v2/auth/signup', { json: { username: `bot${i}`, email: `bot${i}@x.test`, password: 'password1' } })).status);
      return out;
    };
    const checkouts = async (api: ShopApi): Promise<number[]> => {
      const token = await login(api.url, ...ALICE);
      const out: number[] = [];
      for (let i = 0; i < 6; i++) {
        await call(api, 'POST', '/api/v2/carts/me/items', { token, json: { productId: 1, quantity: 1 } });
        out.push((await call(api, 'POST', '/api/v2/checkout', { token })).status);
      }
      return out;
    };
    const v = await start(false);
    expect(await signups(v)).toEqual([201, 201, 201, 201, 201, 201]);
    expect(await checkouts(v)).toEqual([201, 201, 201, 201, 201, 201]);
    const s = await start(true);
    expect(await signups(s)).toEqual([201, 201, 201, 201, 201, 429]);
    expect(await checkouts(s)).toEqual([201, 201, 201, 201, 201, 429]);
  });

  it('turns a negative quantity into free money only in vulnerable mode', async () => {
    const v = await start(false);
    const token = await login(v.url, ...ALICE);
    expect((await call(v, 'POST', '/api/v2/orders', { token, json: { items: [{ productId: 3, quantity: -10 }] } })).body.total).toBe(-450);
    expect((await call(v, 'GET', '/api/v2/users/me', { token })).body.balance).toBe(1450);
    expect((await call(sec, 'POST', '/api/v2/orders', { token: tok.sec.alice, json: { items: [{ productId: 3, quantity: -10 }] } })).status).toBe(400);
  });
});

describe('API7 SSRF and API10 unsafe consumption', () => {
  let upstream: Server;
  let upstreamUrl: string;
  beforeAll(async () => {
    // Stands in for an internal service (a metadata endpoint); loopback only.
    upstream = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ secret: 'internal-metadata-token', injected: '<img src=x onerror=alert(1)>' }));
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/latest/meta-data`;
  });
  afterAll(() => new Promise<void>((r) => upstream.close(() => r())));

  it('fetches loopback URLs and reflects their JSON only in vulnerable mode', async () => {
    const v = await call(vuln, 'POST', '/api/v2/imports/image', { token: tok.vuln.alice, json: { url: upstreamUrl } });
    expect(v.status).toBe(201);
    expect(v.body.upstream).toEqual({ secret: 'internal-metadata-token', injected: '<img src=x onerror=alert(1)>' });
    for (const url of [upstreamUrl, 'https://127.0.0.1/latest/meta-data', 'https://localhost/x', 'https://[::1]/x', 'https://user:pw@localhost/', 'https://127.0.0.1:8443/']) {
      const s = await call(sec, 'POST', '/api/v2/imports/image', { token: tok.sec.alice, json: { url } });
      expect(s.status, url).toBe(400);
      expect(s.text).not.toContain('internal-metadata-token');
    }
  });

  it('judges resolved addresses at connect time', async () => {
    for (const ip of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1']) {
      expect(isPublicAddress(ip), ip).toBe(false);
    }
    expect(isPublicAddress('93.184.216.34')).toBe(true);
    expect(isPublicAddress('2606:4700::1111')).toBe(true);
    // Skips the URL checks on purpose: the socket's own lookup must refuse what `localhost` resolves to.
    await expect(fetchPublicImage(new URL('https://localhost/x'))).rejects.toMatchObject({ status: 400 });
  });
});

describe('API8 security misconfiguration', () => {
  it('sends stack traces, banners and credentialed wildcard CORS only in vulnerable mode', async () => {
    const headers = { 'content-type': 'application/json', origin: 'https://evil.test' };
    const v = await call(vuln, 'POST', '/api/v2/auth/login', { headers, body: '{"username":' });
    expect(v.status).toBe(500);
    expect(v.body.stack).toMatch(/SyntaxError[\s\S]*at /);
    expect(v.headers.get('x-powered-by')).toBe('Express');
    expect(v.headers.get('access-control-allow-origin')).toBe('https://evil.test');
    expect(v.headers.get('access-control-allow-credentials')).toBe('true');
    const s = await call(sec, 'POST', '/api/v2/auth/login', { headers, body: '{"username":' });
    expect(s.status).toBe(400);
    expect(s.body).toEqual({ error: 'malformed JSON body' });
    expect(s.headers.get('x-powered-by')).toBeNull();
    expect(s.headers.get('access-control-allow-origin')).toBeNull();
    expect(s.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await call(sec, 'POST', '/api/v2/auth/login', { headers: { 'content-type': 'text/plain' }, body: '{}' })).status).toBe(415);
    expect((await call(sec, 'GET', '/api/v2/users/abc', { token: tok.sec.alice })).status).toBe(400);
    const wrongMethod = await call(sec, 'DELETE', '/api/v2/products');
    expect([wrongMethod.status, wrongMethod.headers.get('allow')]).toEqual([405, 'GET']);
  });
});

describe('API9 improper inventory management', () => {
  it('serves the undocumented debug endpoint, with the JWT secret, only in vulnerable mode', async () => {
    expect((await call(vuln, 'GET', '/api/v2/debug/config')).body.jwtSecret).toBe('secret');
    expect((await call(sec, 'GET', '/api/v2/debug/config')).status).toBe(404);
  });

  it('publishes the whole contract at /openapi.json only in vulnerable mode', async () => {
    const v = await call(vuln, 'GET', '/openapi.json');
    expect(v.headers.get('content-type')).toMatch(/^application\/json/);
    expect(v.body.openapi).toBe('3.1.0');
    expect(v.body.paths['/api/v2/admin/users/{userId}'].delete.operationId).toBe('adminDeleteUser');
    expect((await call(sec, 'GET', '/openapi.json')).status).toBe(404);
  });

  it('serves deprecated v1 without auth only in vulnerable mode', async () => {
    const v = await call(vuln, 'GET', '/api/v1/users/2');
    expect(v.body).toMatchObject({ username: 'bob', ssn: '219-09-9999' });
    expect(v.headers.get('deprecation')).toBe('true');
    expect((await call(vuln, 'GET', '/api/v1/products')).text).toContain('Staff voucher');
    expect((await call(sec, 'GET', '/api/v1/users/2')).status).toBe(401);
    expect((await call(sec, 'GET', '/api/v1/users/2', { token: tok.sec.alice })).status).toBe(403);
    const own = await call(sec, 'GET', '/api/v1/users/1', { token: tok.sec.alice });
    expect([own.status, own.body.passwordHash, own.headers.get('sunset')]).toEqual([200, undefined, 'Thu, 31 Dec 2026 23:59:59 GMT']);
    expect((await call(sec, 'GET', '/api/v1/products')).text).not.toContain('Staff voucher');
  });
});

describe('SQL injection', () => {
  it("returns unlisted products for q=' OR 1=1-- only in vulnerable mode", async () => {
    const q = encodeURIComponent("' OR 1=1--");
    const v = await call(vuln, 'GET', `/api/v2/products?q=${q}`);
    expect(v.body.items.map((p: Json) => p.name)).toEqual(expect.arrayContaining(['Staff voucher', 'Siege engine kit']));
    expect((await call(vuln, 'GET', '/api/v2/products')).text).not.toContain('Staff voucher');
    expect((await call(sec, 'GET', `/api/v2/products?q=${q}`)).status).toBe(400);
    expect((await call(sec, 'GET', '/api/v2/products?q=voucher')).body.items).toEqual([]);
    expect((await call(sec, 'GET', '/api/v2/products/9')).status).toBe(404);
  });

  it('dumps the admin hash through the v1 path parameter only in vulnerable mode', async () => {
    const path = '/api/v1/users/' + encodeURIComponent("0 UNION SELECT id, username, email, NULL, password_hash, role, 0, ssn, '' FROM users WHERE role = 'admin'");
    const v = await call(vuln, 'GET', path);
    expect(v.body).toMatchObject({ username: 'root', role: 'admin', passwordHash: expect.stringMatching(/^scrypt\$/) });
    expect((await call(sec, 'GET', path, { token: tok.sec.alice })).status).toBe(400);
  });
});

describe('attacks.ts', () => {
  it('mixes legitimate and attack rows over every path it claims', () => {
    expect(demoRequests.length).toBeGreaterThanOrEqual(15);
    expect(demoRequests.length).toBeLessThanOrEqual(30);
    expect(new Set(demoRequests.map((r) => r.name)).size).toBe(demoRequests.length);
    expect(demoRequests.filter((r) => r.expect === 'blocked').length).toBeGreaterThanOrEqual(10);
    for (const r of demoRequests) expect(r.owasp, r.name).toMatch(/^(none|API([1-9]|10):2023)$/);
  });
});
