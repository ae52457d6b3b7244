import type { IncomingMessage } from 'node:http';
import { isPortcullisError } from '../errors.js';
import type { KeyRegistry } from '../keys/registry.js';
import { createKey, expiryFrom, listKeys, parseDuration, revokeKey, rotateKey, view } from '../keys/service.js';
import type { KeyStore } from '../store/ports.js';

export interface KeysApiDeps {
  keyStore: KeyStore;
  keys: KeyRegistry;
}

export interface AdminReply { status: number; body: unknown }

const MAX_BODY = 16 * 1024;

/**
 * `/api/keys` on the admin port: list, create, rotate, revoke. The plaintext key appears in the
 * create and rotate answers only; the registry is refreshed before answering, so the key works
 * (or stops working) on this gateway as soon as the call returns.
 */
export async function keysApi(req: IncomingMessage, path: string, deps: KeysApiDeps): Promise<AdminReply | undefined> {
  const m = /^\/api\/keys(?:\/([0-9A-Za-z]{8})(?:\/(rotate|revoke))?)?$/.exec(path);
  if (!m) return undefined;
  const [, id, action] = m;
  try {
    if (!id) {
      if (req.method === 'GET') return { status: 200, body: { keys: await listKeys(deps.keyStore) } };
      if (req.method !== 'POST') return methodNotAllowed();
      const input = await readJson(req);
      if ('error' in input) return input.error;
      const b = input.value;
      const bad = checkCreateBody(b);
      if (bad) return badRequest(bad);
      const created = await createKey(deps.keyStore, {
        name: b.name as string, env: b.env as string | undefined, scopes: b.scopes as string[] | undefined, roles: b.roles as string[] | undefined,
        decoy: b.decoy === true, expiresAt: typeof b.expires === 'string' ? expiryFrom(b.expires) : undefined,
      });
      await deps.keys.refresh();
      return { status: 201, body: { key: created.key, ...view(created.record) } };
    }
    if (!action) {
      if (req.method !== 'GET') return methodNotAllowed();
      const r = await deps.keyStore.get(id);
      return r ? { status: 200, body: view(r) } : { status: 404, body: { title: 'no such key' } };
    }
    if (req.method !== 'POST') return methodNotAllowed();
    if (action === 'revoke') {
      const revoked = await revokeKey(deps.keyStore, id);
      await deps.keys.refresh();
      return { status: 200, body: revoked };
    }
    const input = await readJson(req, true);
    if ('error' in input) return input.error;
    const grace = input.value.grace;
    const graceSec = typeof grace === 'string' ? parseDuration(grace) : grace === undefined ? 0 : undefined;
    if (graceSec === undefined) return badRequest('grace must be a duration such as 0s, 10m, 24h');
    const rotated = await rotateKey(deps.keyStore, id, { graceSec });
    await deps.keys.refresh();
    return { status: 201, body: { key: rotated.key, ...view(rotated.record), replaced: rotated.old } };
  } catch (err) {
    if (isPortcullisError(err)) {
      const status = err.code === 'PC_ERR_KEY_NOT_FOUND' ? 404 : err.code === 'PC_ERR_CLI_USAGE' ? 400 : 500;
      return { status, body: { title: status === 500 ? 'key store error' : err.message, ...(err.hint ? { hint: err.hint } : {}) } };
    }
    throw err;
  }
}

function checkCreateBody(b: Record<string, unknown>): string | undefined {
  const allowed = new Set(['name', 'env', 'scopes', 'roles', 'expires', 'decoy']);
  const extra = Object.keys(b).find((k) => !allowed.has(k));
  if (extra) return `unknown property "${extra}"`;
  if (typeof b.name !== 'string') return 'name is required';
  for (const k of ['scopes', 'roles'] as const) {
    if (b[k] !== undefined && !(Array.isArray(b[k]) && (b[k] as unknown[]).every((x) => typeof x === 'string'))) return `${k} must be an array of strings`;
  }
  if (b.env !== undefined && typeof b.env !== 'string') return 'env must be a string';
  if (b.expires !== undefined && typeof b.expires !== 'string') return 'expires must be a duration (90d) or an ISO time';
  if (b.decoy !== undefined && typeof b.decoy !== 'boolean') return 'decoy must be a boolean';
  return undefined;
}

export async function readJson(req: IncomingMessage, optional = false): Promise<{ value: Record<string, unknown> } | { error: AdminReply }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) return { error: { status: 413, body: { title: 'body too large' } } };
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '' && optional) return { value: {} };
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) return { error: { status: 415, body: { title: 'send application/json' } } };
  try {
    const v = JSON.parse(text) as unknown;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return { error: badRequest('the body must be a JSON object') };
    return { value: v as Record<string, unknown> };
  } catch {
    return { error: badRequest('the body is not valid JSON') };
  }
}

export function badRequest(detail: string): AdminReply {
  return { status: 400, body: { title: 'bad request', detail } };
}

export function methodNotAllowed(): AdminReply {
  return { status: 405, body: { title: 'method not allowed' } };
}
