import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JwtIssuerConfig } from '../../config/types.js';
import { isPortcullisError } from '../../errors.js';
import { JwtVerifier } from './jwt-verifier.js';

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

const SECRET = 'a-long-enough-shared-secret-for-hs256-tests';
const JWKS_DEFAULTS: JwtIssuerConfig['jwks'] = { timeoutMs: 1000, cooldownMs: 0, cacheMaxAgeMs: 60_000, maxBytes: 65_536, staleIfErrorMs: 0, retryAfterMs: 0 };
const issuer = (over: Partial<JwtIssuerConfig>): JwtIssuerConfig => ({ issuer: 'https://id.test', algorithms: ['HS256'], rolesClaim: 'role', jwks: JWKS_DEFAULTS, ...over });
const now = (): number => Math.floor(Date.now() / 1000);

function hs(claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}, secret = SECRET): Promise<string> {
  return new SignJWT({ sub: 'u1', ...claims }).setProtectedHeader({ alg: 'HS256', ...header }).setIssuer('https://id.test').setIssuedAt()
    .setExpirationTime(typeof claims.exp === 'number' ? claims.exp : now() + 600).sign(new TextEncoder().encode(secret));
}

/** `alg: none` and other hand-built tokens jose refuses to sign. */
function raw(header: object, payload: object, signature = ''): string {
  const b = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b(header)}.${b(payload)}.${signature}`;
}

describe('JwtVerifier: HS256 and claims', () => {
  const v = new JwtVerifier([issuer({ secret: SECRET, audience: ['shop', 'shop-admin'], requiredClaims: ['sub'] })], 30);

  it('accepts a valid token and returns its claims', async () => {
    const r = await v.verify(await hs({ aud: 'shop' }));
    expect(r.ok && r.payload.sub).toBe('u1');
  });

  it.each<[string, () => Promise<string>, RegExp]>([
    ['a forged signature', () => hs({ aud: 'shop' }, {}, 'another-secret-of-the-same-length-for-forgery'), /signature/],
    ['an expired token (beyond the skew)', () => hs({ aud: 'shop', exp: now() - 60 }), /expired/],
    ['a token not valid yet', () => hs({ aud: 'shop', nbf: now() + 120 }), /nbf/],
    ['the wrong audience', () => hs({ aud: 'billing' }), /aud/],
    ['no audience', () => hs({}), /aud/],
    ['a missing required claim', () => hs({ aud: 'shop', sub: undefined }), /sub/],
    ['alg: none', async () => raw({ alg: 'none' }, { iss: 'https://id.test', sub: 'u1', aud: 'shop', exp: now() + 600 }), /algorithm not allowed/],
    ['an unknown issuer', async () => raw({ alg: 'HS256' }, { iss: 'https://evil.test', exp: now() + 600 }, 'x'), /unknown issuer/],
    ['garbage', async () => 'not.a.jwt', /malformed/],
  ])('refuses %s', async (_name, make, reason) => {
    const r = await v.verify(await make());
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(reason);
  });

  it('accepts a token within the clock skew, and enforces maxTokenAgeSec on iat', async () => {
    expect((await v.verify(await hs({ aud: 'shop', exp: now() - 10 }))).ok).toBe(true);
    const aged = new JwtVerifier([issuer({ secret: SECRET, maxTokenAgeSec: 60 })], 0);
    const old = await new SignJWT({ sub: 'u1' }).setProtectedHeader({ alg: 'HS256' }).setIssuer('https://id.test').setIssuedAt(now() - 3600)
      .setExpirationTime(now() + 600).sign(new TextEncoder().encode(SECRET));
    expect(await aged.verify(old)).toMatchObject({ ok: false, reason: expect.stringMatching(/iat/) });
  });

  it('refuses tokens without exp', async () => {
    const t = await new SignJWT({ sub: 'u1' }).setProtectedHeader({ alg: 'HS256' }).setIssuer('https://id.test').sign(new TextEncoder().encode(SECRET));
    expect(await new JwtVerifier([issuer({ secret: SECRET })], 30).verify(t)).toMatchObject({ ok: false, reason: expect.stringMatching(/exp/) });
  });
});

describe('JwtVerifier: asymmetric keys', () => {
  let pem: string;
  let privateKey: PrivateKey;
  let dir: string;
  beforeAll(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    privateKey = pair.privateKey;
    pem = await exportSPKI(pair.publicKey);
    dir = mkdtempSync(join(tmpdir(), 'pc-jwt-'));
    writeFileSync(join(dir, 'pub.pem'), pem);
  });
  const rs = (header: Record<string, unknown> = {}): Promise<string> =>
    new SignJWT({ sub: 'u2' }).setProtectedHeader({ alg: 'RS256', ...header }).setIssuer('https://id.test').setExpirationTime('10m').sign(privateKey);

  it('verifies RS256 with the configured PEM key', async () => {
    const v = new JwtVerifier([issuer({ algorithms: ['RS256'], publicKeyFile: join(dir, 'pub.pem') })], 30);
    expect((await v.verify(await rs())).ok).toBe(true);
  });

  it('key confusion is impossible: the RSA public key used as an HMAC secret fails, whatever the allow-list', async () => {
    const confused = await hs({}, {}, pem);
    const rsOnly = new JwtVerifier([issuer({ algorithms: ['RS256'], publicKeyFile: join(dir, 'pub.pem') })], 30);
    expect(await rsOnly.verify(confused)).toMatchObject({ ok: false, reason: 'algorithm not allowed' });
    const both = new JwtVerifier([issuer({ algorithms: ['RS256', 'HS256'], secret: SECRET, publicKeyFile: join(dir, 'pub.pem') })], 30);
    expect(await both.verify(confused)).toMatchObject({ ok: false, reason: 'bad signature' });
  });

  it('never follows jku, x5u or an embedded jwk: an attacker-signed token with its own key in the header fails', async () => {
    const attacker = await generateKeyPair('RS256', { extractable: true });
    const jwk = await exportJWK(attacker.publicKey);
    const forged = await new SignJWT({ sub: 'admin' }).setProtectedHeader({ alg: 'RS256', jwk, jku: 'https://evil.test/jwks', x5u: 'https://evil.test/x5u' })
      .setIssuer('https://id.test').setExpirationTime('10m').sign(attacker.privateKey);
    const v = new JwtVerifier([issuer({ algorithms: ['RS256'], publicKeyFile: join(dir, 'pub.pem') })], 30);
    expect(await v.verify(forged)).toMatchObject({ ok: false, reason: 'bad signature' });
  });

  it('a JWKS file with a private or symmetric key is refused at load', async () => {
    const full = await exportJWK(privateKey);
    writeFileSync(join(dir, 'private.jwks'), JSON.stringify({ keys: [full] }));
    writeFileSync(join(dir, 'oct.jwks'), JSON.stringify({ keys: [{ kty: 'oct', k: 'c2VjcmV0' }] }));
    for (const f of ['private.jwks', 'oct.jwks']) {
      let err: unknown;
      try { new JwtVerifier([issuer({ algorithms: ['RS256'], jwksFile: join(dir, f) })], 30); } catch (e) { err = e; }
      expect(isPortcullisError(err) && err.code).toBe('PC_ERR_CONFIG_INVALID');
    }
  });

  it('config errors: asymmetric algorithms need exactly one key source; jwksUrl must be https unless loopback', () => {
    const bad: Partial<JwtIssuerConfig>[] = [
      { algorithms: ['RS256'] },
      { algorithms: ['RS256'], publicKeyFile: join(dir, 'pub.pem'), jwksUrl: 'https://id.test/jwks' },
      { algorithms: ['RS256'], jwksUrl: 'http://id.test/jwks' },
      { algorithms: ['HS256'], secret: SECRET, jwksUrl: 'https://id.test/jwks' },
      { algorithms: ['HS256'] },
    ];
    for (const over of bad) expect(() => new JwtVerifier([issuer(over)], 30), JSON.stringify(over)).toThrow(/.+/);
    expect(() => new JwtVerifier([issuer({ algorithms: ['ES256'], jwksUrl: 'http://127.0.0.1:9/jwks' })], 30)).not.toThrow();
  });
});

describe('JwtVerifier: remote JWKS', () => {
  let server: Server;
  let url: string;
  let body: () => string;
  let status = 200;
  let fetches = 0;
  const keys: Array<{ kid: string; privateKey: PrivateKey; jwk: JWK }> = [];

  beforeAll(async () => {
    for (const kid of ['k1', 'k2']) {
      const pair = await generateKeyPair('ES256', { extractable: true });
      keys.push({ kid, privateKey: pair.privateKey, jwk: { ...(await exportJWK(pair.publicKey)), kid, alg: 'ES256', use: 'sig' } });
    }
    body = () => JSON.stringify({ keys: [keys[0]!.jwk] });
    server = createServer((_req, res) => {
      fetches++;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(status === 200 ? body() : '{}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const es = (kid: string): Promise<string> => new SignJWT({ sub: 'u3' }).setProtectedHeader({ alg: 'ES256', kid }).setIssuer('https://id.test')
    .setExpirationTime('10m').sign(keys.find((k) => k.kid === kid)!.privateKey);
  const verifier = (jwks: Partial<JwtIssuerConfig['jwks']> = {}): JwtVerifier =>
    new JwtVerifier([issuer({ algorithms: ['ES256'], jwksUrl: url, jwks: { ...JWKS_DEFAULTS, ...jwks } })], 30);

  it('picks the key by kid, caches the set, and refetches for a new kid (key rotation)', async () => {
    status = 200;
    body = () => JSON.stringify({ keys: [keys[0]!.jwk] });
    const v = verifier();
    const before = fetches;
    expect((await v.verify(await es('k1'))).ok).toBe(true);
    expect((await v.verify(await es('k1'))).ok).toBe(true);
    expect(fetches - before).toBe(1);
    expect(await v.verify(await es('k2'))).toMatchObject({ ok: false, reason: 'no matching key' });
    body = () => JSON.stringify({ keys: [keys[0]!.jwk, keys[1]!.jwk] });
    expect((await v.verify(await es('k2'))).ok).toBe(true);
  });

  it('fails closed with "unavailable" when the JWKS cannot be fetched, and does not hammer it', async () => {
    status = 503;
    const v = verifier({ retryAfterMs: 60_000 });
    const before = fetches;
    for (let i = 0; i < 5; i++) expect(await v.verify(await es('k1'))).toMatchObject({ ok: false, unavailable: true });
    expect(fetches - before).toBe(1);
    status = 200;
  });

  it('refuses an oversized JWKS response as unavailable', async () => {
    status = 200;
    body = () => JSON.stringify({ keys: [keys[0]!.jwk], padding: 'x'.repeat(5000) });
    const v = verifier({ maxBytes: 1024 });
    expect(await v.verify(await es('k1'))).toMatchObject({ ok: false, unavailable: true });
    body = () => JSON.stringify({ keys: [keys[0]!.jwk] });
  });

  it('staleIfErrorMs keeps the last good set during an outage; without it the stale set is refused', async () => {
    status = 200;
    const strict = verifier({ cacheMaxAgeMs: 1000 });
    const lenient = verifier({ cacheMaxAgeMs: 1000, staleIfErrorMs: 60_000 });
    expect((await strict.verify(await es('k1'))).ok).toBe(true);
    expect((await lenient.verify(await es('k1'))).ok).toBe(true);
    status = 500;
    await new Promise((r) => setTimeout(r, 1100));
    expect(await strict.verify(await es('k1'))).toMatchObject({ ok: false, unavailable: true });
    expect((await lenient.verify(await es('k1'))).ok).toBe(true);
    status = 200;
  });

  it('an unreachable endpoint (nothing listening) is unavailable too', async () => {
    const v = new JwtVerifier([issuer({ algorithms: ['ES256'], jwksUrl: 'http://127.0.0.1:9/jwks', jwks: JWKS_DEFAULTS })], 30);
    expect(await v.verify(await es('k1'))).toMatchObject({ ok: false, unavailable: true });
  });
});

describe('JwtVerifier: verified-token cache', () => {
  it('reuses a verified token without verifying it again, but judges its age on every use', async () => {
    let offset = 0;
    const v = new JwtVerifier([issuer({ secret: SECRET, maxTokenAgeSec: 10 })], 0, { maxAgeSec: 60, maxEntries: 10 }, () => Date.now() + offset);
    const token = await hs({ exp: now() + 600 });
    const first = await v.verify(token);
    offset = 5_000;
    const second = await v.verify(token);
    expect(first.ok && second.ok).toBe(true);
    // The same payload object: the second answer came from the cache, not from jose.
    expect(second.ok && first.ok && second.payload === first.payload).toBe(true);
    offset = 11_000;
    expect(await v.verify(token)).toMatchObject({ ok: false, reason: 'claim iat too old' });
  });

  it('never keeps a token past its exp', async () => {
    const v = new JwtVerifier([issuer({ secret: SECRET })], 0, { maxAgeSec: 3600, maxEntries: 10 });
    const exp = now() + 2;
    const token = await hs({ exp });
    expect((await v.verify(token)).ok).toBe(true);
    await new Promise((r) => setTimeout(r, exp * 1000 - Date.now() + 50));
    expect(await v.verify(token)).toMatchObject({ ok: false, reason: 'expired' });
  });

  it('verifies again after maxAgeSec, never caches a failure, and keeps at most maxEntries', async () => {
    let offset = 0;
    const v = new JwtVerifier([issuer({ secret: SECRET })], 0, { maxAgeSec: 1, maxEntries: 1 }, () => Date.now() + offset);
    const a = await hs({ exp: now() + 600, sub: 'a' });
    const b = await hs({ exp: now() + 600, sub: 'b' });
    const a1 = await v.verify(a);
    offset = 1_500;
    const a2 = await v.verify(a);
    expect(a1.ok && a2.ok && a1.payload !== a2.payload).toBe(true);
    await v.verify(b); // evicts a
    const a3 = await v.verify(a);
    expect(a2.ok && a3.ok && a2.payload !== a3.payload).toBe(true);
    const forged = `${a.slice(0, -3)}xyz`;
    expect((await v.verify(forged)).ok).toBe(false);
    expect((await v.verify(forged)).ok).toBe(false);
  });

  it('is off when maxAgeSec is 0', async () => {
    const v = new JwtVerifier([issuer({ secret: SECRET })], 0, { maxAgeSec: 0, maxEntries: 10 });
    const t = await hs({ exp: now() + 600 });
    const x = await v.verify(t);
    const y = await v.verify(t);
    expect(x.ok && y.ok && x.payload !== y.payload).toBe(true);
  });
});
