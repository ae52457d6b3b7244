import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startShopApi, type ShopApi } from '../../examples/shop-api/src/server.js';
import { demoConfig } from '../../src/cli/demo.js';
import { startGateway } from '../../src/gateway/start.js';
import { renderSurfaceMarkdown, renderSurfaceText } from '../../src/report/surface.js';
import { judgeDebugEndpoint } from '../../src/scan/surface/checks/debug.js';
import { runSurface } from '../../src/scan/surface/engine.js';
import type { SurfaceReport } from '../../src/scan/surface/types.js';
import { json } from '../helpers/answer.js';
import { makeTestPki } from '../helpers/certs.js';

const servers: Server[] = [];
async function serve(handler: RequestListener, host = '127.0.0.1'): Promise<{ url: string; hits: string[] }> {
  const hits: string[] = [];
  const s = createServer((req, res) => { hits.push(`${req.method} ${req.url}`); handler(req, res); });
  servers.push(s);
  await new Promise<void>((resolve) => s.listen(0, host, resolve));
  return { url: `http://${host}:${(s.address() as AddressInfo).port}`, hits };
}
const shops: ShopApi[] = [];
afterAll(async () => {
  await Promise.all(shops.map((s) => s.close()));
  await Promise.all(servers.map((s) => new Promise((resolve) => { s.closeAllConnections(); s.close(resolve); })));
});

const ids = (r: SurfaceReport): string[] => [...new Set(r.findings.map((f) => f.id))].sort();
const at = (r: SurfaceReport, id: string): string[] => r.findings.filter((f) => f.id === id).map((f) => new URL(f.url).pathname);

describe('surface against the example shop API', () => {
  const secret = `surface-test-${randomBytes(16).toString('hex')}`;
  let report: SurfaceReport;
  beforeAll(async () => {
    const shop = await startShopApi({ jwtSecret: secret });
    shops.push(shop);
    report = await runSurface(new URL(shop.url));
  });

  it('finds the published contract (V28) and the debug endpoint it leads to (V23)', () => {
    expect(at(report, 'surface:exposed-openapi')).toEqual(['/openapi.json']);
    const debug = report.findings.find((f) => f.id === 'surface:debug-endpoint');
    expect(debug).toMatchObject({ url: expect.stringMatching(/\/api\/v2\/debug\/config$/), severity: 'high', owasp: 'API9:2023', status: 200 });
    expect(debug?.evidence).toContain('jwtSecret');
  });

  it('finds the old version (V24), the stack traces (V19), the banners and the credentialed CORS (V20)', () => {
    expect(ids(report)).toEqual(['surface:cors-any-origin', 'surface:debug-endpoint', 'surface:exposed-openapi', 'surface:old-api-version', 'surface:verbose-error', 'surface:version-banner']);
    expect(at(report, 'surface:old-api-version')[0]).toMatch(/^\/api\/v1\//);
    expect(report.findings.find((f) => f.id === 'surface:verbose-error')).toMatchObject({ method: 'POST', status: 500 });
    expect(report.findings.filter((f) => f.id === 'surface:version-banner').map((f) => f.evidence).sort()).toEqual(['server: nginx/1.14.0 (Ubuntu)', 'x-powered-by: Express']);
    expect(report.summary.notes).toContain('transport (TLS, HSTS) not judged: the target is a loopback address');
  });

  it('never prints the JWT secret it found, in any format', () => {
    for (const out of [JSON.stringify(report), renderSurfaceText(report), renderSurfaceMarkdown(report)]) expect(out).not.toContain(secret);
  });

  it('stays within the default budget', () => {
    expect(report.summary.requests).toBeLessThanOrEqual(200);
    expect(report.summary.skipped).toBe(0);
    expect(report.summary.bySeverity.high).toBe(report.findings.filter((f) => f.severity === 'high').length);
  });

  it('finds nothing on the secure build', async () => {
    const shop = await startShopApi({ secure: true });
    shops.push(shop);
    const r = await runSurface(new URL(shop.url));
    expect(r.findings).toEqual([]);
  });

  it('finds none of the exposure behind the gateway that `npm start` runs', async () => {
    const shop = await startShopApi({ jwtSecret: secret });
    shops.push(shop);
    const gw = await startGateway({ config: demoConfig(shop.url, secret, '127.0.0.1:0', '127.0.0.1:0', 'memory'), logLevel: 'silent' });
    try {
      const r = await runSurface(new URL(gw.url));
      // The same API the first test reads bare: behind the gateway the shadow routes (V23, V28) are refused,
      // banners stripped and error bodies replaced, so an outside look finds nothing to go on.
      expect(r.findings).toEqual([]);
      expect(r.summary.requests).toBeGreaterThan(50);
      expect(JSON.stringify(r)).not.toContain(secret);
    } finally {
      await gw.close();
    }
  });
});

describe('surface against hosts that have nothing to find', () => {
  it.each<[string, RequestListener]>([
    ['404 for everything', (_req, res) => { res.writeHead(404, { 'content-type': 'text/plain' }); res.end('not found'); }],
    ['the same 200 page for everything (a single-page app)', (_req, res) => { res.writeHead(200, { 'content-type': 'text/html' }); res.end('<!doctype html><html><head><title>Shop</title></head><body><div id="root"></div></body></html>'); }],
    ['a 200 soft 404 that echoes the path', (req, res) => { res.writeHead(200, { 'content-type': 'text/html' }); res.end(`<html><title>Not found</title><p>We looked everywhere for ${req.url}.</p></html>`); }],
    ['401 for everything', (_req, res) => { res.writeHead(401, { 'www-authenticate': 'Bearer', 'content-type': 'application/json' }); res.end('{"error":"unauthorized"}'); }],
  ])('%s', async (_name, handler) => {
    const { url } = await serve(handler);
    const r = await runSurface(new URL(url));
    expect(r.findings).toEqual([]);
    expect(r.summary.requests).toBeGreaterThan(50);
  });

  it('a catch-all that answers a debug-looking JSON everywhere: the baseline keeps it out', async () => {
    const body = { service: 'shop', version: '1.0.0', mode: 'production', node: 'v20' };
    expect(judgeDebugEndpoint(json(body))).toBeDefined(); // the content check alone would accept it
    const { url } = await serve((_req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify(body)); });
    expect((await runSurface(new URL(url))).findings).toEqual([]);
  });
});

