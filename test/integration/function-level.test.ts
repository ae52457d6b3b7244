import { fileURLToPath } from 'node:url';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../../src/gateway/start.js';
import { startEchoUpstream } from '../helpers/echo-upstream.js';

/** Function-level authorization (OWASP API5) with the default configuration (shadow-endpoint only monitoring). */
const spec = fileURLToPath(new URL('../fixtures/exposure-api.yaml', import.meta.url));
const secret = 'function-level-test-secret-0123456789abcdef';
let upstream: Awaited<ReturnType<typeof startEchoUpstream>>;
let gw: RunningGateway;

beforeAll(async () => {
  upstream = await startEchoUpstream();
  gw = await startGateway({
    config: {
      listen: '127.0.0.1:0', admin: { listen: '127.0.0.1:0' }, store: 'memory', upstreams: [{ name: 'api', url: upstream.url, spec }],
      identity: { jwt: { issuers: [{ issuer: 'test', algorithms: ['HS256'], secret, rolesClaim: 'role' }] } },
      operations: { getUser: { roles: ['hr'] } },
    },
    logLevel: 'silent',
  });
});
afterAll(async () => {
  await gw?.close();
  await upstream?.close();
});

const token = (role: string): Promise<string> => new SignJWT({ role }).setProtectedHeader({ alg: 'HS256' }).setSubject('7')
  .setIssuer('test').setExpirationTime('5m').sign(new TextEncoder().encode(secret));

describe('function-level authorization', () => {
  it('an undeclared method on a declared path never reaches the upstream, even while shadow-endpoint only monitors', async () => {
    const before = upstream.received.length;
    const res = await fetch(`${gw.url}/users/1`, { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, PUT, HEAD');
    expect(((await res.json()) as { rule: string }).rule).toBe('access/undeclared-method');
    expect(upstream.received.length).toBe(before);
  });

  it('lets OPTIONS through (CORS preflight changes nothing)', async () => {
    const res = await fetch(`${gw.url}/users/1`, { method: 'OPTIONS' });
    expect(res.status).toBe(200);
  });

  it('takes an operation\'s roles from the configuration', async () => {
    expect((await fetch(`${gw.url}/users/1`)).status).toBe(401);
    const staff = await fetch(`${gw.url}/users/1`, { headers: { authorization: `Bearer ${await token('staff')}` } });
    expect(staff.status).toBe(403);
    expect(((await staff.json()) as { rule: string }).rule).toBe('access/missing-role');
    expect((await fetch(`${gw.url}/users/1`, { headers: { authorization: `Bearer ${await token('hr')}` } })).status).toBe(200);
  });
});
