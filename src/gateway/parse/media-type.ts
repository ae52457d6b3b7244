/**
 * Content-Type parsing (catalogue E11–E15, WAFFLED classes 1–4).
 *
 * RFC 9110 §8.3.1: `type "/" subtype *( OWS ";" OWS [ token "=" ( token / quoted-string ) ] )`.
 * Frameworks disagree on everything outside that grammar (lists, duplicates, RFC 2231 parameters,
 * stray whitespace), which is how a WAF and a backend end up reading different body types, so
 * all of it is refused.
 *
 * Choices:
 * - Trailing OWS is allowed (the grammar's OWS before `;`, and header values may end in it);
 *   leading whitespace is refused (catalogue E13: `\tmultipart/form-data`).
 * - Empty parameters (`a/b;`, `a/b;;c=d`) are allowed, as RFC 9110 allows them.
 * - No whitespace around `=`, and no bytes >= 0x80 even inside quoted strings (obs-text).
 * - Parameter values keep their case (a multipart boundary is case-sensitive).
 */

export type MediaTypeResult =
  | { ok: true; type: string; params: Map<string, string> }
  | { ok: false; reason: string };

const SP = 0x20;
const HT = 0x09;
const SLASH = 0x2f;
const SEMI = 0x3b;
const EQ = 0x3d;
const DQUOTE = 0x22;
const BSLASH = 0x5c;
const STAR = 0x2a;

/** RFC 9110 tchar. */
const TCHAR = new Uint8Array(128);
(() => {
  for (const ch of "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") {
    TCHAR[ch.charCodeAt(0)] = 1;
  }
})();

function isTchar(c: number): boolean {
  return c < 0x80 && TCHAR[c] === 1;
}

function fail(reason: string): MediaTypeResult {
  return { ok: false, reason };
}

function unexpected(c: number): MediaTypeResult {
  if (c === 0x2c) return fail('list of media types');
  if (c < 0x20 || c === 0x7f) return fail('control character in media type');
  if (c >= 0x80) return fail('non-ASCII character in media type');
  return fail('invalid character in media type');
}

/** Parses a Content-Type value. Never throws; linear in the input length. */
export function parseMediaType(header: string | undefined): MediaTypeResult {
  if (header === undefined) return fail('missing media type');
  const s = header;
  const len = s.length;
  if (len === 0) return fail('empty media type');
  let c = s.charCodeAt(0);
  if (c === SP || c === HT) return fail('leading whitespace in media type');

  let i = 0;
  while (i < len && isTchar(s.charCodeAt(i))) i++;
  if (i === 0) return unexpected(c);
  if (i === len) return fail('missing subtype in media type');
  if (s.charCodeAt(i) !== SLASH) return unexpected(s.charCodeAt(i));
  const subStart = ++i;
  while (i < len && isTchar(s.charCodeAt(i))) i++;
  if (i === subStart) return fail('missing subtype in media type');
  const type = s.slice(0, i).toLowerCase();
  const params = new Map<string, string>();

  for (;;) {
    while (i < len && ((c = s.charCodeAt(i)) === SP || c === HT)) i++;
    if (i === len) break;
    c = s.charCodeAt(i);
    if (c !== SEMI) return unexpected(c);
    i++;
    while (i < len && ((c = s.charCodeAt(i)) === SP || c === HT)) i++;
    if (i === len) break;
    c = s.charCodeAt(i);
    if (c === SEMI) continue;

    const nameStart = i;
    let star = false;
    while (i < len && isTchar((c = s.charCodeAt(i)))) {
      if (c === STAR) star = true;
      i++;
    }
    if (i === nameStart) return unexpected(c);
    // `name*=` (RFC 2231/8187 extended) and `name*0=` (continuations): parsers that support them
    // reassemble a different value from the ones that do not (WAFFLED class 4).
    if (star) return fail('RFC 2231 parameter in media type');
    if (i === len || s.charCodeAt(i) !== EQ) {
      if (i < len && (s.charCodeAt(i) === SP || s.charCodeAt(i) === HT)) return fail("whitespace before '=' in media type");
      return fail('media type parameter without value');
    }
    const name = s.slice(nameStart, i).toLowerCase();
    i++;

    let value: string;
    if (i < len && s.charCodeAt(i) === DQUOTE) {
      i++;
      let run = i;
      value = '';
      for (;;) {
        if (i >= len) return fail('unterminated quoted string in media type');
        c = s.charCodeAt(i);
        if (c === DQUOTE) break;
        if (c === BSLASH) {
          const e = s.charCodeAt(i + 1);
          if (!(e === HT || (e >= 0x20 && e <= 0x7e))) return Number.isNaN(e) ? fail('unterminated quoted string in media type') : unexpected(e);
          value += s.slice(run, i);
          run = i + 1;
          i += 2;
          continue;
        }
        if (c !== HT && (c < 0x20 || c > 0x7e)) return unexpected(c);
        i++;
      }
      value += s.slice(run, i);
      i++;
    } else {
      const vStart = i;
      while (i < len && isTchar(s.charCodeAt(i))) i++;
      if (i === vStart) return i === len ? fail('media type parameter without value') : s.charCodeAt(i) === SP || s.charCodeAt(i) === HT ? fail("whitespace after '=' in media type") : unexpected(s.charCodeAt(i));
      value = s.slice(vStart, i);
    }
    if (params.has(name)) return fail('duplicate media type parameter');
    params.set(name, value);
  }
  return { ok: true, type, params };
}

/** Only absent, `utf-8` or `us-ascii` (catalogue E15): other charsets let a body hide from inspection. */
export function isAllowedCharset(params: Map<string, string>): boolean {
  const cs = params.get('charset');
  if (cs === undefined) return true;
  const v = cs.toLowerCase();
  return v === 'utf-8' || v === 'us-ascii';
}

/** `application/json` or an `application/…+json` structured-syntax type (RFC 6839). */
export function isJsonMediaType(type: string): boolean {
  const t = type.toLowerCase();
  if (t === 'application/json') return true;
  // Needs a non-empty name before the suffix: `application/+json` is not a media type of its own.
  return t.length > 17 && t.startsWith('application/') && t.endsWith('+json');
}

/** `application/xml`, `text/xml` or a `…+xml` structured-syntax type (SOAP, SVG, Atom). */
export function isXmlMediaType(type: string): boolean {
  const t = type.toLowerCase();
  if (t === 'application/xml' || t === 'text/xml') return true;
  const slash = t.indexOf('/');
  return slash > 0 && t.endsWith('+xml') && t.length - slash > 5;
}