describe('surface against a leaky stack', () => {
  const doc = { openapi: '3.0.3', info: { title: 'inventory', version: '3' }, paths: { '/v3/items': { get: {} }, '/v3/items/{id}': { get: {} } } };
  let report: SurfaceReport;
  let elsewhere: { url: string; hits: string[] };
  let target: { url: string; hits: string[] };
  beforeAll(async () => {
    elsewhere = await serve((_req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify(doc)); }, '127.0.0.2');
    const routes: Record<string, [number, Record<string, string>, string]> = {
      '/app/v3/api-docs': [200, { 'content-type': 'application/json' }, JSON.stringify({ ...doc, servers: [{ url: '/app' }] })],
      '/app/v3/items': [200, { 'content-type': 'application/json' }, '[]'],
      '/app/v2/items': [200, { 'content-type': 'application/json' }, '[]'],
      '/openapi.json': [302, { location: `${elsewhere.url}/openapi.json` }, ''],
      '/docs': [301, { location: '/docs/' }, ''],
      '/docs/': [200, { 'content-type': 'text/html' }, '<html><title>Swagger UI</title><div id="swagger-ui"></div></html>'],
      '/actuator': [200, { 'content-type': 'application/vnd.spring-boot.actuator.v3+json' }, JSON.stringify({ _links: { self: { href: 'http://h/actuator' }, health: { href: 'http://h/actuator/health' }, env: { href: 'http://h/actuator/env' } } })],
      '/actuator/env': [200, { 'content-type': 'application/json' }, JSON.stringify({ activeProfiles: [], propertySources: [{ name: 'systemEnvironment', properties: { DB_PASSWORD: { value: 'hunter2-db' } } }] })],
      '/.git/config': [200, { 'content-type': 'text/plain' }, '[core]\n\trepositoryformatversion = 0\n'],
      '/.env': [200, { 'content-type': 'application/octet-stream' }, 'API_TOKEN=tok-7f7f7f\nREGION=eu\n'],
      '/debug/vars': [200, { 'content-type': 'application/json' }, JSON.stringify({ cmdline: ['/srv'], memstats: {} })],
    };
    target = await serve((req, res) => {
      if (req.method === 'POST' && req.url === '/graphql') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ data: { __schema: { queryType: { name: 'Query' }, types: [{ name: 'Query', kind: 'OBJECT' }, { name: 'Item', kind: 'OBJECT' }] } } }));
        return;
      }
      const [status, headers, body] = routes[req.url ?? ''] ?? [404, { 'content-type': 'text/plain' }, 'no'];
      res.writeHead(status, headers);
      res.end(body);
    });
    report = await runSurface(new URL(`${target.url}/app/`));
  });

  it('finds each exposure where it is, the base path and the document\'s version prefix included', () => {
    const where = report.findings.map((f) => `${f.id} ${f.method} ${new URL(f.url).pathname}`).sort();
    expect(where).toEqual([
      'surface:dotenv-file GET /.env',
      'surface:exposed-docs-ui GET /docs/',
      'surface:exposed-openapi GET /app/v3/api-docs',
      'surface:git-exposed GET /.git/config',
      'surface:go-expvar GET /debug/vars',
      'surface:graphql-introspection POST /graphql',
      'surface:old-api-version GET /app/v2/items',
      'surface:spring-actuator GET /actuator',
      'surface:spring-actuator-env GET /actuator/env',
    ]);
    expect(report.findings.find((f) => f.id === 'surface:spring-actuator-env')?.severity).toBe('critical');
    expect(report.findings.find((f) => f.id === 'surface:dotenv-file')?.severity).toBe('critical');
  });

  it('never follows a redirect off the target host, and never prints the secrets', () => {
    expect(elsewhere.hits).toEqual([]);
    expect(JSON.stringify(report)).not.toMatch(/hunter2-db|tok-7f7f7f/);
  });

  it('stops at --max-requests and says so', async () => {
    const r = await runSurface(new URL(`${target.url}/app/`), { maxRequests: 20 });
    expect(r.summary.requests).toBe(20);
    expect(r.summary.skipped).toBeGreaterThan(0);
    expect(r.summary.notes.join('\n')).toMatch(/request budget \(20\) reached/);
  });
});

