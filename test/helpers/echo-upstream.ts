import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/** A local upstream that records what it receives and echoes the body back. */
export async function startEchoUpstream(respond?: (r: Received) => { status?: number; headers?: Record<string, string>; body?: string | Buffer } | undefined): Promise<{ url: string; port: number; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: Received = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      received.push(r);
      const custom = respond?.(r);
      if (custom) {
        res.writeHead(custom.status ?? 200, { 'content-type': 'application/json', ...custom.headers });
        res.end(custom.body ?? '');
        return;
      }
      res.writeHead(200, { 'content-type': r.headers['content-type'] ?? 'application/json', server: 'EchoServer/1.0', 'x-powered-by': 'Express' });
      res.end(r.body.length > 0 ? r.body : '{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`, port, received,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
