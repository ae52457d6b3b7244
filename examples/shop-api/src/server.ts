/**
 * shop-api: the deliberately vulnerable demo target and test fixture. `secure: false` (the default) serves
 * the flaws catalogued in VULNERABILITIES.md; `secure: true` fixes every one of them.
 * Loopback by default: this server is meant to be attacked, never exposed.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, type App } from './app.js';
import { openDb } from './db.js';
import { HttpError, Router, json, type Reply } from './http.js';
import { routes } from './routes/index.js';

export { routes } from './routes/index.js';
export { shopApiSpecPath } from './spec-path.js';
export type { Route } from './http.js';

export interface ShopApiOptions {
  /** 0 (the default) picks an ephemeral port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  secure?: boolean;
  /** HS256 secret. Default: the guessable `secret` when vulnerable (API2), 32 random bytes when secure. */
  jwtSecret?: string;
}

export interface ShopApi {
  url: string;
  port: number;
  close(): Promise<void>;
}

function errorReply(app: App, err: unknown): Reply {
  if (err instanceof HttpError) return json(err.status, { error: err.message }, err.headers);
  if (app.secure) return json(500, { error: 'internal server error' });
  // API8: the exception's message and stack (file paths, SQL text) go straight to the client.
  const e = err instanceof Error ? err : new Error(String(err));
  return json(500, { error: e.message, name: e.name, stack: e.stack });
}

function baseHeaders(app: App, req: IncomingMessage): Record<string, string> {
  if (app.secure) {
    return { 'x-content-type-options': 'nosniff', 'cache-control': 'no-store', 'content-security-policy': "default-src 'none'; frame-ancestors 'none'" };
  }
  // API8: version banners, and CORS that reflects any origin *with* credentials.
  return {
    'x-powered-by': 'Express',
    server: 'nginx/1.14.0 (Ubuntu)',
    'access-control-allow-origin': req.headers.origin ?? '*',
    'access-control-allow-credentials': 'true',
  };
}

function send(app: App, req: IncomingMessage, res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { ...baseHeaders(app, req), ...reply.headers };
  let data: Buffer | string = '';
  if (reply.raw !== undefined) data = reply.raw;
  else if (reply.body !== undefined) {
    data = JSON.stringify(reply.body);
    headers['content-type'] = 'application/json; charset=utf-8';
  }
  headers['content-length'] = String(Buffer.byteLength(data));
  res.writeHead(reply.status, headers);
  res.end(data);
}

async function handle(app: App, router: Router, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let reply: Reply;
  try {
    const url = new URL(req.url ?? '/', 'http://shop-api.invalid');
    const method = req.method ?? 'GET';
    if (method === 'OPTIONS' && !app.secure) {
      // Vulnerable CORS preflight: everything from everywhere.
      reply = { status: 204, headers: {
        'access-control-allow-methods': 'GET, POST, PUT, DELETE, OPTIONS',
        'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '*',
        'access-control-max-age': '86400',
      } };
    } else {
      const m = router.match(method, url.pathname);
      if (m.kind === 'none') reply = json(404, { error: 'not found' });
      else if (m.kind === 'method') reply = json(405, { error: 'method not allowed' }, { allow: m.allow.join(', ') });
      else reply = await m.route.handler({ app, req, url, params: m.params, ip: req.socket.remoteAddress ?? '' });
    }
  } catch (err) {
    reply = errorReply(app, err);
  }
  if (!res.headersSent && !res.destroyed) send(app, req, res, reply);
}

export async function startShopApi(opts: ShopApiOptions = {}): Promise<ShopApi> {
  const secure = opts.secure ?? false;
  const jwtSecret = opts.jwtSecret ?? (secure ? randomBytes(32).toString('base64url') : 'secret');
  const app = createApp(openDb(), secure, jwtSecret);
  const router = new Router(routes.filter((r) => secure ? r.shadow !== true : true));
  const server = createServer((req, res) => { void handle(app, router, req, res); });
  server.requestTimeout = 30_000;
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => { server.off('error', reject); resolve(); });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => { app.db.close(); resolve(); });
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
