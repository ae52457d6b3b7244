/**
 * Decoding before detection, bounded. Attackers hide payloads behind encodings a backend will
 * undo (double URL encoding, `%u`, HTML entities, JS escapes); detectors see every distinct
 * reading of a value, each capped in length, and at most a few of them. The request parsers
 * have already undone one level of URL encoding in paths, queries and forms.
 */
export const MAX_VARIANT_LENGTH = 4096;
const MAX_URL_LEVELS = 3;

/** The value itself and each distinct decoded reading of it (at most 1 + 3 URL levels + entities + escapes). */
export function decodeVariants(value: string): string[] {
  // Most values hold nothing to decode: no `%`, `&` or `\`, so the value is its only reading.
  if (value.length <= MAX_VARIANT_LENGTH && !value.includes('%') && !value.includes('&') && !value.includes('\\')) return [value];
  const out = new Set<string>();
  const add = (s: string): void => { out.add(s.length > MAX_VARIANT_LENGTH ? s.slice(0, MAX_VARIANT_LENGTH) : s); };
  const first = value.length > MAX_VARIANT_LENGTH ? value.slice(0, MAX_VARIANT_LENGTH) : value;
  add(first);
  let cur = first;
  for (let i = 0; i < MAX_URL_LEVELS && /%(?:[0-9a-f]{2}|u[0-9a-f]{4})/i.test(cur); i++) {
    cur = percentDecode(cur);
    add(cur);
  }
  for (const v of [...out]) {
    if (v.includes('&')) add(decodeEntities(v));
    if (v.includes('\\')) {
      const unescaped = decodeEscapes(v);
      add(unescaped);
      // `$\u0026lbrace;` is an escaped entity: a template or a browser undoes both, in that order.
      if (unescaped.includes('&') && unescaped !== v) add(decodeEntities(unescaped));
    }
  }
  return [...out];
}

/** Hex digit values by char code, -1 for the rest. */
const HEX = new Int8Array(128).fill(-1);
for (let c = 0; c < 128; c++) {
  const d = parseInt(String.fromCharCode(c), 16);
  if (!Number.isNaN(d)) HEX[c] = d;
}
const hexAt = (s: string, i: number): number => {
  const c = s.charCodeAt(i);
  return c < 128 ? HEX[c]! : -1;
};

/**
 * `%XX` and IIS-style `%uXXXX`; bytes that are not UTF-8 are read one by one; malformed `%` stays.
 * The reading of `s.replace(/%u([0-9a-f]{4})|(?:%[0-9a-f]{2})+/gi, …)` with decodeURIComponent per
 * run of `%XX` (the test holds it to that), by hand: an encoded query string has an escape every few
 * characters, and a callback and a decodeURIComponent per run cost more than the rest of the reading.
 * A run of ASCII bytes is decoded directly (decodeURIComponent gives the same characters); a run with
 * other bytes still goes through decodeURIComponent, which decides what is UTF-8.
 */
