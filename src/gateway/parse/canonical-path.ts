import { hexVal, pctByte } from './percent.js';
/**
 * Canonical request path (catalogue §C; "Path" and "Request forms" rows of the limits table).
 *
 * The gateway routes, authorises and forwards the string returned here, so the upstream can never
 * see a path that resolves differently from the one that was checked (Envoy/Kong edge behaviour).
 * Anything a peer could read two ways is rejected rather than repaired.
 */

export type CanonicalPathResult =
  | { ok: true; path: string; query: string | null }
  | { ok: false; reason: string };

const SLASH = 0x2f;
const PCT = 0x25;
const DOT = 0x2e;
const QMARK = '?';

/** Raw path characters: RFC 3986 pchar and '/', minus ';' (servlet path parameters, catalogue C9). */
const PATH_OK = new Uint8Array(128);
/** Characters whose percent-encoding is decoded (RFC 3986 §2.3 unreserved). */
const UNRESERVED = new Uint8Array(128);
/** Why an encoded ASCII byte is refused; '' means it stays encoded. */
const ENCODED_REJECT: string[] = new Array<string>(128).fill('');

(() => {
  const alnum = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  for (const ch of alnum + '-._~') {
    UNRESERVED[ch.charCodeAt(0)] = 1;
    PATH_OK[ch.charCodeAt(0)] = 1;
  }
  for (const ch of "!$&'()*+,=:@/") PATH_OK[ch.charCodeAt(0)] = 1;
  for (let b = 0; b < 0x20; b++) ENCODED_REJECT[b] = 'encoded control character in path';
  ENCODED_REJECT[0x00] = 'encoded NUL in path';
  ENCODED_REJECT[0x7f] = 'encoded control character in path';
  // Decoding these would change the segment structure for some upstream (catalogue C3, C4, C9).
  ENCODED_REJECT[0x2f] = 'encoded slash in path';
  ENCODED_REJECT[0x5c] = 'encoded backslash in path';
  ENCODED_REJECT[0x3b] = 'encoded semicolon in path';
})();

function fail(reason: string): CanonicalPathResult {
  return { ok: false, reason };
}



/**
 * Validates a percent-encoded UTF-8 sequence whose lead byte (at i) is >= 0x80. Returns the index
 * just past it, or -1. The ranges are RFC 3629 §4, so overlongs (%C0%AE = '.'), surrogates and
 * code points above U+10FFFF are refused: a lenient decoder elsewhere could turn them into `..`.
 */
function utf8End(s: string, i: number, end: number, lead: number): number {
  let need: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) need = 1;
  else if (lead === 0xe0) { need = 2; lo = 0xa0; }
  else if ((lead >= 0xe1 && lead <= 0xec) || lead === 0xee || lead === 0xef) need = 2;
  else if (lead === 0xed) { need = 2; hi = 0x9f; }
  else if (lead === 0xf0) { need = 3; lo = 0x90; }
  else if (lead >= 0xf1 && lead <= 0xf3) need = 3;
  else if (lead === 0xf4) { need = 3; hi = 0x8f; }
  else return -1;
  let j = i + 3;
  for (let k = 0; k < need; k++) {
    const b = pctByte(s, j, end);
    if (b < lo || b > hi) return -1;
    lo = 0x80;
    hi = 0xbf;
    j += 3;
  }
  return j;
}

function rawReason(c: number): string {
  if (c === 0x5c) return 'backslash in path';
  if (c === 0x3b) return 'semicolon in path (path parameters are ambiguous)';
  if (c === 0x23) return 'fragment in request target';
  if (c < 0x20 || c === 0x7f) return 'control character in path';
  if (c === 0x20) return 'space in path';
  if (c >= 0x80) return 'non-ASCII byte in path (must be percent-encoded)';
  return 'character not allowed in path';
}

