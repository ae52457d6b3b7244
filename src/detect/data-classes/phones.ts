import { codeAt, dashJoined, isAlnum } from './chars.js';
import type { Detector } from './types.js';

/**
 * Phone numbers. A bare run of digits is never a phone (order ids, timestamps, 1700000000), so a
 * number must show its shape:
 * - international: `+` then an assigned E.164 country code, 8–15 digits in all (11 for +1 and +7),
 *   groups split by single spaces, dashes or dots, at most one parenthesised group (`+44 (0)20 …`);
 * - North American: `(415) 555-2671`, `415-555-2671`, `415.555.2671`, optionally after `1-` / `1 `;
 *   the plain-space form `415 555 2671` also needs an area code starting 2–9;
 * - national with trunk prefix: a first group `0[1-9]` of 2–5 digits (or in parentheses), then
 *   groups of 2–8 digits with one consistent separator, 10–12 digits in all (`020 7946 0958`,
 *   `01 23 45 67 89`, `(030) 1234567`; US zip+4 `02134-1234` has 9).
 * Other national formats (no trunk 0, no separators) are not recognised. A phone written with
 * spaces must not have more digit groups next to it (`100 200 3000 4000` is a list of numbers), and
 * none may be joined to a word by a dash (`ORD-100-200-3000`).
 */

/** E.164 country codes in service (a prefix code: none is a prefix of another). */
const COUNTRY_CODES = new Set(
  ('1 7 20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 63 ' +
    '64 65 66 81 82 84 86 90 91 92 93 94 95 98 211 212 213 216 218 220 221 222 223 224 225 226 227 ' +
    '228 229 230 231 232 233 234 235 236 237 238 239 240 241 242 243 244 245 246 247 248 249 250 ' +
    '251 252 253 254 255 256 257 258 260 261 262 263 264 265 266 267 268 269 290 291 297 298 299 ' +
    '350 351 352 353 354 355 356 357 358 359 370 371 372 373 374 375 376 377 378 379 380 381 382 ' +
    '383 385 386 387 389 420 421 423 500 501 502 503 504 505 506 507 508 509 590 591 592 593 594 ' +
    '595 596 597 598 599 670 672 673 674 675 676 677 678 679 680 681 682 683 685 686 687 688 689 ' +
    '690 691 692 800 808 850 852 853 855 856 870 878 880 881 882 883 886 888 960 961 962 963 964 ' +
    '965 966 967 968 970 971 972 973 974 975 976 977 979 992 993 994 995 996 997 998').split(' '),
);

function countryCode(digits: string): string | undefined {
  for (let n = 1; n <= 3; n++) if (COUNTRY_CODES.has(digits.slice(0, n))) return digits.slice(0, n);
  return undefined;
}

