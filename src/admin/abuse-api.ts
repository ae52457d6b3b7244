import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import type { AbuseState } from '../abuse/state.js';
import { badRequest, methodNotAllowed, readJson, type AdminReply } from './keys-api.js';

const MAX_BLOCK_SEC = 31_536_000;
const DEFAULT_BLOCK_SEC = 3_600;

/**
 * `/api/offenders` (riskiest callers and live blocks) and `/api/blocks` (list, block, unblock)
 * on the admin port. A block set here is enforced at once by the block-list control, and on
 * every instance sharing the top-level redis.
 */
export async function abuseApi(req: IncomingMessage, url: URL, abuse: AbuseState | undefined): Promise<AdminReply | undefined> {
  const path = url.pathname;
  if (path !== '/api/offenders' && path !== '/api/blocks' && !path.startsWith('/api/blocks/')) return undefined;
  if (!abuse) return { status: 404, body: { title: 'not found' } };
  if (path === '/api/offenders') {
    if (req.method !== 'GET') return methodNotAllowed();
    const limit = Number(url.searchParams.get('limit') ?? 100);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return badRequest('limit must be an integer from 1 to 1000');
    return { status: 200, body: { offenders: abuse.risk.offenders(limit).map((o) => ({ ...o, lastAt: new Date(o.lastAt).toISOString(), blocked: blockView(abuse, o.key) })) } };
  }
  if (path === '/api/blocks') {
    if (req.method === 'GET') return { status: 200, body: { blocks: abuse.blocks.list().map((e) => ({ ...e, since: iso(e.since), until: iso(e.until) })) } };
    if (req.method !== 'POST') return methodNotAllowed();
    const input = await readJson(req);
    if ('error' in input) return input.error;
    const { key, seconds = DEFAULT_BLOCK_SEC, reason = 'admin' } = input.value;
    const extra = Object.keys(input.value).find((k) => !['key', 'seconds', 'reason'].includes(k));
    if (extra) return badRequest(`unknown property "${extra}"`);
    const bad = checkKey(key);
    if (bad) return badRequest(bad);
    if (!Number.isInteger(seconds) || (seconds as number) < 1 || (seconds as number) > MAX_BLOCK_SEC) return badRequest(`seconds must be an integer from 1 to ${MAX_BLOCK_SEC}`);
    if (typeof reason !== 'string' || reason.length > 128) return badRequest('reason must be a string of at most 128 characters');
    const e = abuse.blocks.block(key as string, (seconds as number) * 1000, `admin: ${reason}`);
    return { status: 201, body: { ...e, since: iso(e.since), until: iso(e.until) } };
  }
  if (req.method !== 'DELETE') return methodNotAllowed();
  let key: string;
  try {
    key = decodeURIComponent(path.slice('/api/blocks/'.length));
  } catch {
    return badRequest('the key is not valid percent-encoding');
  }
  const bad = checkKey(key);
  if (bad) return badRequest(bad);
  const had = abuse.blocks.unblock(key);
  // Unblocking is a pardon: the score that led to the block would bring it straight back.
  abuse.risk.forgive(key);
  return had ? { status: 200, body: { key, unblocked: true } } : { status: 404, body: { title: 'no such block', detail: key } };
}

/** `ip:<address>` or a principal id (`jwt:alice`, `key:AB12CD34`, `oauth:…`, `mtls:…`). */
function checkKey(key: unknown): string | undefined {
  if (typeof key !== 'string' || key.length < 3 || key.length > 256) return 'key must be a string such as "ip:203.0.113.7" or "jwt:alice"';
  if (/[\u0000-\u001f\u007f]/.test(key)) return 'key must not contain control characters';
  const m = /^([a-z-]+):(.+)$/.exec(key);
  if (!m) return 'key must be "<kind>:<id>", such as "ip:203.0.113.7" or "jwt:alice"';
  if (m[1] === 'ip' && isIP(m[2]!) === 0) return `"${m[2]!.slice(0, 64)}" is not an IP address`;
  return undefined;
}

function blockView(abuse: AbuseState, key: string): string | null {
  const e = abuse.blocks.get(key);
  return e ? iso(e.until) : null;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
