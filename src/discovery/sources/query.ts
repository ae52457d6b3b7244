import { isCredentialName } from './redact.js';
import { REDACTED } from './record.js';

function decode(s: string): string {
  const plus = s.includes('+') ? s.replace(/\+/g, ' ') : s;
  if (!plus.includes('%')) return plus;
  try {
    return decodeURIComponent(plus);
  } catch {
    return plus;
  }
}

/**
 * `a=1&b=x+y&a=2` → { a: ['1', '2'], b: 'x y' }, as `application/x-www-form-urlencoded` reads
 * it. Values of credential-named parameters (`api_key`, `access_token`) become REDACTED: the
 * parameter's existence is what an audit needs, not its value. Bounded: `maxParams` names
 * (further pairs dropped), values cut at `maxValueLength`.
 */
export function parseQuery(search: string, maxParams: number, maxValueLength: number): Record<string, string | string[]> {
  const out = new Map<string, string | string[]>();
  const s = search.startsWith('?') ? search.slice(1) : search;
  if (s === '') return {};
  for (const pair of s.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decode(eq < 0 ? pair : pair.slice(0, eq));
    if (name === '') continue;
    let value = eq < 0 ? '' : decode(pair.slice(eq + 1));
    if (isCredentialName(name)) value = REDACTED;
    else if (value.length > maxValueLength) value = value.slice(0, maxValueLength);
    const prev = out.get(name);
    if (prev === undefined) {
      if (out.size >= maxParams) continue;
      out.set(name, value);
    } else if (Array.isArray(prev)) {
      if (prev.length < maxParams) prev.push(value);
    } else out.set(name, [prev, value]);
  }
  return Object.fromEntries(out);
}

/** Splits a request target (`/a/b?x=1#f` or an absolute URL) into its path and query string. */
export function splitTarget(target: string): { path: string; search: string } | undefined {
  let t = target;
  const hash = t.indexOf('#');
  if (hash >= 0) t = t.slice(0, hash);
  if (!t.startsWith('/')) {
    // Absolute form (proxies, HAR): scheme://authority/path
    const m = /^[A-Za-z][A-Za-z0-9+.-]{0,15}:\/\/[^/?#]*/.exec(t);
    if (!m) return undefined;
    t = t.slice(m[0].length);
    if (t === '' || t.startsWith('?')) t = '/' + t;
  }
  const q = t.indexOf('?');
  return q < 0 ? { path: t, search: '' } : { path: t.slice(0, q), search: t.slice(q + 1) };
}
