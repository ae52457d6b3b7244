import { createHmac, randomBytes } from 'node:crypto';
import { isCredentialCookie, isCredentialName } from './redact.js';

/**
 * Who made a request, as an opaque token: the salted hash of the identity a credential carries,
 * computed while the source still sees the credential and before it is reduced to its scheme.
 * Discovery counts distinct callers and per-caller rates with it; it never writes it out.
 *
 * The identity, first found of:
 * 1. `Authorization`: a JWT bearer's `iss` and `sub` (read, not verified: this is statistics, not
 *    access control; a refreshed token is the same caller), else a basic user name (never its
 *    password), else the credential itself (an opaque token);
 * 2. an API-key header (`X-Api-Key`, any credential-named header but `Cookie`): the key;
 * 3. a credential-named query parameter (`api_key`, `access_token`): its value;
 * 4. credential cookies (`session`, `sid`, `JSESSIONID`; redact.ts `isCredentialCookie`): their values.
 *
 * The salt is random per process, so hashes compare within one run only and cannot be looked up
 * against a list of known keys. A source without credentials gives none; discovery then keys on
 * the client IP (inventory/principals.ts).
 */

const SALT = randomBytes(32);

/** Characters of a credential read: a longer value is cut before hashing (the head is identity enough). */
const MAX_CREDENTIAL = 8_192;
const MAX_JWT_PAYLOAD = 4_096;

/**
 * User names from a log's user field repeat on every line of their user: their hashes are kept
 * (a bounded map, emptied when full). Credentials are not: they are hashed each time, so no map
 * holds a key or a token.
 */
const USER_CACHE = new Map<string, string>();
const MAX_USER_CACHE = 4_096;

export function principalHash(kind: string, identity: string): string {
  if (kind !== 'user') return hmac(kind, identity);
  let h = USER_CACHE.get(identity);
  if (h === undefined) {
    if (USER_CACHE.size >= MAX_USER_CACHE) USER_CACHE.clear();
    h = hmac(kind, identity);
    USER_CACHE.set(identity, h);
  }
  return h;
}

function hmac(kind: string, identity: string): string {
  return createHmac('sha256', SALT).update(kind).update('\0').update(identity.slice(0, MAX_CREDENTIAL)).digest('base64url').slice(0, 22);
}

function jwtSubject(token: string): string | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[1]!.length > MAX_JWT_PAYLOAD) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
    if (claims === null || typeof claims !== 'object') return undefined;
    const { sub, iss } = claims as { sub?: unknown; iss?: unknown };
    if (typeof sub !== 'string' || sub === '') return undefined;
    return `${typeof iss === 'string' ? iss : ''}\0${sub}`;
  } catch {
    return undefined;
  }
}

function fromAuthorization(value: string): string | undefined {
  const v = value.trim();
  if (v === '') return undefined;
  const space = v.search(/\s/);
  const scheme = space < 0 ? '' : v.slice(0, space).toLowerCase();
  const credential = space < 0 ? v : v.slice(space).trim();
  if (scheme === 'bearer') {
    const sub = jwtSubject(credential);
    return sub === undefined ? principalHash('bearer', credential) : principalHash('jwt', sub);
  }
  if (scheme === 'basic') {
    const decoded = Buffer.from(credential.slice(0, MAX_CREDENTIAL), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return principalHash('basic', colon < 0 ? decoded : decoded.slice(0, colon));
  }
  return principalHash('authorization', v);
}

function fromCookies(value: string): string | undefined {
  const parts: string[] = [];
  for (const pair of value.split(';')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const name = pair.slice(0, eq).trim();
    if (isCredentialCookie(name)) parts.push(`${name}=${pair.slice(eq + 1).trim()}`);
  }
  return parts.length === 0 ? undefined : principalHash('cookie', parts.sort().join(';'));
}

/**
 * The principal of a request from its raw headers (name, value as sent) and raw query string;
 * undefined when it carries no credential.
 */
export function principalOf(headers: Iterable<readonly [string, string]>, search = ''): string | undefined {
  let apiKey: string | undefined;
  let cookie: string | undefined;
  for (const [rawName, rawValue] of headers) {
    const name = String(rawName).trim().toLowerCase();
    const value = String(rawValue);
    if (name === 'authorization') {
      const p = fromAuthorization(value);
      if (p) return p;
    } else if (name === 'cookie') cookie ??= value;
    else if (apiKey === undefined && name !== 'proxy-authorization' && isCredentialName(name) && value.trim() !== '') apiKey = value.trim();
  }
  if (apiKey !== undefined) return principalHash('apikey', apiKey);
  const q = search.startsWith('?') ? search.slice(1) : search;
  for (const pair of q === '' ? [] : q.split('&', 200)) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    let name = pair.slice(0, eq);
    try {
      name = decodeURIComponent(name.replace(/\+/g, ' '));
    } catch { /* a bad escape: the name as sent */ }
    if (isCredentialName(name) && eq + 1 < pair.length) return principalHash('query', pair.slice(eq + 1));
  }
  return cookie === undefined ? undefined : fromCookies(cookie);
}
