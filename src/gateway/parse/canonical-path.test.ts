import { describe, expect, it } from 'vitest';
import { canonicalizePath } from './canonical-path.js';

type Row = [target: string, path: string, query?: string | null];

const accepted: Row[] = [
  // Fast path: already canonical.
  ['/', '/', null],
  ['/public', '/public', null],
  ['/users/1', '/users/1', null],
  ['/admin/', '/admin/', null],
  ['/admin.', '/admin.', null],
  ['/admin.json', '/admin.json', null],
  ['/.well-known/openid-configuration', '/.well-known/openid-configuration', null],
  ['/a/...', '/a/...', null],
  ['/a/.b/..c/c..', '/a/.b/..c/c..', null],
  ['/ADMIN', '/ADMIN', null],
  ['/users/+1', '/users/+1', null],
  ["/a/!$&'()*+,=:@-._~", "/a/!$&'()*+,=:@-._~", null],
  ['/admin%20', '/admin%20', null],
  ['/a%20b%2C', '/a%20b%2C', null],
  ['/caf%C3%A9', '/caf%C3%A9', null],
  ['/%E2%82%AC', '/%E2%82%AC', null],
  ['/%F0%9F%98%80', '/%F0%9F%98%80', null],
  ['/%EF%BF%BF', '/%EF%BF%BF', null],
  ['/%F4%8F%BF%BF', '/%F4%8F%BF%BF', null],
  ['/%ED%9F%BF', '/%ED%9F%BF', null],
  ['/a%25b', '/a%25b', null],
  ['/a%3Fb', '/a%3Fb', null],
  ['/a%23b', '/a%23b', null],
  // Query split at the first '?', bytes returned unchanged.
  ['/public?', '/public', ''],
  ['/public?a=1', '/public', 'a=1'],
  ['/public?/../admin', '/public', '/../admin'],
  ['/public?x=//admin', '/public', 'x=//admin'],
  ['/public?a=%zz;b\\c', '/public', 'a=%zz;b\\c'],
  ['/public??x', '/public', '?x'],
  ['/p/../q?x=%2e%2e', '/q', 'x=%2e%2e'],
  // Dot segments (C1, C2, C10).
  ['/public/../admin', '/admin', null],
  ['/./admin', '/admin', null],
  ['/users/1/../../admin', '/admin', null],
  ['/public/%2e%2e/admin', '/admin', null],
  ['/public/.%2e/admin', '/admin', null],
  ['/public/%2E%2E/admin', '/admin', null],
  ['/public/%2e./admin', '/admin', null],
  ['/%2e/admin', '/admin', null],
  ['/..', '/', null],
  ['/../../..', '/', null],
  ['/../admin', '/admin', null],
  ['/.', '/', null],
  ['/a/..', '/', null],
  ['/a/b/..', '/a/', null],
  ['/a/b/../', '/a/', null],
  ['/admin/.', '/admin/', null],
  ['/admin/./', '/admin/', null],
  ['/a/./b/./c', '/a/b/c', null],
  ['/a/%2E', '/a/', null],
  // Merged slashes (C7).
  ['//admin', '/admin', null],
  ['///admin', '/admin', null],
  ['/public//admin', '/public/admin', null],
  ['//', '/', null],
  ['/a//', '/a/', null],
  ['//evil.example/users/1', '/evil.example/users/1', null],
  ['/a//../b', '/b', null],
  ['/a/b//..', '/a/', null],
  // Decoded exactly once (C5, C11).
  ['/%61dmin', '/admin', null],
  ['/adm%69n', '/admin', null],
  ['/%41%5a%7E%2D%5F', '/AZ~-_', null],
  ['/public/%252e%252e/admin', '/public/%252e%252e/admin', null],
  ['/%2561dmin', '/%2561dmin', null],
  ['/%25%32%65', '/%252e', null],
  // Hex of what stays encoded is upper-cased.
  ['/a%3fb', '/a%3Fb', null],
  ['/caf%c3%a9', '/caf%C3%A9', null],
  ['/caf%C3%a9/../x%7e', '/x~', null],
  ['/x%2a%2b', '/x%2A%2B', null],
  ['/%f0%9f%98%80', '/%F0%9F%98%80', null],
];

