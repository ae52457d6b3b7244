import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../../src/gateway/start.js';
import { startEchoUpstream } from '../helpers/echo-upstream.js';

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

/** Bearer tokens checked against an issuer's JWKS; when the keys cannot be had, 503, never a pass. */
const spec = fileURLToPath(new URL('../fixtures/mini-api.yaml', import.meta.url));
let upstream: Awaited<ReturnType<typeof startEchoUpstream>>;
let jwksServer: Server;
let jwksStatus = 200;
let jwksBody = '';
let privateKey: PrivateKey;
let gw: RunningGateway;

beforeAll(async () => {
  const pair = await generateKeyPair('ES256', { extractable: true });
  privateKey = pair.privateKey;
  jwksBody = JSON.stringify({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256' }] });
  jwksServer = createServer((_req, res) => { res.writeHead(jwksStatus, { 'content-type': 'application/json' }); res.end(jwksStatus === 200 ? jwksBody : ''); });
  await new Promise<void>((r) => jwksServer.listen(0, '127.0.0.1', r));
  upstream = await startEchoUpstream();
  gw = await startGateway({
    config: {
      listen: '127.0.0.1:0', admin: { listen: '127.0.0.1:0' }, store: 'memory',
      upstreams: [{ name: 'api', url: upstream.url, spec }],
      identity: {
        jwt: {
          issuers: [{
            issuer: 'https://id.test', audience: 'mini', algorithms: ['ES256'],
            jwksUrl: `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks`,
            jwks: { cacheMaxAgeMs: 1000, retryAfterMs: 0 },
          }],
        },
      },
    },
    logLevel: 'silent',
  });
});
afterAll(async () => {
  await gw?.close();
  await upstream?.close();
  await new Promise<void>((r) => jwksServer.close(() => r()));
});

const token = (claims: Record<string, unknown> = {}): Promise<string> => new SignJWT({ sub: 'alice', aud: 'mini', ...claims }).setProtectedHeader({ alg: 'ES256', kid: 'k1' })
  .setIssuer('https://id.test').setExpirationTime('5m').sign(privateKey);

describe('JWT verification with a remote JWKS', () => {
  it('accepts a valid token, refuses a wrong-audience one, and answers 503 while the JWKS is down', async () => {
    const ok = await fetch(`${gw.url}/users/me`, { headers: { authorization: `Bearer ${await token()}` } });
    expect(ok.status).toBe(200);
    expect(upstream.received.at(-1)?.headers['x-portcullis-principal']).toBe('jwt:alice');
    const aud = await fetch(`${gw.url}/users/me`, { headers: { authorization: `Bearer ${await token({ aud: 'other' })}` } });
    expect(aud.status).toBe(401);

    jwksStatus = 500;
    await new Promise((r) => setTimeout(r, 1100)); // past cacheMaxAgeMs: the set must be fetched again
    const before = upstream.received.length;
    const down = await fetch(`${gw.url}/users/me`, { headers: { authorization: `Bearer ${await token()}` } });
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('5');
    const problem = (await down.json()) as { rule: string };
    expect(problem.rule).toBe('auth/issuer-keys-unavailable');
    expect(upstream.received.length).toBe(before);

    jwksStatus = 200;
    const back = await fetch(`${gw.url}/users/me`, { headers: { authorization: `Bearer ${await token()}` } });
    expect(back.status).toBe(200);
  });
});
