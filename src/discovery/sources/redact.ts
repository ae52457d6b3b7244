import { keyWords } from '../../detect/data-classes/context.js';
import { REDACTED, type AuthScheme } from './record.js';

/**
 * What names a credential. A name is one when one of its words (as `keyWords` splits
 * `X-Api-Key`, `access_token`, `clientSecret`) is below: header names, query names and JSON
 * member names alike. Words, not substrings: `monkey` and `keep-alive` are not credentials.
 */
const CREDENTIAL_WORDS: ReadonlySet<string> = new Set([
  'authorization', 'auth', 'cookie', 'session', 'sid', 'token', 'key', 'apikey', 'secret', 'password', 'passwd', 'pwd',
  'credential', 'credentials', 'signature', 'sig', 'jwt', 'otp', 'pin', 'cvv', 'cvc',
]);

/** With `code`, these make it a one-time secret: `resetCode`, `otp_code`, `verification-code`. */
const ONE_TIME_WORDS: ReadonlySet<string> = new Set(['reset', 'verification', 'verify', 'confirmation', 'confirm', 'recovery', 'mfa', 'totp', 'sms', 'authorization', 'access', 'login', 'activation', 'magic']);

export function isCredentialName(name: string): boolean {
  const words = keyWords(name);
  for (const w of words) if (CREDENTIAL_WORDS.has(w)) return true;
  // A bare `code` is an OAuth authorization code or a one-time code far more often than
  // anything worth keeping in a report; `countryCode`, `errorCode` stay.
  if (words.includes('code')) return words.length === 1 || words.some((w) => ONE_TIME_WORDS.has(w));
  return false;
}

/**
 * The scheme a credential header used. `Authorization: Bearer …` → bearer, `Basic …` → basic,
 * any other scheme or a bare value (`Token …`, `ApiKey …`, `X-Api-Key: …`) → apikey: an opaque
 * key as far as discovery can tell; `Cookie` → cookie; an empty value → none.
 */
export function authScheme(name: string, value: string): AuthScheme {
  const v = value.trim();
  if (v === '') return 'none';
  if (name === 'cookie') return 'cookie';
  if (name === 'authorization' || name === 'proxy-authorization') {
    const scheme = v.split(/\s/, 1)[0]!.toLowerCase();
    if (scheme === 'bearer') return 'bearer';
    if (scheme === 'basic') return 'basic';
  }
  return 'apikey';
}

/**
 * Headers as a record keeps them: names lower-cased, repeated headers joined with `, `, values
 * capped, credentials reduced to their scheme. At most `maxHeaders` names.
 */
export function reduceHeaders(headers: Iterable<readonly [string, string]>, maxHeaders: number, maxValueLength: number): Record<string, string> {
  const out = new Map<string, string>();
  for (const [rawName, rawValue] of headers) {
    const name = String(rawName).trim().toLowerCase();
    if (name === '' || name.startsWith(':')) continue; // HTTP/2 pseudo-headers repeat the method and path
    const value = String(rawValue);
    const prev = out.get(name);
    if (prev === undefined && out.size >= maxHeaders) continue;
    if (isCredentialName(name)) {
      // A second credential under the same name: the first scheme stays, the value is gone either way.
      if (prev === undefined) out.set(name, authScheme(name, value));
      continue;
    }
    const v = value.length > maxValueLength ? value.slice(0, maxValueLength) : value;
    out.set(name, prev === undefined ? v : `${prev}, ${v}`.slice(0, maxValueLength));
  }
  return Object.fromEntries(out);
}

const MAX_COOKIE_NAMES = 10;
const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,64}$/;

/**
 * A cookie that carries a session or a credential: credential-named (`session`, `auth_token`,
 * `connect.sid`), or one of the platform session cookies whose name is one word
 * (`JSESSIONID`, `PHPSESSID`, `ASP.NET_SessionId`). Tracking and preference cookies are not.
 */
export function isCredentialCookie(name: string): boolean {
  return isCredentialName(name) || /sess|sid|token|auth|jwt/i.test(name);
}

/** The names (never the values) of credential cookies, at most MAX_COOKIE_NAMES, sorted. */
export function credentialCookieNames(headers: Iterable<readonly [string, string]>): string[] {
  const names = new Set<string>();
  for (const [rawName, value] of headers) {
    if (String(rawName).trim().toLowerCase() !== 'cookie') continue;
    for (const pair of String(value).split(';')) {
      const eq = pair.indexOf('=');
      const name = (eq < 0 ? pair : pair.slice(0, eq)).trim();
      if (names.size < MAX_COOKIE_NAMES && COOKIE_NAME.test(name) && isCredentialCookie(name)) names.add(name);
    }
  }
  return [...names].sort();
}

const MAX_REDACT_DEPTH = 64;

/** A JSON value with the string and number values of credential-named members replaced by REDACTED. */
export function redactJson(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_REDACT_DEPTH) return Array.isArray(value) ? [] : {};
  if (Array.isArray(value)) return value.map((v) => redactJson(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] = isCredentialName(k) && (typeof v === 'string' || typeof v === 'number') ? REDACTED : redactJson(v, depth + 1);
  }
  return out;
}
