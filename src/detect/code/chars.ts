/**
 * The pre-check of the code-injection detector: one pass over a value's char codes, with no regex
 * and no string built, that says which of the characters the rules key on it holds. Every rule
 * names the characters its shape cannot do without (a call needs `(`, an open tag `<` and `?`, a
 * superglobal `$`, …), so most ordinary values (words, numbers, e-mail addresses, ids) are decided
 * here. Reads stay in bounds: an out-of-range charCodeAt deoptimizes V8 loops.
 */

export const LPAREN = 1 << 0;
export const LT = 1 << 1;
export const QMARK = 1 << 2;
export const DOLLAR = 1 << 3;
export const LBRACE = 1 << 4;
export const LBRACKET = 1 << 5;
export const AT = 1 << 6;
export const PERCENT = 1 << 7;
export const EQ = 1 << 8;
export const COLON = 1 << 9;
export const DOT = 1 << 10;
export const UNDERSCORE = 1 << 11;
export const QUOTE = 1 << 12;
export const SLASH = 1 << 13;
/** Some character outside the base64 alphabet (`A–Z a–z 0–9 + / = - _` and line breaks). */
export const NOT_BASE64 = 1 << 14;
/** Every bit: passed by the exhaustive path so that no gate skips anything. */
export const ALL = -1;

const CHAR_BITS = new Int32Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  const b64 = /[A-Za-z0-9+/=_\-\r\n]/.test(ch);
  let bits = b64 ? 0 : NOT_BASE64;
  const own: Record<string, number> = {
    '(': LPAREN, '<': LT, '?': QMARK, '$': DOLLAR, '{': LBRACE, '[': LBRACKET, '@': AT, '%': PERCENT,
    '=': EQ, ':': COLON, '.': DOT, '_': UNDERSCORE, '"': QUOTE, "'": QUOTE, '`': QUOTE, '/': SLASH,
  };
  bits |= own[ch] ?? 0;
  CHAR_BITS[c] = bits;
}

/** The character set of `v` as the bits above. */
export function charMask(v: string): number {
  let mask = 0;
  const n = v.length;
  for (let i = 0; i < n; i++) {
    const c = v.charCodeAt(i);
    mask |= c < 128 ? CHAR_BITS[c]! : NOT_BASE64;
  }
  return mask;
}
