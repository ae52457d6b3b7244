/**
 * Normalisation before judging. Browsers decode character references inside attribute values and
 * text, and script contexts decode JS escapes, so an attacker can spell `javascript:` as
 * `&#106;avascript&colon;` or `<` as `\u003c`. We decode the same way a browser would, leniently
 * (missing semicolons, leading zeros), in one linear pass per layer and at most two layers
 * (`&amp;lt;` is a common double encoding). Output is never longer than input.
 */

/** The named references that matter for markup and URLs; the rest decode to nothing useful for an attack. */
const NAMED: Readonly<Record<string, string>> = {
  lt: '<', gt: '>', quot: '"', apos: "'", amp: '&', colon: ':', tab: '\t', newline: '\n', lpar: '(', rpar: ')',
  sol: '/', bsol: '\\', equals: '=', num: '#', excl: '!', period: '.', comma: ',', semi: ';', nbsp: ' ', grave: '`',
  lsqb: '[', rsqb: ']', lbrack: '[', rbrack: ']', lcub: '{', rcub: '}', lbrace: '{', rbrace: '}', plus: '+',
  dollar: '$', percnt: '%', ast: '*', midast: '*', quest: '?', commat: '@', hyphen: '-', dash: '-', lowbar: '_', verbar: '|', vert: '|',
};

const MAX_CODE_POINT = 0x10ffff;

function fromCodePoint(cp: number): string {
  // `&#0;` stays NUL: old engines skipped it inside schemes (`j&#0;avascript:`), and NUL is dropped
  // before judging. Out-of-range references become U+FFFD, which is never markup.
  if (cp === 0) return '\0';
  return cp <= MAX_CODE_POINT ? String.fromCodePoint(cp) : '\ufffd';
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Length of a run of characters matching `test` from `start`, at most `max`. */
function run(s: string, start: number, max: number, test: (c: number) => boolean): number {
  let k = 0;
  while (k < max && start + k < s.length && test(s.charCodeAt(start + k))) k++;
  return k;
}

/** One character reference at `i` (which holds `&`): the decoded text and how many input characters it used. */
function entityAt(s: string, i: number): [string, number] | undefined {
  if (s.charCodeAt(i + 1) === 35 /* # */) {
    const hex = s.charCodeAt(i + 2) === 120 || s.charCodeAt(i + 2) === 88; // x or X
    const start = i + (hex ? 3 : 2);
    // Leading zeros are legal and a known filter evasion (`&#0000106`), so allow a long run but parse a bounded value.
    const len = run(s, start, 16, hex ? isHex : isDigit);
    if (len === 0) return undefined;
    const cp = parseInt(s.slice(start, start + len), hex ? 16 : 10);
    const semi = s.charCodeAt(start + len) === 59 ? 1 : 0;
    return [fromCodePoint(cp), start + len + semi - i];
  }
  const len = run(s, i + 1, 10, isAlpha);
  if (len === 0) return undefined;
  const name = s.slice(i + 1, i + 1 + len).toLowerCase();
  const text = NAMED[name];
  if (text === undefined) return undefined;
  const semi = s.charCodeAt(i + 1 + len) === 59 ? 1 : 0;
  return [text, 1 + len + semi];
}

/** One JS escape at `i` (which holds `\`): `\uXXXX`, `\u{X…}`, `\xXX`. */
function escapeAt(s: string, i: number): [string, number] | undefined {
  const kind = s.charCodeAt(i + 1);
  if (kind === 120 /* x */ && run(s, i + 2, 2, isHex) === 2) return [fromCodePoint(parseInt(s.slice(i + 2, i + 4), 16)), 4];
  if (kind !== 117 /* u */) return undefined;
  if (s.charCodeAt(i + 2) === 123 /* { */) {
    const len = run(s, i + 3, 8, isHex);
    if (len === 0 || s.charCodeAt(i + 3 + len) !== 125) return undefined;
    return [fromCodePoint(parseInt(s.slice(i + 3, i + 3 + len), 16)), len + 4];
  }
  if (run(s, i + 2, 4, isHex) !== 4) return undefined;
  return [fromCodePoint(parseInt(s.slice(i + 2, i + 6), 16)), 6];
}

/**
 * One decoding layer: every character reference and JS escape replaced, everything else kept.
 * `indexOf` jumps from one `&` or `\\` to the next (the only characters a layer acts on), so the text
 * between them costs a memchr, not a loop step; {@link decodeOnceEveryChar} is the plain loop it is tested against.
 */
function decodeOnce(s: string): string {
  let amp = s.indexOf('&');
  let bs = s.indexOf('\\');
  if (amp < 0 && bs < 0) return s;
  let out = '';
  let last = 0;
  let i = 0;
  for (;;) {
    if (amp >= 0 && amp < i) amp = s.indexOf('&', i);
    if (bs >= 0 && bs < i) bs = s.indexOf('\\', i);
    const at = amp < 0 ? bs : bs < 0 ? amp : Math.min(amp, bs);
    if (at < 0) break;
    const hit = at === amp ? entityAt(s, at) : escapeAt(s, at);
    if (!hit) {
      i = at + 1;
      continue;
    }
    out += s.slice(last, at) + hit[0];
    i = at + hit[1];
    last = i;
  }
  return last === 0 ? s : out + s.slice(last);
}

/** {@link decodeOnce} as a loop over every character: the reference of the differential tests. */
function decodeOnceEveryChar(s: string): string {
  if (s.indexOf('&') < 0 && s.indexOf('\\') < 0) return s;
  const out: string[] = [];
  let last = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 38 && c !== 92) continue;
    const hit = c === 38 ? entityAt(s, i) : escapeAt(s, i);
    if (!hit) continue;
    out.push(s.slice(last, i), hit[0]);
    i += hit[1] - 1;
    last = i + 1;
  }
  out.push(s.slice(last));
  return out.join('');
}