/** A run of characters a phone can be written with. */
const RUN = /[+(\d][\d ().+-]*/g;

/**
 * A run split into digit groups and single characters, as parallel arrays (runs can be a
 * megabyte long; one object per token would dominate the cost).
 */
const D = 0x64; // digit group
const S = 0x73; // separator: space, '-' or '.'
const OPEN = 0x28;
const CLOSE = 0x29;
const PLUS = 0x2b;

interface Tokens { n: number; kind: Uint8Array; start: Int32Array; end: Int32Array }

function tokenize(text: string, start: number, end: number): Tokens {
  const cap = end - start;
  const t: Tokens = { n: 0, kind: new Uint8Array(cap), start: new Int32Array(cap), end: new Int32Array(cap) };
  for (let i = start; i < end; ) {
    const c = text.charCodeAt(i);
    let j = i + 1;
    let kind = c === OPEN || c === CLOSE || c === PLUS ? c : S;
    if (c >= 0x30 && c <= 0x39) {
      while (j < end && text.charCodeAt(j) >= 0x30 && text.charCodeAt(j) <= 0x39) j++;
      kind = D;
    }
    t.kind[t.n] = kind;
    t.start[t.n] = i;
    t.end[t.n] = j;
    t.n++;
    i = j;
  }
  return t;
}

interface Item { digits: string; paren: boolean }
interface Parsed { plus: boolean; items: Item[]; seps: string[] }

/** Tokens [i, j] as groups and the single separators between them, or undefined if malformed. */
function parse(text: string, t: Tokens, i: number, j: number): Parsed | undefined {
  const out: Parsed = { plus: false, items: [], seps: [] };
  let k = i;
  if (t.kind[k] === PLUS) { out.plus = true; k++; }
  for (;;) {
    if (k > j) return undefined;
    if (t.kind[k] === OPEN) {
      if (k + 2 > j || t.kind[k + 1] !== D || t.kind[k + 2] !== CLOSE) return undefined;
      out.items.push({ digits: text.slice(t.start[k + 1], t.end[k + 1]), paren: true });
      k += 3;
    } else if (t.kind[k] === D) {
      out.items.push({ digits: text.slice(t.start[k], t.end[k]), paren: false });
      k++;
    } else {
      return undefined;
    }
    if (k > j) return out;
    if (t.kind[k] === S) {
      out.seps.push(text[t.start[k]!]!);
      k++;
    } else if (t.kind[k] === OPEN || out.items[out.items.length - 1]!.paren) {
      out.seps.push(''); // only a parenthesised group may touch its neighbour: `+44(0)20`, `(030)123`
    } else {
      return undefined;
    }
  }
}

function international(p: Parsed): boolean {
  if (!p.plus || p.items[0]!.paren || p.items.filter((x) => x.paren).length > 1) return false;
  if (p.items.some((x) => x.paren && x.digits.length > 4)) return false;
  const digits = p.items.map((x) => x.digits).join('');
  const cc = countryCode(digits);
  if (!cc || digits.length < 8 || digits.length > 15) return false;
  return (cc !== '1' && cc !== '7') || digits.length === 11;
}

function northAmerican(p: Parsed): boolean {
  if (p.plus) return false;
  let items = p.items;
  let seps = p.seps;
  let lead = '';
  if (items.length === 4 && items[0]!.digits === '1' && !items[0]!.paren) {
    lead = seps[0]!;
    if (!lead) return false;
    items = items.slice(1);
    seps = seps.slice(1);
  }
  if (items.length !== 3) return false;
  const [area, exchange, line] = items as [Item, Item, Item];
  if (area.digits.length !== 3 || exchange.digits.length !== 3 || line.digits.length !== 4) return false;
  if (exchange.paren || line.paren) return false;
  const [s1, s2] = seps as [string, string];
  if (area.paren) return (s1 === '' || s1 === ' ' || s1 === '-') && s2 !== '' && (!lead || lead !== '.');
  if (s1 !== s2 || (lead && lead !== s1)) return false;
  // Three space-separated numbers are weak evidence: also require a valid area code.
  return s1 !== ' ' || area.digits[0]! >= '2';
}

function trunkPrefixed(p: Parsed): boolean {
  if (p.plus || p.items.length < 2 || p.items.length > 5) return false;
  const [first, ...rest] = p.items as [Item, ...Item[]];
  if (!/^0[1-9]\d{0,3}$/.test(first.digits) || rest.some((x) => x.paren || x.digits.length < 2 || x.digits.length > 8)) return false;
  const seps = first.paren ? p.seps.slice(1) : p.seps;
  if (first.paren && p.seps[0] !== '' && p.seps[0] !== ' ') return false;
  if (seps.some((s) => s === '' || s !== seps[0])) return false;
  const total = p.items.reduce((n, x) => n + x.digits.length, 0);
  return total >= 10 && total <= 12;
}

export const phone: Detector = {
  cls: 'phone',
  // At least 8 digits, all inside one RUN of `+ ( ) . -`, space and digits.
  mayMatch: (p) => p.numericRunDigits >= 8,
  find(text, _ctx, emit) {
    RUN.lastIndex = 0;
    for (let m = RUN.exec(text); m; m = RUN.exec(text)) {
      if (m[0].length < 8) continue;
      const t = tokenize(text, m.index, m.index + m[0].length);
      for (let i = 0; i < t.n; i++) {
        const k = t.kind[i];
        if (k === S || k === CLOSE || (i > 0 && t.kind[i - 1] !== S && t.kind[i - 1] !== OPEN)) continue;
        const j = phoneAt(text, t, i);
        if (j < 0) continue;
        if (!emit(t.start[i]!, t.end[j]!)) return;
        i = j;
      }
    }
  },
};

/** Index of the last token of the longest phone starting at token `i`, or -1. */
function phoneAt(text: string, t: Tokens, i: number): number {
  if (isAlnum(codeAt(text, t.start[i]! - 1)) || !plausibleStart(text, t, i)) return -1;
  // Possible ends: digit groups within reach (a phone has 8–15 digits in at most 8 groups, 5
  // without a `+`), so the work per start is bounded whatever the run looks like.
  const maxGroups = t.kind[i] === PLUS ? 8 : 5;
  const ends: number[] = [];
  let digits = 0;
  let groups = 0;
  for (let k = i; k < t.n; k++) {
    const kind = t.kind[k];
    if (k > i && (kind === PLUS || (kind === S && t.kind[k - 1] === S))) break;
    if (kind !== D) continue;
    digits += t.end[k]! - t.start[k]!;
    if (++groups > maxGroups || digits > 15) break;
    const next = k + 1 < t.n ? t.kind[k + 1] : undefined;
    if (digits >= 8 && (next === undefined || next === S || next === CLOSE) && !isAlnum(codeAt(text, t.end[k]!))) ends.push(k);
  }
  for (let n = ends.length - 1; n >= 0; n--) {
    const j = ends[n]!;
    const p = parse(text, t, i, j);
    if (!p || !(international(p) || northAmerican(p) || trunkPrefixed(p))) continue;
    // Another group next to the phone: only a space may split them, and only if the phone has none.
    const ok = (s: string | undefined) => s === undefined || (s.includes(' ') && !p.seps.includes(' '));
    if (!ok(neighbourSeparators(text, t, i - 1, -1)) || !ok(neighbourSeparators(text, t, j + 1, 1))) continue;
    if (!dashJoined(text, t.start[i]!, t.end[j]!)) return j;
  }
  return -1;
}

/**
 * Cheap pre-check of the first groups, so long runs of other numbers cost little: a `+`; an
 * area code in brackets; a trunk `0` group; a 3-digit area code before a 3-digit exchange; or a
 * North American `1` before either.
 */
function plausibleStart(text: string, t: Tokens, i: number): boolean {
  const len = (k: number) => (k < t.n && t.kind[k] === D ? t.end[k]! - t.start[k]! : 0);
  switch (t.kind[i]) {
    case PLUS: return true;
    case OPEN: return len(i + 1) > 0 && t.kind[i + 2] === CLOSE;
    case D: break;
    default: return false;
  }
  const first = text.charCodeAt(t.start[i]!);
  if (first === 0x30) return len(i) <= 5;
  if (len(i) === 3) return len(i + 2) === 3;
  return len(i) === 1 && first === 0x31 && (t.kind[i + 2] === OPEN || len(i + 2) === 3);
}

/**
 * The separators between the phone and the next group in direction `dir`; undefined when no group
 * follows (end of run, or a bracket closing around the phone).
 */
function neighbourSeparators(text: string, t: Tokens, k: number, dir: 1 | -1): string | undefined {
  let s = '';
  for (; k >= 0 && k < t.n; k += dir) {
    const kind = t.kind[k];
    if (kind === S) { s += text[t.start[k]!]; continue; }
    if (kind === (dir < 0 ? OPEN : CLOSE)) return undefined;
    return s;
  }
  return undefined;
}
