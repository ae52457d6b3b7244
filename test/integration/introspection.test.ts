import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../../src/gateway/start.js';
import { startEchoUpstream } from '../helpers/echo-upstream.js';

/** Opaque bearer tokens checked by RFC 7662 introspection beside locally verified JWTs. */
const spec = fileURLToPath(new URL('../fixtures/mini-api.yaml', import.meta.url));
const secret = 'introspection-test-secret-0123456789abcdef';
let upstream: Awaited<ReturnType<typeof startEchoUpstream>>;
let as: Server;
let asUp = true;
let asCalls = 0;
let gw: RunningGateway;

beforeAll(async () => {
  as = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      asCalls++;
      if (!asUp) { res.writeHead(503); res.end(); return; }
      const token = new URLSearchParams(body).get('token');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(token === 'opaque-good' ? { active: true, sub: 'alice', scope: 'read', role: ['support'], exp: Math.floor(Date.now() / 1000) + 300 } : { active: false }));
    });
  });
  await new Promise<void>((r) => as.listen(0, '127.0.0.1', r));
  upstream = await startEchoUpstream();
  gw = await startGateway({
    config: {
      listen: '127.0.0.1:0', admin: { listen: '127.0.0.1:0' }, store: 'memory', upstreams: [{ name: 'api', url: upstream.url, spec }],
      identity: {
        jwt: { issuers: [{ issuer: 'local', algorithms: ['HS256'], secret }] },
        introspection: { url: `http://127.0.0.1:${(as.address() as AddressInfo).port}/introspect`, clientId: 'gw', clientSecret: 'gw-secret', retryAfterMs: 0, negativeCacheSec: 0 },
      },
    },
    logLevel: 'silent',
  });
});
afterAll(async () => {
  await gw?.close();
  await upstream?.close();
  await new Promise<void>((r) => as.close(() => r()));
});

const get = (token: string) => fetch(`${gw.url}/users/me`, { headers: { authorization: `Bearer ${token}` } });

describe('OAuth 2.0 token introspection through the gateway', () => {
  it('admits an active opaque token as oauth:<sub>, and refuses an inactive one', async () => {
    const ok = await get('opaque-good');
    expect(ok.status).toBe(200);
    expect(upstream.received.at(-1)?.headers['x-portcullis-principal']).toBe('oauth:alice');
    const bad = await get('opaque-bad');
    expect(bad.status).toBe(401);
    expect(((await bad.json()) as { rule: string }).rule).toBe('auth/invalid-token');
  });

  it('verifies a JWT of a configured issuer locally, without asking the server', async () => {
    const before = asCalls;
    const jwt = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuer('local').setSubject('bob').setExpirationTime('5m').sign(new TextEncoder().encode(secret));
    expect((await get(jwt)).status).toBe(200);
    expect(upstream.received.at(-1)?.headers['x-portcullis-principal']).toBe('jwt:bob');
    expect(asCalls).toBe(before);
  });

  it('answers 503 while the server cannot answer, for tokens it has not vouched for yet', async () => {
    asUp = false;
    try {
      const r = await get('opaque-unknown');
      expect(r.status).toBe(503);
      expect(((await r.json()) as { rule: string }).rule).toBe('auth/introspection-unavailable');
      expect((await get('opaque-good')).status).toBe(200); // still cached
    } finally {
      asUp = true;
    }
  });
});
