import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../../src/gateway/start.js';
import { startEchoUpstream } from '../helpers/echo-upstream.js';

/**
 * Opaque bodies (media types the gateway does not decode) are relayed as they arrive, under
 * the same limits as buffered ones; decoded bodies are still buffered and validated.
 */
const spec = fileURLToPath(new URL('../fixtures/upload-api.yaml', import.meta.url));
const LIMIT = 2 * 1024 * 1024;
let upstream: Awaited<ReturnType<typeof startEchoUpstream>>;
let gw: RunningGateway;

beforeAll(async () => {
  upstream = await startEchoUpstream((r) => ({ status: 201, body: JSON.stringify({ bytes: r.body.length }) }));
  gw = await startGateway({
    config: {
      listen: '127.0.0.1:0', admin: { listen: '127.0.0.1:0' }, store: 'memory',
      upstreams: [{ name: 'files', url: upstream.url, spec }],
      operations: { putFile: { bodyBytes: LIMIT } },
    },
    logLevel: 'silent',
  });
});
afterAll(async () => {
  await gw?.close();
  await upstream?.close();
});

/** Sends `chunks` with pauses (so the gateway sees the body arrive over time). */
function send(path: string, headers: Record<string, string>, chunks: Buffer[], gapMs = 5): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${gw.url}${path}`, { method: 'PUT', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    let i = 0;
    const next = (): void => {
      if (i === chunks.length) { req.end(); return; }
      req.write(chunks[i++]!);
      setTimeout(next, gapMs);
    };
    next();
  });
}

function pattern(size: number, seed: number): Buffer {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = (i * 31 + seed) & 0xff;
  return b;
}

describe('opaque request bodies', () => {
  it('relays a chunked binary upload byte for byte, beyond what a buffered body may hold', async () => {
    const before = upstream.received.length;
    const chunks = Array.from({ length: 24 }, (_, i) => pattern(64 * 1024, i)); // 1.5 MiB > the 1 MiB default
    const r = await send('/files/report', { 'content-type': 'application/octet-stream' }, chunks, 1);
    expect(r.status).toBe(201);
    const got = upstream.received.slice(before);
    expect(got).toHaveLength(1);
    expect(got[0]!.body.equals(Buffer.concat(chunks))).toBe(true);
    expect(got[0]!.headers['transfer-encoding']).toBe('chunked');
  });

  it('forwards the first bytes before the client has sent the rest (not buffered)', async () => {
    let seen = 0;
    const live = createServer((req, res) => {
      req.on('data', (c: Buffer) => { seen += c.length; });
      req.on('end', () => { res.writeHead(201, { 'content-type': 'application/json' }); res.end(JSON.stringify({ bytes: seen })); });
    });
    await new Promise<void>((resolve) => live.listen(0, '127.0.0.1', resolve));
    const g = await startGateway({
      config: { listen: '127.0.0.1:0', admin: { listen: '127.0.0.1:0' }, store: 'memory', upstreams: [{ url: `http://127.0.0.1:${(live.address() as AddressInfo).port}`, spec }] },
      logLevel: 'silent',
    });
    try {
      const result = new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(`${g.url}/files/live`, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' } }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => { body += c.toString(); });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.write(pattern(1000, 1));
        const waitForUpstream = (tries: number): void => {
          if (seen >= 1000) { req.end(pattern(1000, 2)); return; }
          if (tries === 0) { req.destroy(new Error('the upstream saw nothing while the client was still sending')); return; }
          setTimeout(() => waitForUpstream(tries - 1), 10);
        };
        waitForUpstream(300);
      });
      const r = await result;
      expect(r.status).toBe(201);
      expect(JSON.parse(r.body)).toEqual({ bytes: 2000 });
    } finally {
      await g.close();
      await new Promise<void>((resolve) => { live.closeAllConnections(); live.close(() => resolve()); });
    }
  });

  it('keeps the client Content-Length when one was sent', async () => {
    const before = upstream.received.length;
    const body = pattern(300_000, 7);
    const r = await send('/files/logo', { 'content-type': 'image/png', 'content-length': String(body.length) }, [body.subarray(0, 100_000), body.subarray(100_000)]);
    expect(r.status).toBe(201);
    const got = upstream.received.slice(before);
    expect(got[0]!.headers['content-length']).toBe(String(body.length));
    expect(got[0]!.body.equals(body)).toBe(true);
  });

  it('cuts a chunked upload at the operation limit with 413, and the upstream never gets a whole request', async () => {
    const before = upstream.received.length;
    const chunks = Array.from({ length: 40 }, (_, i) => pattern(64 * 1024, i)); // 2.5 MiB > 2 MiB
    const r = await send('/files/huge', { 'content-type': 'application/octet-stream' }, chunks, 1).catch((e: Error) => ({ status: -1, body: e.message }));
    // The gateway answers 413 and closes; a client still writing may see the reset instead.
    expect([413, -1]).toContain(r.status);
    if (r.status === 413) expect(JSON.parse(r.body).rule).toBe('protocol/body-too-large');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(upstream.received.slice(before)).toHaveLength(0);
  });

  it('refuses an undeclared media type before reading the body', async () => {
    const before = upstream.received.length;
    const r = await send('/files/x', { 'content-type': 'text/plain', 'content-length': '5' }, [Buffer.from('hello')]);
    expect(r.status).toBe(415);
    expect(upstream.received.slice(before)).toHaveLength(0);
  });

  it('still refuses a bad path parameter on a streamed operation', async () => {
    const r = await send('/files/NOT_OK', { 'content-type': 'application/octet-stream', 'content-length': '3' }, [Buffer.from('abc')]);
    expect(r.status).toBe(400);
  });

  it('still buffers and validates decoded bodies', async () => {
    const res = await fetch(`${gw.url}/notes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'x'.repeat(101) }) });
    expect(res.status).toBe(400);
    const ok = await fetch(`${gw.url}/notes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'hi' }) });
    expect(ok.status).toBe(201);
  });
});