export function percentDecode(s: string): string {
  let i = s.indexOf('%');
  if (i < 0) return s;
  const n = s.length;
  // Pieces joined once at the end: `+=` would build a rope, and every detector then reads the
  // reading through it (charCodeAt on a rope is several times slower than on a flat string).
  const parts: string[] = [];
  let copied = 0;
  while (i >= 0) {
    if (i + 5 < n && (s.charCodeAt(i + 1) | 32) === 117) {
      const a = hexAt(s, i + 2);
      const b = hexAt(s, i + 3);
      const c = hexAt(s, i + 4);
      const d = hexAt(s, i + 5);
      if ((a | b | c | d) >= 0) {
        parts.push(s.slice(copied, i), String.fromCharCode((a << 12) | (b << 8) | (c << 4) | d));
        copied = i + 6;
        i = s.indexOf('%', copied);
        continue;
      }
    }
    let j = i;
    let ascii = true;
    while (j + 2 < n && s.charCodeAt(j) === 37) {
      const hi = hexAt(s, j + 1);
      const lo = hexAt(s, j + 2);
      if ((hi | lo) < 0) break;
      if (hi >= 8) ascii = false;
      j += 3;
    }
    if (j === i) {
      i = s.indexOf('%', i + 1);
      continue;
    }
    parts.push(s.slice(copied, i));
    if (ascii) for (let k = i; k < j; k += 3) parts.push(ASCII_CHAR[(hexAt(s, k + 1) << 4) | hexAt(s, k + 2)]!);
    else parts.push(decodeRun(s.slice(i, j)));
    copied = j;
    i = s.indexOf('%', j);
  }
  if (copied === 0) return s;
  parts.push(s.slice(copied));
  return parts.join('');
}
/** The one-character strings of the ASCII codes. */
const ASCII_CHAR = Array.from({ length: 128 }, (_, c) => String.fromCharCode(c));

/** A run of `%XX` holding a byte ≥ 0x80: UTF-8 when decodeURIComponent accepts it, else byte by byte. */
function decodeRun(run: string): string {
  try {
    return decodeURIComponent(run);
  } catch {
    let out = '';
    for (let k = 0; k < run.length; k += 3) out += String.fromCharCode((hexAt(run, k + 1) << 4) | hexAt(run, k + 2));
    return out;
  }
}

const NAMED: Readonly<Record<string, string>> = {
  lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", sol: '/', bsol: '\\', colon: ':', lpar: '(', rpar: ')',
  semi: ';', equals: '=', num: '#', tab: '\t', newline: '\n', nbsp: '\u00a0', grave: '`', lsqb: '[', rsqb: ']', lcub: '{', rcub: '}', excl: '!', quest: '?', period: '.', comma: ',',
  lbrace: '{', rbrace: '}', lbrack: '[', rbrack: ']', dollar: '$', percnt: '%', ast: '*', plus: '+', vert: '|', verbar: '|', hyphen: '-', dash: '-', lowbar: '_', commat: '@', hat: '^', tilde: '~',
};

/**
 * The references decodeEntities undoes. Only the known names are matched (longest first, so
 * `&lbrace` is not read as `&lb…`): the `&key=` separators of a URL-encoded query string are not
 * references and cost no replacement call.
 */
const ENTITY = new RegExp(`&(?:#0*(\\d{1,7})|#x0*([0-9a-f]{1,6})|(${Object.keys(NAMED).sort((a, b) => b.length - a.length).join('|')})(?![a-z]));?`, 'gi');

/** Decimal, hex and the named entities that matter for markup and scripts; browsers accept a missing `;`. */
export function decodeEntities(s: string): string {
  // Leading zeros are legal and unbounded in numeric references (`&#0000000123;`): skip them, then read at most 7 digits.
  return s.replace(ENTITY, (m, dec: string | undefined, hex: string | undefined, name: string | undefined) => {
    const code = dec !== undefined ? Number(dec) : hex !== undefined ? parseInt(hex, 16) : undefined;
    if (code !== undefined) return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    return NAMED[name!.toLowerCase()] ?? m;
  });
}

/** JavaScript and JSON escapes: `\uXXXX`, `\u{…}`, `\xXX`, and octal `\NNN`. */
export function decodeEscapes(s: string): string {
  return s.replace(/\\u\{([0-9a-f]{1,6})\}|\\u([0-9a-f]{4})|\\x([0-9a-f]{2})|\\([0-7]{1,3})/gi, (m, cp: string | undefined, u: string | undefined, x: string | undefined, o: string | undefined) => {
    const code = cp !== undefined ? parseInt(cp, 16) : u !== undefined ? parseInt(u, 16) : x !== undefined ? parseInt(x, 16) : parseInt(o!, 8);
    return code <= 0x10ffff ? String.fromCodePoint(code) : m;
  });
}
