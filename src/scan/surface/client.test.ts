import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createProbeClient } from './client.js';

const servers: Server[] = [];
async function serve(host: string, handler: RequestListener): Promise<{ url: URL; hits: string[] }> {
  const hits: string[] = [];
  const s = createServer((req, res) => { hits.push(`${req.method} ${req.url}`); handler(req, res); });
  servers.push(s);
  await new Promise<void>((resolve) => s.listen(0, host, resolve));
  return { url: new URL(`http://${host}:${(s.address() as AddressInfo).port}/`), hits };
}
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => { s.closeAllConnections(); s.close(resolve); })));
});

describe('probe client', () => {
  it('reads at most maxBodyBytes of a body and says it was cut', async () => {
    const { url } = await serve('127.0.0.1', (_req, res) => { res.end(Buffer.alloc(2 * 1024 * 1024, 'a')); });
    const client = createProbeClient(url, { maxBodyBytes: 1000 });
    const a = await client.fetch({ path: '/big' });
    await client.close();
    expect(a?.body.length).toBe(1000);
    expect(a?.truncated).toBe(true);
  });

  it('stops at the request budget and counts what it did not send', async () => {
    const { url, hits } = await serve('127.0.0.1', (_req, res) => { res.end('x'); });
    const client = createProbeClient(url, { maxRequests: 3 });
    const outcomes = await Promise.all(['/a', '/b', '/c', '/d', '/e'].map((path) => client.send({ path })));
    await client.close();
    expect(outcomes.map((o) => o.kind)).toEqual(['answer', 'answer', 'answer', 'skipped', 'skipped']);
    expect(hits).toHaveLength(3);
    expect(client.stats).toEqual({ requests: 3, skipped: 2, errors: 0 });
  });

  it('times out a request that never answers', async () => {
    const { url } = await serve('127.0.0.1', () => { /* never answers */ });
    const client = createProbeClient(url, { timeoutMs: 200 });
    const r = await client.send({ path: '/slow' });
    await client.close();
    expect(r.kind).toBe('error');
    expect(client.stats.errors).toBe(1);
  });

  it('follows redirects on the target host and port only, within the hop limit', async () => {
    const other = await serve('127.0.0.2', (_req, res) => { res.end('elsewhere'); });
    const otherPort = await serve('127.0.0.1', (_req, res) => { res.end('another service'); });
    const { url, hits } = await serve('127.0.0.1', (req, res) => {
      if (req.url === '/docs') { res.writeHead(301, { location: '/docs/' }); res.end(); return; }
      if (req.url === '/away') { res.writeHead(302, { location: `${other.url.href}x` }); res.end(); return; }
      if (req.url === '/port') { res.writeHead(307, { location: `${otherPort.url.href}y` }); res.end(); return; }
      if (req.url?.startsWith('/loop')) { res.writeHead(302, { location: `/loop${req.url.length}` }); res.end(); return; }
      res.end(`here: ${req.url}`);
    });
    const client = createProbeClient(url, { maxRedirects: 3 });
    const docs = await client.fetch({ path: '/docs' });
    expect([docs?.status, docs?.body, docs?.path, docs?.url]).toEqual([200, 'here: /docs/', '/docs', `${url.origin}/docs/`]);
    const away = await client.fetch({ path: '/away' });
    expect([away?.status, away?.redirect]).toEqual([302, `${other.url.href}x`]);
    const port = await client.fetch({ path: '/port' });
    expect([port?.status, port?.redirect]).toEqual([307, `${otherPort.url.href}y`]);
    expect(other.hits).toEqual([]);
    expect(otherPort.hits).toEqual([]);
    const loop = await client.fetch({ path: '/loop' });
    expect(loop?.status).toBe(302);
    expect(hits.filter((h) => h.startsWith('GET /loop'))).toHaveLength(4);
    await client.close();
  });
});
