import { pctByte } from './percent.js';
/**
 * Strict parser for query strings and application/x-www-form-urlencoded bodies (catalogue E16,
 * F15; "Query params" row of the limits table).
 *
 * Choices:
 * - `+` is a space in both queries and forms, as WHATWG URLSearchParams (and so most frameworks)
 *   decode them; `%2B` is a literal `+`. `form` only changes the wording of errors.
 * - A raw `;` is refused (Python < 3.9.2, old PHP/Java split on it: CVE-2021-23336). An encoded
 *   `%3B` is unambiguous data and decodes to `;`.
 * - Refused: malformed `%`, percent-encoded bytes that are not valid UTF-8 (RFC 3629: overlongs,
 *   surrogates, > U+10FFFF), `%00`, raw control characters and raw bytes >= 0x80 (clients
 *   percent-encode them; a raw one means the bytes could be read in two charsets). Encoded
 *   controls other than NUL are kept: forms legitimately send `%0D%0A` for textarea newlines.
 * - With `keepNul`, `%00` decodes to U+0000 and the result says `nul: true` instead of failing:
 *   the caller still refuses the request, but only once the detectors have read its values (a
 *   NUL is how payloads such as `<scr%00ipt>` dodge filters, and JSON bodies hand NUL to the
 *   detectors too). Every other refusal stays immediate.
 * - Empty pairs are skipped; `k` is `k=''`; `=v` is the empty key; `a=b=c` is `a` → `b=c`.
 * - The input has no leading `?` (canonicalizePath strips it); one would be part of the first key.
 */

export interface QueryOptions {
  /** Most pairs accepted (default 100). */
  maxParams?: number;
  /** The input is a form body (only affects error messages). */
  form?: boolean;
  /** Decode `%00` to U+0000 and report it (`nul: true`) instead of failing; default false. */
  keepNul?: boolean;
}

export type QueryResult =
  | { ok: true; params: Map<string, string[]>; /** Some key or value held an encoded NUL (only with `keepNul`). */ nul?: true }
  | { ok: false; reason: string };

const AMP = 0x26;
const EQ = 0x3d;
const PCT = 0x25;
const PLUS = 0x2b;
const SEMI = 0x3b;

export const DEFAULT_MAX_PARAMS = 100;

/** Decode failures: constants, so the hot path allocates nothing to report them. */
const BAD_PCT = { reason: 'malformed percent-encoding' };
const BAD_UTF8 = { reason: 'percent-encoded bytes are not valid UTF-8' };
const NUL = { reason: 'encoded NUL' };
type DecodeError = typeof BAD_PCT;



/** Decodes raw[from, to): `+` → space, `%XX` → UTF-8. Raw characters were checked by the caller. `%00` fails unless `nul` is given, which then records it. */
function decode(s: string, from: number, to: number, nul?: { seen: boolean }): string | DecodeError {
  let out = '';
  let run = from;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c === PLUS) {
      out += s.slice(run, i) + ' ';
      run = i + 1;
      continue;
    }
    if (c !== PCT) continue;
    const b = pctByte(s, i, to);
    if (b < 0) return BAD_PCT;
    if (b === 0) {
      if (nul === undefined) return NUL;
      nul.seen = true;
    }
    out += s.slice(run, i);
    if (b < 0x80) {
      out += String.fromCharCode(b);
      i += 2;
    } else {
      // RFC 3629 §4 well-formed sequences only.
      let need: number;
      let lo = 0x80;
      let hi = 0xbf;
      let cp: number;
      if (b >= 0xc2 && b <= 0xdf) { need = 1; cp = b & 0x1f; }
      else if (b === 0xe0) { need = 2; lo = 0xa0; cp = 0; }
      else if ((b >= 0xe1 && b <= 0xec) || b === 0xee || b === 0xef) { need = 2; cp = b & 0x0f; }
      else if (b === 0xed) { need = 2; hi = 0x9f; cp = 0x0d; }
      else if (b === 0xf0) { need = 3; lo = 0x90; cp = 0; }
      else if (b >= 0xf1 && b <= 0xf3) { need = 3; cp = b & 0x07; }
      else if (b === 0xf4) { need = 3; hi = 0x8f; cp = 4; }
      else return BAD_UTF8;
      let j = i + 3;
      for (let k = 0; k < need; k++) {
        const cb = pctByte(s, j, to);
        if (cb < lo || cb > hi) return cb < 0 && s.charCodeAt(j) === PCT ? BAD_PCT : BAD_UTF8;
        cp = (cp << 6) | (cb & 0x3f);
        lo = 0x80;
        hi = 0xbf;
        j += 3;
      }
      out += String.fromCodePoint(cp);
      i = j - 1;
    }
    run = i + 1;
  }
  return out + s.slice(run, to);
}

function fail(subject: string, form: boolean | undefined, suffix = ''): QueryResult {
  return { ok: false, reason: `${subject} in ${form ? 'form body' : 'query'}${suffix}` };
}

/** Parses `raw` (no leading `?`). Never throws; linear in the input length. */
export function parseQuery(raw: string, opts?: QueryOptions): QueryResult {
  const params = new Map<string, string[]>();
  const len = raw.length;
  if (len === 0) return { ok: true, params };
  const max = opts?.maxParams ?? DEFAULT_MAX_PARAMS;
  const form = opts?.form;
  const nul = opts?.keepNul ? { seen: false } : undefined;
  let count = 0;
  let start = 0;
  let eq = -1;
  // Whether the key / value part contains '%' or '+': otherwise a slice is the decoded text.
  let keyEnc = false;
  let valEnc = false;
  for (let i = 0; i <= len; i++) {
    const c = i < len ? raw.charCodeAt(i) : AMP;
    if (c === AMP) {
      if (i > start) {
        if (++count > max) return fail(`more than ${max} parameters`, form);
        const keyEnd = eq < 0 ? i : eq;
        const key = keyEnc ? decode(raw, start, keyEnd, nul) : raw.slice(start, keyEnd);
        if (typeof key !== 'string') return fail(key.reason, form);
        let value = '';
        if (eq >= 0) {
          const v = valEnc ? decode(raw, eq + 1, i, nul) : raw.slice(eq + 1, i);
          if (typeof v !== 'string') return fail(v.reason, form);
          value = v;
        }
        const list = params.get(key);
        if (list === undefined) params.set(key, [value]);
        else list.push(value);
      }
      start = i + 1;
      eq = -1;
      keyEnc = false;
      valEnc = false;
    } else if (c === EQ) {
      if (eq < 0) eq = i;
    } else if (c === PCT || c === PLUS) {
      if (eq < 0) keyEnc = true;
      else valEnc = true;
    } else if (c === SEMI) {
      return fail('`;`', form, ' is ambiguous (some stacks split on it)');
    } else if (c < 0x20 || c === 0x7f) {
      return fail('control character', form);
    } else if (c >= 0x80) {
      return fail('raw non-ASCII byte (must be percent-encoded)', form);
    }
  }
  return nul?.seen ? { ok: true, params, nul: true } : { ok: true, params };
}
