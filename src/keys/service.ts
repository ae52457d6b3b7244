import { createHash } from 'node:crypto';
import { PortcullisError } from '../errors.js';
import type { ApiKeyRecord, KeyStore } from '../store/ports.js';
import { ENV_PATTERN, generateKey } from './format.js';

/** Key management shared by `portcullis keys` and the admin API. */
export interface CreateKeyInput {
  name: string;
  env?: string;
  scopes?: readonly string[];
  roles?: readonly string[];
  /** ISO time, or undefined for a key that does not expire. */
  expiresAt?: string;
  decoy?: boolean;
}

export type KeyStatus = 'active' | 'expired' | 'revoked';

export interface KeyView extends Omit<ApiKeyRecord, 'secretHash'> {
  status: KeyStatus;
}

const NAME = /^[\p{L}\p{N} _.:@/-]{1,100}$/u;
const GRANT = /^[A-Za-z0-9:._/*-]{1,64}$/;
const MAX_GRANTS = 50;

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export async function createKey(store: KeyStore, input: CreateKeyInput, now = new Date(), rotatedFrom: string | null = null): Promise<{ key: string; record: ApiKeyRecord }> {
  const env = input.env ?? 'live';
  checkInput(input, env, now);
  // Ids are 47 random bits: a collision is a freak event, one retry is plenty.
  for (let attempt = 0; ; attempt++) {
    const generated = generateKey(env);
    const record: ApiKeyRecord = {
      id: generated.id, name: input.name, env, secretHash: hashSecret(generated.secret),
      scopes: [...(input.scopes ?? [])], roles: [...(input.roles ?? [])], createdAt: now.toISOString(),
      expiresAt: input.expiresAt ?? null, revokedAt: null, decoy: input.decoy === true, rotatedFrom,
    };
    try {
      await store.insert(record);
      return { key: generated.key, record };
    } catch (err) {
      if (attempt === 0 && (err as { code?: string }).code === 'PC_ERR_KEY_EXISTS') continue;
      throw err;
    }
  }
}

export async function listKeys(store: KeyStore, now = new Date()): Promise<KeyView[]> {
  return (await store.list()).map((r) => view(r, now));
}

export function view(r: ApiKeyRecord, now = new Date()): KeyView {
  const { secretHash: _hidden, ...rest } = r;
  return { ...rest, status: statusOf(r, now.getTime()) };
}

export function statusOf(r: Pick<ApiKeyRecord, 'revokedAt' | 'expiresAt'>, nowMs: number): KeyStatus {
  if (r.revokedAt !== null && Date.parse(r.revokedAt) <= nowMs) return 'revoked';
  if (r.expiresAt !== null && Date.parse(r.expiresAt) <= nowMs) return 'expired';
  return 'active';
}

export async function revokeKey(store: KeyStore, id: string, now = new Date()): Promise<KeyView> {
  const current = await mustGet(store, id);
  if (current.revokedAt !== null) return view(current, now);
  const updated = await store.update(id, { revokedAt: now.toISOString() });
  return view(updated ?? current, now);
}

/**
 * A new key with the same name, grants and expiry. The old key stops working at once, or after
 * `graceSec` so clients can switch over (its expiry is brought forward, never pushed back).
 */
export async function rotateKey(store: KeyStore, id: string, opts: { graceSec?: number; expiresAt?: string } = {}, now = new Date()): Promise<{ key: string; record: ApiKeyRecord; old: KeyView }> {
  const old = await mustGet(store, id);
  if (statusOf(old, now.getTime()) !== 'active') {
    throw new PortcullisError('PC_ERR_CLI_USAGE', `API key ${id} is ${statusOf(old, now.getTime())}; only an active key can be rotated`, { hint: 'Create a new key instead: portcullis keys create --name …' });
  }
  const grace = opts.graceSec ?? 0;
  if (!Number.isInteger(grace) || grace < 0 || grace > 30 * 86_400) {
    throw new PortcullisError('PC_ERR_CLI_USAGE', 'the grace period must be between 0 and 30 days');
  }
  const created = await createKey(store, {
    name: old.name, env: old.env, scopes: old.scopes, roles: old.roles, decoy: old.decoy,
    expiresAt: opts.expiresAt ?? (old.expiresAt !== null && Date.parse(old.expiresAt) > now.getTime() ? old.expiresAt : undefined),
  }, now, old.id);
  const cutoff = new Date(now.getTime() + grace * 1000).toISOString();
  const patch = grace === 0 ? { revokedAt: now.toISOString() } : { expiresAt: old.expiresAt !== null && old.expiresAt < cutoff ? old.expiresAt : cutoff };
  const updated = await store.update(id, patch);
  return { ...created, old: view(updated ?? old, now) };
}

async function mustGet(store: KeyStore, id: string): Promise<ApiKeyRecord> {
  const r = await store.get(id);
  if (!r) throw new PortcullisError('PC_ERR_KEY_NOT_FOUND', `no API key has the id "${id}"`, { hint: 'Run `portcullis keys list` to see the ids.' });
  return r;
}

function checkInput(input: CreateKeyInput, env: string, now: Date): void {
  const bad = (msg: string, hint?: string): never => { throw new PortcullisError('PC_ERR_CLI_USAGE', msg, { hint }); };
  if (typeof input.name !== 'string' || !NAME.test(input.name)) bad('a key name is 1–100 letters, digits, spaces or _ . : @ / -', 'For example --name "billing service"');
  if (!ENV_PATTERN.test(env)) bad('a key environment is 2–8 lower-case letters', 'For example --env live or --env test');
  for (const [what, list] of [['scopes', input.scopes], ['roles', input.roles]] as const) {
    if (!list) continue;
    if (list.length > MAX_GRANTS) bad(`at most ${MAX_GRANTS} ${what} per key`);
    for (const g of list) if (!GRANT.test(g)) bad(`"${g}" is not a valid ${what.slice(0, -1)}: use 1–64 of A-Z a-z 0-9 : . _ / * -`);
  }
  if (input.expiresAt !== undefined) {
    const t = Date.parse(input.expiresAt);
    if (Number.isNaN(t)) bad(`expiry "${input.expiresAt}" is not a time`);
    if (t <= now.getTime()) bad('the expiry is in the past');
  }
}

/** `90d`, `12h`, `30m`, `45s` → seconds; an ISO time → undefined (the caller parses it). */
export function parseDuration(text: string): number | undefined {
  const m = /^([0-9]{1,6})([smhd])$/.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86_400 }[m[2] as 's' | 'm' | 'h' | 'd'];
}

/** `--expires 90d` or `--expires 2027-01-01T00:00:00Z` → ISO time. */
export function expiryFrom(text: string, now = new Date()): string {
  const sec = parseDuration(text);
  if (sec !== undefined) return new Date(now.getTime() + sec * 1000).toISOString();
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw new PortcullisError('PC_ERR_CLI_USAGE', `"${text}" is neither a duration nor a time`, { hint: 'Use e.g. 90d, 12h, 30m, or an ISO 8601 time.' });
  return new Date(t).toISOString();
}