describe('surface failures and TLS', () => {
  it('says the target is unreachable', async () => {
    const { url } = await serve((_req, res) => { res.end(); });
    const port = new URL(url).port;
    await new Promise((resolve) => { const s = servers.pop()!; s.closeAllConnections(); s.close(resolve); });
    await expect(runSurface(new URL(`http://127.0.0.1:${port}/`), { timeoutMs: 1000 })).rejects.toMatchObject({ code: 'PC_ERR_SURFACE_UNREACHABLE', exitCode: 3 });
  });

  it('reads an https target whose CA it is given, and refuses it otherwise', async () => {
    const pki = makeTestPki();
    const s = createHttpsServer({ cert: readFileSync(pki.serverCert), key: readFileSync(pki.serverKey) }, (req, res) => {
      if (req.url === '/swagger.json') { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify({ swagger: '2.0', info: { title: 't' }, paths: { '/a': { get: {} } } })); return; }
      res.writeHead(404); res.end();
    });
    servers.push(s as unknown as Server);
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    const target = new URL(`https://127.0.0.1:${(s.address() as AddressInfo).port}/`);
    const r = await runSurface(target, { ca: readFileSync(pki.caCert) });
    expect(ids(r)).toEqual(['surface:exposed-openapi']);
    await expect(runSurface(target, { timeoutMs: 2000 })).rejects.toMatchObject({ code: 'PC_ERR_SURFACE_UNREACHABLE' });
  });
});
