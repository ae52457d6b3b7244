import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoRequests, login } from '../../examples/shop-api/attacks.js';
import { startShopApi, type ShopApi } from '../../examples/shop-api/src/server.js';
import { demoConfig, SHOP_LEDGER } from '../../src/cli/demo.js';
import { startGateway, type RunningGateway } from '../../src/gateway/start.js';

/**
 * The example shop API in its deliberately vulnerable mode, behind the gateway as `npm start`
 * runs it: the exploits of VULNERABILITIES.md that the gateway claims to stop fail, and the
 * shop's normal flows work unchanged. Each exploit is first shown to work against the bare API,
 * so a test here can only pass because the gateway stopped it.
 */
const secret = randomBytes(32).toString('base64url');
let shop: ShopApi;
let gw: RunningGateway;
let alice: string;
let root: string;

beforeAll(async () => {
  shop = await startShopApi({ jwtSecret: secret });
  gw = await startGateway({ config: demoConfig(shop.url, secret, '127.0.0.1:0', '127.0.0.1:0', 'memory'), logLevel: 'silent' });
  alice = await login(gw.url, 'alice', 'alice-pass-1');
  root = await login(gw.url, 'root', 'root-pass-3');
});
afterAll(async () => {
  await gw?.close();
  await shop?.close();
});

interface Reply { status: number; body: Record<string, unknown> & { rule?: string }; text: string }

