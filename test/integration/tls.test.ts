import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../../src/gateway/start.js';
import { makeTestPki, type TestPki } from '../helpers/certs.js';
import { startEchoUpstream } from '../helpers/echo-upstream.js';

/** The public listener terminating TLS: https, HSTS on every answer, client certificates (mTLS). */
const spec = fileURLToPath(new URL('../fixtures/mtls-api.yaml', import.meta.url));
let pki: TestPki;
let upstream: Awaited<ReturnType<typeof startEchoUpstream>>;
let optional: RunningGateway;
let required: RunningGateway;

const config = (tls: Record<string, unknown>) => ({
  listen: '127.0.0.1:0', admin: { listen: '127.0.0.1:0' }, store: 'memory', upstreams: [{ name: 'api', url: upstream.url, spec }],
  tls: { cert: pki.serverCert, key: pki.serverKey, ...tls },
});

beforeAll(async () => {
  pki = makeTestPki();
  upstream = await startEchoUpstream();
  optional = await startGateway({ config: config({ clientCa: pki.caCert, clientCert: 'optional', hstsIncludeSubDomains: true }), logLevel: 'silent' });
  required = await startGateway({ config: config({ clientCa: pki.caCert, clientCert: 'required', hstsMaxAgeSec: 0 }), logLevel: 'silent' });
});
afterAll(async () => {
  await optional?.close();
  await required?.close();
  await upstream?.close();
});

function client(cert?: 'alice' | 'stranger'): Agent {
  const pair = cert === 'alice' ? { cert: pki.read(pki.clientCert), key: pki.read(pki.clientKey) } : cert === 'stranger' ? { cert: pki.read(pki.strangerCert), key: pki.read(pki.strangerKey) } : {};
  return new Agent({ connect: { ca: pki.read(pki.caCert), ...pair } });
}

async function get(g: RunningGateway, path: string, cert?: 'alice' | 'stranger') {
  const agent = client(cert);
  try {
    const r = await request(`${g.url}${path}`, { dispatcher: agent });
    const text = await r.body.text();
    return { status: r.statusCode, headers: r.headers, rule: text.startsWith('{') ? (JSON.parse(text) as { rule?: string }).rule : undefined };
  } finally {
    await agent.close();
  }
}

describe('TLS listener', () => {
  it('serves https with HSTS, and tells the upstream the request came over https', async () => {
    expect(optional.url).toMatch(/^https:\/\/127\.0\.0\.1:/);
    const r = await get(optional, '/public');
    expect(r.status).toBe(200);
    expect(r.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(upstream.received.at(-1)?.headers['x-forwarded-proto']).toBe('https');
    const refused = await get(optional, '/a%2Fb');
    expect(refused.status).toBe(400);
    expect(refused.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  });

  it('refuses a plain-http request on the TLS port without answering it', async () => {
    await expect(fetch(optional.url.replace('https:', 'http:') + '/public')).rejects.toThrow();
    expect((await get(optional, '/public')).status).toBe(200); // and keeps serving
  });
});

describe('client certificates (mTLS)', () => {
  it('optional: a mutualTLS operation needs a certificate from the configured CA and names its subject', async () => {
    const none = await get(optional, '/partner');
    expect(none.status).toBe(401);
    expect(none.rule).toBe('auth/missing-credentials');
    const stranger = await get(optional, '/partner', 'stranger');
    expect(stranger.status).toBe(401);
    expect(stranger.rule).toBe('auth/invalid-client-certificate');
    const alice = await get(optional, '/partner', 'alice');
    expect(alice.status).toBe(200);
    expect(upstream.received.at(-1)?.headers['x-portcullis-principal']).toBe('mtls:client-alice');
    expect((await get(optional, '/public')).status).toBe(200);
  });

  it('required: a handshake without a trusted certificate fails; with one, requests pass (no HSTS when max-age is 0)', async () => {
    await expect(get(required, '/public')).rejects.toThrow();
    await expect(get(required, '/public', 'stranger')).rejects.toThrow();
    const ok = await get(required, '/partner', 'alice');
    expect(ok.status).toBe(200);
    expect(ok.headers['strict-transport-security']).toBeUndefined();
  });

  it('refuses client certificate checking without a CA, and a missing key file, at start-up', async () => {
    await expect(startGateway({ config: config({ clientCert: 'optional' }), logLevel: 'silent' })).rejects.toMatchObject({ code: 'PC_ERR_CONFIG_INVALID', message: expect.stringContaining('clientCa') });
    await expect(startGateway({ config: config({ key: '/nonexistent/key.pem' }), logLevel: 'silent' })).rejects.toMatchObject({ code: 'PC_ERR_CONFIG_INVALID' });
  });
});

describe('certificate renewal', () => {
  it('a reload re-reads the certificate files: new handshakes get the new certificate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-renew-'));
    const cert = join(dir, 'server.crt');
    const key = join(dir, 'server.key');
    copyFileSync(pki.serverCert, cert);
    copyFileSync(pki.serverKey, key);
    const g = await startGateway({ config: config({ cert, key }), logLevel: 'silent' });
    const peer = (): Promise<string> => new Promise((resolve, reject) => {
      const s = connect({ host: '127.0.0.1', port: g.port, rejectUnauthorized: false }, () => { resolve(s.getPeerCertificate().subject.CN as string); s.end(); });
      s.on('error', reject);
    });
    try {
      expect(await peer()).toBe('server');
      // "Renew" with another certificate (the client one serves: only its identity matters here).
      copyFileSync(pki.clientCert, cert);
      copyFileSync(pki.clientKey, key);
      await g.reload(config({ cert, key }));
      expect(await peer()).toBe('client-alice');
    } finally {
      await g.close();
    }
  });
});
