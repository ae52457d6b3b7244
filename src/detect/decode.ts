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

/** `%XX` and IIS-style `%uXXXX`; bytes that are not UTF-8 are read one by one; malformed `%` stays. */
export function percentDecode(s: string): string {
  return s.replace(/%u([0-9a-f]{4})|(?:%[0-9a-f]{2})+/gi, (m, u: string | undefined) => {
    if (u) return String.fromCharCode(parseInt(u, 16));
    try {
      return decodeURIComponent(m);
    } catch {
      return m.replace(/%([0-9a-f]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16)));
    }
  });
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