async function send(base: string, method: string, path: string, opts: { token?: string; json?: unknown; body?: string | FormData; headers?: Record<string, string> } = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.json !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${path}`, { method, headers, body: opts.json !== undefined ? JSON.stringify(opts.json) : opts.body });
  const text = await res.text();
  let body: Reply['body'] = {};
  try { body = JSON.parse(text) as Reply['body']; } catch { /* not JSON */ }
  return { status: res.status, body, text };
}

/** The exploit works on the bare API, and the gateway refuses it with `rule`. */
async function stopped(method: string, path: string, opts: Parameters<typeof send>[3] & { bareToken?: string }, rule: string, status: number): Promise<void> {
  const bare = await send(shop.url, method, path, { ...opts, token: opts.bareToken ?? opts.token });
  expect(bare.status, `bare ${method} ${path}`).toBeLessThan(300);
  const guarded = await send(gw.url, method, path, opts);
  expect(guarded.status, `${method} ${path}`).toBe(status);
  expect(guarded.body.rule, `${method} ${path}`).toBe(rule);
}

async function events(rule: string): Promise<number> {
  await gw.sink.flush();
  return (await gw.store.query({ limit: 1000 })).events.filter((e) => e.rule === rule).length;
}

describe('normal flows pass unchanged', () => {
  it('every legitimate row of the demo script succeeds through the gateway', async () => {
    const tokens = { user: alice, admin: root };
    for (const r of demoRequests.filter((x) => x.owasp === 'none')) {
      const res = await send(gw.url, r.method, r.path, { token: r.needs ? tokens[r.needs] : undefined, body: r.body, headers: r.headers });
      expect(res.status, r.name).toBeLessThan(300);
      expect(res.body.rule, r.name).toBeUndefined();
    }
  });

  it('owners and admins read what is theirs to read', async () => {
    expect((await send(gw.url, 'GET', '/api/v2/users/1', { token: alice })).body.username).toBe('alice');
    expect((await send(gw.url, 'GET', '/api/v2/orders/1', { token: alice })).body.userId).toBe(1);
    expect((await send(gw.url, 'GET', '/api/v2/users/2', { token: root })).body.username).toBe('bob');
    expect((await send(gw.url, 'GET', '/api/v2/orders/2', { token: root })).body.userId).toBe(2);
    const mine = await send(gw.url, 'GET', '/api/v2/orders', { token: alice });
    expect(mine.status).toBe(200);
    expect((mine.body as unknown as { userId: number }[]).every((o) => o.userId === 1)).toBe(true);
  });
});

describe('API1 BOLA (V1–V3): ownership rules', () => {
  it('V1: alice cannot read bob', async () => {
    await stopped('GET', '/api/v2/users/2', { token: alice }, 'access/object-not-owned', 403);
  });

  it('V2: alice cannot overwrite bob, and the write never reaches the API', async () => {
    const before = await send(gw.url, 'GET', '/api/v2/users/2', { token: root });
    const r = await send(gw.url, 'PUT', '/api/v2/users/2', { token: alice, json: { email: 'x@evil.test' } });
    expect(r.status).toBe(403);
    expect(r.body.rule).toBe('access/object-not-owned');
    expect((await send(gw.url, 'GET', '/api/v2/users/2', { token: root })).body.email).toBe(before.body.email);
  });

  it("V3: bob's order is withheld from alice (checked on the response's userId)", async () => {
    await stopped('GET', '/api/v2/orders/2', { token: alice }, 'access/object-not-owned', 403);
    expect(await events('access/object-not-owned')).toBeGreaterThanOrEqual(3);
  });
});

describe('API1 enumeration: the object ledger', () => {
  it('refuses order ids alice was never handed, and admits those from her list and her new order', async () => {
    const base = demoConfig(shop.url, secret, '127.0.0.1:0', '127.0.0.1:0', 'memory') as { controls: Record<string, unknown> };
    const g = await startGateway({ config: { ...base, controls: { ...base.controls, 'object-ledger': { mode: 'block', ...SHOP_LEDGER } } }, logLevel: 'silent' });
    try {
      const token = await login(g.url, 'alice', 'alice-pass-1');
      const first = await send(g.url, 'GET', '/api/v2/orders/1', { token });
      expect(first.status).toBe(404);
      expect(first.body.rule).toBe('access/object-not-seen');
      expect((await send(g.url, 'GET', '/api/v2/orders', { token })).status).toBe(200);
      expect((await send(g.url, 'GET', '/api/v2/orders/1', { token })).status).toBe(200);
      const placed = await send(g.url, 'POST', '/api/v2/orders', { token, json: { items: [{ productId: 1, quantity: 1 }] } });
      expect(placed.status).toBe(201);
      expect((await send(g.url, 'GET', `/api/v2/orders/${String(placed.body.id)}`, { token })).status).toBe(200);
      const guess = await send(g.url, 'GET', '/api/v2/orders/2', { token });
      expect(guess.status).toBe(404);
      expect(guess.body.rule).toBe('access/object-not-seen');
      const adminToken = await login(g.url, 'root', 'root-pass-3');
      expect((await send(g.url, 'GET', '/api/v2/orders/2', { token: adminToken })).status).toBe(200);
    } finally {
      await g.close();
    }
  });
});

describe('API2 broken authentication (V6)', () => {
  it('an expired token is refused, though the bare API accepts it', async () => {
    const expired = await new SignJWT({ role: 'user' }).setProtectedHeader({ alg: 'HS256' }).setSubject('1').setIssuer('shop-api')
      .setAudience('shop-api').setIssuedAt(Math.floor(Date.now() / 1000) - 7200).setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(new TextEncoder().encode(secret));
    await stopped('GET', '/api/v2/users/me', { token: expired }, 'auth/invalid-token', 401);
  });

  it('a token signed with another key (the V5 default secret) is refused', async () => {
    const forged = await new SignJWT({ role: 'admin' }).setProtectedHeader({ alg: 'HS256' }).setSubject('3').setIssuer('shop-api')
      .setAudience('shop-api').setExpirationTime('1h').sign(new TextEncoder().encode('secret'));
    const r = await send(gw.url, 'GET', '/api/v2/admin/users', { token: forged });
    expect(r.status).toBe(401);
  });
});

describe('API3 mass assignment (V9, V10) and excessive data exposure (V8, V11)', () => {
  it('V9: role and balance cannot be written', async () => {
    await stopped('PUT', '/api/v2/users/1', { token: alice, json: { role: 'admin', balance: 1_000_000 } }, 'contract/undeclared-property', 400);
  });

  it('V10: sign-up cannot choose a role', async () => {
    const body = { username: `mallory${Date.now() % 100_000}`, email: 'm@x.test', password: 'password1', role: 'admin' };
    await stopped('POST', '/api/v2/auth/signup', { json: { ...body, username: `${body.username}b` } }, 'contract/undeclared-property', 400);
  });

  it('V11: password hashes and SSNs never reach the client, in profiles, admin lists or sign-up answers', async () => {
    const bare = await send(shop.url, 'GET', '/api/v2/users/1', { token: alice });
    expect(bare.text).toMatch(/passwordHash|ssn/);
    for (const [path, token] of [['/api/v2/users/1', alice], ['/api/v2/users/me', alice], ['/api/v2/admin/users', root]] as const) {
      const r = await send(gw.url, 'GET', path, { token });
      expect(r.status, path).toBe(200);
      expect(r.text, path).not.toMatch(/passwordHash|password_hash|ssn|078-05-1120/);
    }
    const signup = await send(gw.url, 'POST', '/api/v2/auth/signup', { json: { username: `carol${Date.now() % 100_000}`, email: 'c@x.test', password: 'password1' } });
    expect(signup.status).toBe(201);
    expect(signup.text).not.toMatch(/passwordHash|\$2[aby]\$|scrypt/);
    expect(await events('response/excessive-data-exposure')).toBeGreaterThanOrEqual(4);
  });

  it('V8: the password-reset answer does not carry the reset code', async () => {
    const form = { body: 'username=bob', headers: { 'content-type': 'application/x-www-form-urlencoded' } };
    const bare = await send(shop.url, 'POST', '/api/v2/auth/password-reset', form);
    expect(bare.text).toContain('resetCode');
    const r = await send(gw.url, 'POST', '/api/v2/auth/password-reset', form);
    expect(r.status).toBeLessThan(300);
    expect(r.text).not.toContain('resetCode');
  });
});

describe('Injection in free-text fields', () => {
  it('refuses stored XSS in a display name, and keeps a benign one with a heart', async () => {
    const evil = await send(gw.url, 'PUT', '/api/v2/users/1', { token: alice, json: { displayName: '"><svg onload=alert(1)>' } });
    expect(evil.status).toBe(400);
    expect(evil.body.rule).toBe('injection/xss');
    const fine = await send(gw.url, 'PUT', '/api/v2/users/1', { token: alice, json: { displayName: 'Ann <3 coding' } });
    expect(fine.status).toBe(200);
  });

  it("refuses SQL injection in a display name, and keeps O'Brien", async () => {
    const evil = await send(gw.url, 'PUT', '/api/v2/users/1', { token: alice, json: { displayName: "x' UNION SELECT password_hash FROM users--" } });
    expect(evil.status).toBe(400);
    expect(evil.body.rule).toBe('injection/sqli');
    const fine = await send(gw.url, 'PUT', '/api/v2/users/1', { token: alice, json: { displayName: "Siobhan O'Brien" } });
    expect(fine.status).toBe(200);
  });
});

describe('API7 SSRF (V18)', () => {
  // That public URLs pass is checked in src/controls/ssrf-guard: here the vulnerable upstream would fetch them, and tests never leave loopback.
  it('refuses https URLs to loopback, metadata and private addresses in any spelling', async () => {
    for (const url of ['https://127.0.0.1/', 'https://2130706433/', 'https://[::ffff:127.0.0.1]/', 'https://169.254.169.254/latest/meta-data/', 'https://localhost./', 'https://10.0.0.8/']) {
      const r = await send(gw.url, 'POST', '/api/v2/imports/image', { token: alice, json: { url } });
      expect(r.status, url).toBe(400);
      expect(r.body.rule, url).toBe('injection/ssrf');
    }
  });
});

describe('API5 BFLA (V14, V15)', () => {
  it('a user cannot list or delete users, or replace product images', async () => {
    await stopped('GET', '/api/v2/admin/users', { token: alice }, 'access/missing-role', 403);
    const del = await send(gw.url, 'DELETE', '/api/v2/admin/users/2', { token: alice });
    expect(del.status).toBe(403);
    const form = new FormData();
    form.append('file', new Blob([Buffer.from('89504e470d0a1a0a', 'hex')], { type: 'image/png' }), 'x.png');
    const upload = await send(gw.url, 'POST', '/api/v2/products/1/image', { token: alice, body: form });
    expect(upload.status).toBe(403);
    expect(upload.body.rule).toBe('access/missing-role');
  });
});

describe('API2, API4, API6: rate and automation limits on the sensitive flows (V7, V8, V13, V16)', () => {
  // A gateway of its own that believes X-Forwarded-For from loopback, so each case has its own client address.
  let g: RunningGateway;
  beforeAll(async () => {
    g = await startGateway({ config: { ...demoConfig(shop.url, secret, '127.0.0.1:0', '127.0.0.1:0', 'memory'), trustedProxies: ['127.0.0.1'] }, logLevel: 'silent' });
  });
  afterAll(async () => { await g?.close(); });
  const as = (ip: string) => ({ 'x-forwarded-for': ip });
  const signup = (base: string, name: string, headers: Record<string, string> = {}) =>
    send(base, 'POST', '/api/v2/auth/signup', { json: { username: name, email: `${name}@mail.test`, password: 'password-1' }, headers });
  const tryLogin = (base: string, username: string, password: string, headers: Record<string, string> = {}) =>
    send(base, 'POST', '/api/v2/auth/login', { json: { username, password }, headers });

  it('V7: password guessing works on the bare API; through the gateway five failures lock the account', async () => {
    expect((await signup(shop.url, 'victim7')).status).toBe(201);
    for (let i = 0; i < 6; i++) expect((await tryLogin(shop.url, 'victim7', `guess-${i}`)).status).toBe(401);
    expect((await tryLogin(shop.url, 'victim7', 'password-1')).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await tryLogin(g.url, 'victim7', `guess-${i}`, as('198.51.100.7'))).status).toBe(401);
    const locked = await tryLogin(g.url, 'victim7', 'password-1', as('198.51.100.7'));
    expect(locked.status).toBe(429);
    expect(locked.body.rule).toBe('abuse/flow-lockout');
  }, 20_000);

  it('V8: the 6-digit reset code can be guessed without limit on the bare API; through the gateway the sixth guess is refused', async () => {
    expect((await signup(shop.url, 'victim8')).status).toBe(201);
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const reset = await send(shop.url, 'POST', '/api/v2/auth/password-reset', { body: 'username=victim8', headers: form });
    const code = String(reset.body.resetCode);
    const wrong = (n: number) => String((Number(code) + n) % 1_000_000).padStart(6, '0');
    const confirm = (base: string, c: string, headers: Record<string, string> = {}) =>
      send(base, 'POST', '/api/v2/auth/password-reset/confirm', { json: { username: 'victim8', code: c, newPassword: 'password-2' }, headers });
    for (let i = 1; i <= 6; i++) expect((await confirm(shop.url, wrong(i))).status).toBe(400);
    expect((await confirm(shop.url, code)).status).toBe(200);

    expect((await send(g.url, 'POST', '/api/v2/auth/password-reset', { body: 'username=victim8', headers: { ...form, ...as('198.51.100.8') } })).status).toBe(202);
    for (let i = 1; i <= 5; i++) expect((await confirm(g.url, wrong(i), as('198.51.100.8'))).status).toBe(400);
    const locked = await confirm(g.url, wrong(6), as('198.51.100.8'));
    expect(locked.status).toBe(429);
    expect(locked.body.rule).toBe('abuse/flow-lockout');
    // And reset requests themselves: three per account per 15 minutes.
    for (let i = 0; i < 2; i++) expect((await send(g.url, 'POST', '/api/v2/auth/password-reset', { body: 'username=victim8', headers: { ...form, ...as(`198.51.101.${i}`) } })).status).toBe(202);
    const spam = await send(g.url, 'POST', '/api/v2/auth/password-reset', { body: 'username=victim8', headers: { ...form, ...as('198.51.101.9') } });
    expect(spam.status).toBe(429);
    expect(spam.body.rule).toBe('abuse/flow-limit');
  }, 30_000);

  it('V16: bots sign up at will on the bare API; through the gateway the sixth sign-up from one address is refused', async () => {
    for (let i = 0; i < 6; i++) expect((await signup(shop.url, `barebot${i}`)).status).toBe(201);
    for (let i = 0; i < 5; i++) expect((await signup(g.url, `bot${i}`, as('203.0.113.16'))).status).toBe(201);
    const over = await signup(g.url, 'bot5', as('203.0.113.16'));
    expect(over.status).toBe(429);
    expect(over.body.rule).toBe('abuse/flow-limit');
    expect((await signup(g.url, 'human16', as('198.18.16.1'))).status).toBe(201);
  }, 20_000);

  it('V16: checkouts are limited to five per user per minute (the bare API takes a sixth)', async () => {
    const token = await login(g.url, 'bob', 'bob-pass-2');
    const buy = async (base: string) => {
      expect((await send(base, 'POST', '/api/v2/carts/me/items', { token, json: { productId: 1, quantity: 1 } })).status).toBeLessThan(300);
      return send(base, 'POST', '/api/v2/checkout', { token });
    };
    for (let i = 0; i < 6; i++) expect((await buy(shop.url)).status).toBe(201);
    for (let i = 0; i < 5; i++) expect((await buy(g.url)).status).toBe(201);
    const over = await buy(g.url);
    expect(over.status).toBe(429);
    expect(over.body.rule).toBe('abuse/flow-limit');
  }, 20_000);
});