const rejected: [target: string, reason: RegExp][] = [
  // Request forms (C14, C15).
  ['', /empty/],
  ['*', /asterisk-form/],
  ['http://evil.example/admin', /absolute-form/],
  ['HTTPS://evil.example/', /absolute-form/],
  ['a+b.c-d:x', /absolute-form/],
  ['evil.example:443', /absolute-form/],
  ['admin', /not origin-form/],
  ['1http://x', /not origin-form/],
  ['?x', /not origin-form/],
  [' /public', /not origin-form/],
  ['\\admin', /not origin-form/],
  // Fragments (C13).
  ['/public#/../admin', /fragment/],
  ['/public#x', /fragment/],
  ['/public?x#y', /fragment/],
  ['/public?#', /fragment/],
  // Encoded separators (C3, C4, C12).
  ['/public%2f..%2fadmin', /encoded slash/],
  ['/public/..%2fadmin', /encoded slash/],
  ['/users/1%2f..%2f..%2fadmin', /encoded slash/],
  ['/a/%2F%2f/c', /encoded slash/],
  ['/users/1%2fadmin', /encoded slash/],
  ['/public/..%5cadmin', /encoded backslash/],
  ['/public/..%5Cadmin', /encoded backslash/],
  ['/admin%00', /encoded NUL/],
  ['/admin%00.json', /encoded NUL/],
  ['/users/1%00', /encoded NUL/],
  ['/admin%09', /encoded control/],
  ['/admin%0a', /encoded control/],
  ['/admin%0D%0A', /encoded control/],
  ['/admin%1f', /encoded control/],
  ['/admin%7F', /encoded control/],
  ['/admin%3b', /encoded semicolon/],
  ['/admin%3Bx=1', /encoded semicolon/],
  // Raw bytes outside RFC 3986 (C4, C9, C16).
  ['/public\\..\\admin', /backslash/],
  ['/public/..\\admin', /backslash/],
  ['/\\evil.example/users/1', /backslash/],
  ['/admin;jsessionid=x', /semicolon/],
  ['/admin..;/', /semicolon/],
  ['/public/..;/admin', /semicolon/],
  ['/users/..;foo=bar/admin', /semicolon/],
  ['/;/admin', /semicolon/],
  ['/.;/admin', /semicolon/],
  ['/users/1;role=admin', /semicolon/],
  ['/a"b', /not allowed/],
  ['/a<b>', /not allowed/],
  ['/a{b}', /not allowed/],
  ['/a|b', /not allowed/],
  ['/a^b', /not allowed/],
  ['/a`b', /not allowed/],
  ['/a[b]', /not allowed/],
  ['/a b', /space/],
  ['/a\tb', /control/],
  ['/a\x00b', /control/],
  ['/a\rb', /control/],
  ['/a\x7fb', /control/],
  ['/caf\u00e9', /non-ASCII/],
  ['/\u00c3\u00a9', /non-ASCII/],
  ['/\u2028', /non-ASCII/],
  ['/\ud800', /non-ASCII/],
  // Malformed percent-encoding (C16).
  ['/users/%ZZ', /malformed/],
  ['/users/%', /malformed/],
  ['/users/%2', /malformed/],
  ['/users/%2?x', /malformed/],
  ['/users/%g0', /malformed/],
  ['/users/%%30', /malformed/],
  ['/users/%-1', /malformed/],
  // Invalid UTF-8 (C6, C16).
  ['/public/%c0%ae%c0%ae/admin', /UTF-8/],
  ['/%c0%af', /UTF-8/],
  ['/%C1%BF', /UTF-8/],
  ['/%E0%80%AE', /UTF-8/],
  ['/%F0%80%80%AE', /UTF-8/],
  ['/users/%E0%A4%A', /UTF-8/],
  ['/%E0%A4', /UTF-8/],
  ['/%C3', /UTF-8/],
  ['/%C3/x', /UTF-8/],
  ['/%C3%41', /UTF-8/],
  ['/%80', /UTF-8/],
  ['/%BF', /UTF-8/],
  ['/%ED%A0%80', /UTF-8/],
  ['/%ED%BF%BF', /UTF-8/],
  ['/%F4%90%80%80', /UTF-8/],
  ['/%F5%80%80%80', /UTF-8/],
  ['/%FF', /UTF-8/],
  ['/%FE%FF', /UTF-8/],
  ['/%C3%A9%A9', /UTF-8/],
];

describe('canonicalizePath accepts and canonicalises', () => {
  it.each(accepted)('%j → %j', (target, path, query = null) => {
    expect(canonicalizePath(target)).toEqual({ ok: true, path, query });
  });
});

describe('canonicalizePath rejects', () => {
  it.each(rejected)('%j', (target, reason) => {
    const r = canonicalizePath(target);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });
});

describe('canonicalizePath properties', () => {
  it('returns the input string itself on the fast path', () => {
    const t = '/users/123/orders';
    const r = canonicalizePath(t);
    expect(r.ok && r.path).toBe(t);
  });

  it('is idempotent on every accepted row', () => {
    for (const [target] of accepted) {
      const r = canonicalizePath(target);
      if (!r.ok) throw new Error(target);
      expect(canonicalizePath(r.path)).toEqual({ ok: true, path: r.path, query: null });
    }
  });

  it('never yields a dot segment, an empty segment or a decoded unreserved escape', () => {
    for (const [target] of accepted) {
      const r = canonicalizePath(target);
      if (!r.ok) continue;
      expect(r.path.startsWith('/')).toBe(true);
      const inner = r.path === '/' ? [] : r.path.slice(1, r.path.endsWith('/') ? -1 : undefined).split('/');
      expect(inner.filter((s) => s === '' || s === '.' || s === '..')).toEqual([]);
      for (let i = r.path.indexOf('%'); i !== -1; i = r.path.indexOf('%', i + 1)) {
        const hex = r.path.slice(i + 1, i + 3);
        expect(hex).toMatch(/^[0-9A-F]{2}$/);
        expect(String.fromCharCode(parseInt(hex, 16))).not.toMatch(/[A-Za-z0-9\-._~]/);
      }
    }
  });

  it('never throws and always answers on hostile input', () => {
    const alphabet = ['/', '.', '%', '2', 'e', 'E', 'f', 'c', '0', 'a', '?', '#', ';', '\\', '\u00ff', 'Z'];
    let seed = 7;
    for (let n = 0; n < 5000; n++) {
      let s = '/';
      const len = n % 24;
      for (let k = 0; k < len; k++) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        s += alphabet[seed % alphabet.length];
      }
      const r = canonicalizePath(s);
      if (r.ok) {
        expect(r.path).not.toMatch(/(^|\/)\.\.?(\/|$)|\/\/|[;\\#]/);
      } else {
        expect(typeof r.reason).toBe('string');
      }
    }
  });

  it('handles a long target in linear time', () => {
    const r = canonicalizePath('/a/..' + '/%2e%2e/b'.repeat(100_000));
    expect(r).toEqual({ ok: true, path: '/b', query: null });
    expect(canonicalizePath('/' + 'a/'.repeat(200_000)).ok).toBe(true);
  });
});