/** Up to two decoding layers; stops early once a layer changes nothing. */
export function decode(s: string): string {
  const once = decodeOnce(s);
  return once === s ? once : decodeOnce(once);
}

/** {@link decode} on the plain per-character loop: the reference of the differential tests. */
export function decodeEveryChar(s: string): string {
  const once = decodeOnceEveryChar(s);
  return once === s ? once : decodeOnceEveryChar(once);
}

/** CSS escape at `i` (a `\`): 1–6 hex digits and one optional whitespace, as CSS tokenizes it. */
function cssEscapeAt(s: string, i: number): [string, number] | undefined {
  const len = run(s, i + 1, 6, isHex);
  if (len === 0) return undefined;
  const ws = isCssSpace(s.charCodeAt(i + 1 + len)) ? 1 : 0;
  return [fromCodePoint(parseInt(s.slice(i + 1, i + 1 + len), 16)), 1 + len + ws];
}

function isCssSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 12 || c === 13;
}

/**
 * The string with whitespace, control characters and CSS comments removed: browsers ignore
 * tabs, newlines and leading controls in URL schemes (`jav&#x09;ascript:`), and CSS ignores
 * comments (`ex/**\/pression(`) and decodes its own escapes (`expression\28`). Used only to look
 * for scheme and CSS tokens, never for markup.
 */
export function compact(s: string): string {
  // Nothing to remove or decode (no whitespace or control, soft hyphen, backslash or `/*`): the loop below would return `s`.
  return COMPACTS.test(s) ? compactAll(s) : s;
}

/** What {@link compact} acts on; a string with none of it is its own compact form. */
const COMPACTS = /[\x00-\x20\xad\\]|\/\*/;

/** {@link compact} without its shortcut: the reference the differential tests compare it with. */
export function compactAll(s: string): string {
  const out: string[] = [];
  let last = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 32 || c === 0xad) {
      out.push(s.slice(last, i));
      last = i + 1;
    } else if (c === 92 /* \ */) {
      const hit = cssEscapeAt(s, i);
      out.push(s.slice(last, i), hit ? hit[0].replace(/[\x00-\x20]/g, '') : '');
      i += hit ? hit[1] - 1 : 0; // a lone `\` escapes the next character: drop the backslash only
      last = i + 1;
    } else if (c === 47 && s.charCodeAt(i + 1) === 42) {
      // `/*`: skip to the matching `*/`, or to the end; either way each character is visited once.
      const end = s.indexOf('*/', i + 2);
      out.push(s.slice(last, i));
      i = end < 0 ? s.length : end + 1;
      last = i + 1;
    }
  }
  out.push(s.slice(last));
  return out.join('');
}