function notOriginForm(target: string): string {
  if (target === '*') return 'asterisk-form request target';
  // scheme ":" → absolute-form; "host:port" (CONNECT) lands here too, which is fine: both are refused.
  const colon = target.indexOf(':');
  if (colon > 0) {
    let scheme = true;
    for (let i = 0; i < colon; i++) {
      const c = target.charCodeAt(i) | 0x20;
      const alpha = c >= 0x61 && c <= 0x7a;
      if (!alpha && (i === 0 || !((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e))) {
        scheme = false;
        break;
      }
    }
    if (scheme) return 'absolute-form request target';
  }
  return 'request target is not origin-form';
}

function isDotSegment(s: string, from: number, to: number): boolean {
  const n = to - from;
  return (n === 1 && s.charCodeAt(from) === DOT) || (n === 2 && s.charCodeAt(from) === DOT && s.charCodeAt(from + 1) === DOT);
}

/**
 * Canonicalises an origin-form request target (`req.url`). The query is returned byte for byte
 * (catalogue C20: slashes are merged only before `?`); it is validated by parseQuery.
 * Never throws; linear in the input length.
 */
export function canonicalizePath(target: string): CanonicalPathResult {
  const len = target.length;
  if (len === 0) return fail('empty request target');
  if (target.charCodeAt(0) !== SLASH) return fail(notOriginForm(target));

  const q = target.indexOf(QMARK);
  const end = q === -1 ? len : q;
  if (q !== -1 && target.indexOf('#', q + 1) !== -1) return fail('fragment in request target');

  // Pass 1: validate, and find out whether anything needs rewriting.
  let rewrite = false;
  let segStart = 1;
  for (let i = 1; i < end; i++) {
    const c = target.charCodeAt(i);
    if (c < 0x80 && PATH_OK[c] === 1) {
      if (c === SLASH) {
        if (i === segStart || isDotSegment(target, segStart, i)) rewrite = true;
        segStart = i + 1;
      }
      continue;
    }
    if (c !== PCT) return fail(rawReason(c));
    const b = pctByte(target, i, end);
    if (b < 0) return fail('malformed percent-encoding in path');
    if (b < 0x80) {
      const why = ENCODED_REJECT[b];
      if (why) return fail(why);
      if (UNRESERVED[b] === 1 || target.charCodeAt(i + 1) >= 0x61 || target.charCodeAt(i + 2) >= 0x61) rewrite = true;
      i += 2;
      continue;
    }
    const next = utf8End(target, i, end, b);
    if (next < 0) return fail('invalid UTF-8 in percent-encoded path');
    if (!rewrite) {
      for (let j = i + 1; j < next; j++) if (target.charCodeAt(j) >= 0x61) rewrite = true;
    }
    i = next - 1;
  }
  if (isDotSegment(target, segStart, end)) rewrite = true;

  const query = q === -1 ? null : target.slice(q + 1);
  if (!rewrite) return { ok: true, path: q === -1 ? target : target.slice(0, end), query };

  // Pass 2: decode unreserved exactly once and upper-case the hex of everything left encoded.
  // Input is already validated, so every '%' here is followed by two hex digits.
  let decoded = '';
  let run = 0;
  for (let i = 0; i < end; i++) {
    if (target.charCodeAt(i) !== PCT) continue;
    const c1 = target.charCodeAt(i + 1);
    const c2 = target.charCodeAt(i + 2);
    const b = (hexVal(c1) << 4) | hexVal(c2);
    decoded += target.slice(run, i);
    if (b < 0x80 && UNRESERVED[b] === 1) decoded += String.fromCharCode(b);
    else decoded += '%' + String.fromCharCode(c1 >= 0x61 ? c1 - 0x20 : c1, c2 >= 0x61 ? c2 - 0x20 : c2);
    i += 2;
    run = i + 1;
  }
  decoded += target.slice(run, end);

  return { ok: true, path: removeDotSegments(decoded), query };
}

/**
 * RFC 3986 §5.2.4 with empty segments dropped first (slash merging), so `/a//../b` is `/b`, as
 * nginx (merge_slashes) resolves it. `..` at the root stays at the root; a trailing `/`, `/.` or
 * `/..` leaves a trailing slash.
 */
function removeDotSegments(path: string): string {
  const parts = path.split('/');
  const out: string[] = [];
  let trailingSlash = false;
  const last = parts.length - 1;
  for (let i = 1; i <= last; i++) {
    const seg = parts[i] ?? '';
    if (seg === '' || seg === '.') {
      if (i === last) trailingSlash = true;
    } else if (seg === '..') {
      out.pop();
      if (i === last) trailingSlash = true;
    } else {
      out.push(seg);
      trailingSlash = false;
    }
  }
  if (out.length === 0) return '/';
  return '/' + out.join('/') + (trailingSlash ? '/' : '');
}
