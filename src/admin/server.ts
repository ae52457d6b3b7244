import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { GatewayMetrics } from '../events/metrics.js';
import { SEVERITIES } from '../events/security-event.js';
import type { EventSink } from '../events/sink.js';
import type { EventQuery, EventStore } from '../store/ports.js';
import { keysApi, type KeysApiDeps } from './keys-api.js';
import { abuseApi } from './abuse-api.js';
import type { AbuseState } from '../abuse/state.js';

export interface AdminDeps extends KeysApiDeps {
  token: string;
  abuse?: AbuseState;
  store: EventStore;
  sink: EventSink;
  metrics: GatewayMetrics;
  ready: () => boolean;
}

/**
 * The admin listener, on its own port only (CATALOGUE G12). Probes and metrics are open;
 * everything under /api needs the bearer token.
 */
export function createAdminServer(deps: AdminDeps): Server {
  const expected = digest(deps.token);
  return createServer({ requestTimeout: 10_000, headersTimeout: 5_000 }, (req, res) => {
    route(req, res, deps, expected).catch(() => json(res, 500, { title: 'admin request failed' }));
  });
}

async function route(req: IncomingMessage, res: ServerResponse, deps: AdminDeps, expected: Buffer): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://admin');
  const isRead = req.method === 'GET' || req.method === 'HEAD';
  if (!isRead && !url.pathname.startsWith('/api/')) return json(res, 405, { title: 'method not allowed' });
  switch (url.pathname) {
    case '/livez': return json(res, 200, { status: 'ok' });
    case '/readyz': return deps.ready() ? json(res, 200, { status: 'ready' }) : json(res, 503, { status: 'not ready' });
    case '/metrics': {
      const body = await deps.metrics.registry.metrics();
      res.writeHead(200, { 'content-type': deps.metrics.registry.contentType });
      res.end(body);
      return;
    }
    default: break;
  }
  if (!url.pathname.startsWith('/api/')) return json(res, 404, { title: 'not found' });
  if (!authorised(req.headers.authorization, expected)) {
    res.setHeader('www-authenticate', 'Bearer realm="portcullis-admin"');
    return json(res, 401, { title: 'admin token required' });
  }
  const keys = await keysApi(req, url.pathname, deps);
  if (keys) return json(res, keys.status, keys.body);
  const abuse = await abuseApi(req, url, deps.abuse);
  if (abuse) return json(res, abuse.status, abuse.body);
  if (!isRead) return json(res, 405, { title: 'method not allowed' });
  if (url.pathname === '/api/events') {
    const q = parseEventQuery(url.searchParams);
    if ('error' in q) return json(res, 400, { title: 'bad query', detail: q.error });
    await deps.sink.flush();
    return json(res, 200, await deps.store.query(q));
  }
  return json(res, 404, { title: 'not found' });
}

export function parseEventQuery(p: URLSearchParams): EventQuery | { error: string } {
  const limit = p.get('limit') === null ? 100 : Number(p.get('limit'));
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) return { error: 'limit must be an integer from 1 to 500' };
  const q: EventQuery = { limit };
  for (const key of ['rule', 'principal', 'cursor'] as const) {
    const v = p.get(key);
    if (v !== null) q[key] = v;
  }
  const severity = p.get('severity');
  if (severity !== null) {
    if (!(SEVERITIES as readonly string[]).includes(severity)) return { error: `severity must be one of ${SEVERITIES.join(', ')}` };
    q.severity = severity;
  }
  const action = p.get('action');
  if (action !== null) {
    if (action !== 'blocked' && action !== 'flagged' && action !== 'modified') return { error: 'action must be blocked, flagged or modified' };
    q.action = action;
  }
  for (const key of ['since', 'until'] as const) {
    const v = p.get(key);
    if (v === null) continue;
    const t = Date.parse(v);
    if (Number.isNaN(t)) return { error: `${key} must be an ISO 8601 time` };
    q[key] = new Date(t).toISOString();
  }
  const next = p.get('next');
  if (next !== null) q.cursor = next;
  return q;
}

function authorised(header: string | undefined, expected: Buffer): boolean {
  const m = /^Bearer +(\S+)$/i.exec(header ?? '');
  if (!m) return false;
  return timingSafeEqual(digest(m[1]!), expected);
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}
