import { COMMANDS } from './commands.js';

/**
 * The pre-check of detect(): one pass over a value's char codes, with no regex and no string
 * built, that says which of the shell's special characters it holds. Each sub-check of the
 * detector needs some of them to match at all (a chain needs a separator, a glob needs `?*[`, …),
 * so most ordinary values are decided here. The quoting views (views.ts) only ever remove
 * characters, lower-case letters or insert letters and spaces (`$IFS` → ` `, `$SHELL` → `sh`), so a
 * punctuation character that a view holds is one the value holds: the gates are sound for every view.
 */

/** The characters tracked, one bit each (bit i is CHARS[i]). */
const CHARS = ';|&`$\n\r<>(){}\\/%^\'"*?[=~!-,';
const bit = (ch: string): number => 1 << CHARS.indexOf(ch);

export const SEMI = bit(';');
export const PIPE = bit('|');
export const AMP = bit('&');
export const BACKTICK = bit('`');
export const DOLLAR = bit('$');
export const LF = bit('\n');
export const CR = bit('\r');
export const LT = bit('<');
export const GT = bit('>');
export const LPAREN = bit('(');
export const RPAREN = bit(')');
export const LBRACE = bit('{');
export const RBRACE = bit('}');
export const SLASH = bit('/');
export const PERCENT = bit('%');
export const STAR = bit('*');
export const QMARK = bit('?');
export const LBRACKET = bit('[');
export const EQ = bit('=');
export const TILDE = bit('~');
export const BANG = bit('!');
export const DASH = bit('-');
export const COMMA = bit(',');
/** Any char code ≥ 128. */
export const NON_ASCII = 1 << CHARS.length;
/** `if` as a word followed by a space or `/` (case-insensitive): the start every batch condition needs. */
export const IF_WORD = 1 << (CHARS.length + 1);
/** The first word may name a command (see leadingDecides): leadingCommand, bareProbe and shortCommand may fire. */
export const LEADING = 1 << (CHARS.length + 2);
/** Every bit: passed by the exhaustive path so that no gate skips anything. */
export const ALL = -1;

/** The characters of index.ts's PRECHECK: a value with none of them has no shell structure. */
export const PRECHECK_BITS = (1 << CHARS.indexOf(',')) - 1;

/** A command separator can start with one of these alone; `$`, `<`, `>` also need a `(`. */
export const SEPARATOR_BITS = SEMI | LF | CR | PIPE | AMP | BACKTICK | LBRACE;

const CHAR_BITS = new Int32Array(128);
for (let i = 0; i < CHARS.length; i++) CHAR_BITS[CHARS.charCodeAt(i)] = 1 << i;

/** ASCII `[A-Za-z0-9_]`: the characters `\b` separates from others. */
const WORD = new Uint8Array(128);
for (let c = 0; c < 128; c++) WORD[c] = /\w/.test(String.fromCharCode(c)) ? 1 : 0;

/**
 * `if` at `i` the way BATCH_IF (index.ts) starts: `\bif` then `\s` or `/`. Non-ASCII neighbours
 * count as a possible match (a Unicode space is `\s`), so this never says no where the regex says yes.
 */
function isIfWord(v: string, i: number): boolean {
  if (i > 0) {
    const p = v.charCodeAt(i - 1);
    if (p < 128 && WORD[p] === 1) return false;
  }
  if (i + 2 >= v.length) return false;
  const n = v.charCodeAt(i + 2);
  return n >= 128 || n === 32 || (n >= 9 && n <= 13) || n === 47;
}

/**
 * How the first-word scan treats each ASCII character: the classes of index.ts's readWord
 * (`[a-z0-9_.\-/\\?*[\]~%+]` once lower-cased, `:` only in a drive letter) and of the views.
 */
const ENDS = 0; // not a word character: the word ends here
const LETTER = 1;
const DIGIT_DASH = 2; // keeps a `[a-z][a-z0-9-]*` word simple
const OTHER = 3; // `_ . / ? * [ ] ~ + %`: a word commandOf must parse
const VIEWED = 4; // `' " \ $ ^ \` < >`: a quoting view may read another word here (`<()` and `>()` splice out); `%` only as `%COMSPEC%` (viewedAt)
const COLON = 5;
const WORD_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  WORD_CLASS[c] = '\'"\\$^`<>'.includes(ch) ? VIEWED : /[a-z]/i.test(ch) ? LETTER : /[0-9-]/.test(ch) ? DIGIT_DASH : /[_./?*[\]~+%]/.test(ch) ? OTHER : ch === ':' ? COLON : ENDS;
}

const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);
const isLetter = (c: number): boolean => (c | 32) >= 97 && (c | 32) <= 122;
/**
 * The character set of `v` (bits above), plus IF_WORD and LEADING, in one pass: the first word is
 * read as leadingCommand reads it while its characters join the mask, then the rest of the value
 * joins the mask. `resolve` is index.ts's commandOf, asked only about first words the fast lookups
 * cannot settle. Split in small functions so that V8 optimises each early.
 */
export function scanValue(v: string, resolve: (word: string) => unknown): number {
  readFirstWord(v);
  const mask = maskFrom(v, first.end, first.mask);
  const leading = first.viewed || (endsCommandWord(v, first.end) && leadingDecides(v, first.start, first.end, first.simple, first.letters, resolve));
  return leading ? mask | LEADING : mask;
}

/**
 * Whether the character at `end`, which ends a first word that reads the same in every view, lets
 * leadingCommand take that word as a command: the end of the value or AFTER_COMMAND (index.ts;
 * its other characters, `< > \` $` and non-ASCII spaces, mark the word viewed). After `type=1&…`
 * or `https:` no command is read; bareProbe needs the whole trimmed value to be the word, which
 * such a character rules out too.
 */
function endsCommandWord(v: string, end: number): boolean {
  if (end >= v.length) return true;
  const c = v.charCodeAt(end);
  return isSpace(c) || c === 59 || c === 124 || c === 38 || c === 41;
}

/**
 * `%COMSPEC%`, the one `%` spelling the cmd view rewrites (to `cmd`); any other `%` reads the same
 * in every view. A non-ASCII character among the next eight is taken as a possible spelling of it.
 */
function comspecAt(v: string, i: number): boolean {
  if (i + 9 > v.length) return false;
  for (let k = 1; k < 9; k++) {
    const c = v.charCodeAt(i + k);
    if (c >= 128 || (c | 32) !== COMSPEC.charCodeAt(k)) return c >= 128;
  }
  return true;
}
const COMSPEC = '%comspec%';

/** A character at `i` a quoting view may read otherwise: VIEWED, non-ASCII, or a `%COMSPEC%`. */
function viewedAt(v: string, i: number, c: number): boolean {
  return c >= 128 || WORD_CLASS[c] === VIEWED || (c === 37 && comspecAt(v, i));
}

/** What readFirstWord found (one shared object: no allocation per value). */
const first = { mask: 0, start: 0, end: 0, letters: -1, simple: true, viewed: false };

/**
 * The first word as leadingCommand reads it: after spaces, `(` and `{`; readWord's characters, at
 * most 64. `viewed` when a quoting view may read it differently (a view-changing or non-ASCII
 * character in it or ending it); `simple` when it is `[a-z][a-z0-9-]*`; `letters` is the end of
 * its leading letters once a non-letter ends them. The mask covers the characters before `end`.
 */
function readFirstWord(v: string): void {
  const n = v.length;
  let mask = 0;
  let i = 0;
  for (; i < n; i++) {
    const c = v.charCodeAt(i);
    if (c >= 128 || !(isSpace(c) || c === 40 || c === 123)) break;
    mask |= CHAR_BITS[c]!;
  }
  const start = i;
  let viewed = false;
  let simple = true;
  let letters = -1;
  for (; i < n && i - start < 64; i++) {
    const c = v.charCodeAt(i);
    const cls = c < 128 ? WORD_CLASS[c]! : VIEWED;
    if (cls === LETTER) {
      if (isIfAt(v, i, c)) mask |= IF_WORD;
      continue;
    }
    if (cls === ENDS) break;
    if (viewedAt(v, i, c)) {
      viewed = true;
      break;
    }
    // readWord takes `:` only as a drive letter's (`c:\`, `c:/`).
    if (cls === COLON && !(i === start + 1 && i + 1 < n && (v.charCodeAt(i + 1) === 92 || v.charCodeAt(i + 1) === 47))) break;
    mask |= CHAR_BITS[c]!;
    if (letters < 0) letters = i;
    if (cls !== DIGIT_DASH || i === start) simple = false;
  }
  // The character that ends the word must read the same in every view, or the view's word may be longer.
  if (i < n && viewedAt(v, i, v.charCodeAt(i))) viewed = true;
  first.mask = mask;
  first.start = start;
  first.end = i;
  first.letters = letters;
  first.simple = simple;
  first.viewed = viewed;
}

/** `mask` with the character set of `v` from `i` on. */
function maskFrom(v: string, i: number, mask: number): number {
  const n = v.length;
  for (; i < n; i++) {
    const c = v.charCodeAt(i);
    mask |= c < 128 ? CHAR_BITS[c]! : NON_ASCII;
    if (isIfAt(v, i, c)) mask |= IF_WORD;
  }
  return mask;
}

/** An `f` (code `c`, at `i`) that ends an `if` as BATCH_IF reads it. Cheap unless `c` is an `f`. */
function isIfAt(v: string, i: number, c: number): boolean {
  return (c | 32) === 102 && i > 0 && (v.charCodeAt(i - 1) | 32) === 105 && isIfWord(v, i - 1);
}

/** Whether the first word `v[start, end)`, which reads the same in every view, names a command (commandOf). */
function leadingDecides(v: string, start: number, end: number, simple: boolean, letters: number, resolve: (word: string) => unknown): boolean {
  if (end === start) return false;
  if (!simple) return resolve(v.slice(start, end).toLowerCase()) !== undefined;
  // For `[a-z][a-z0-9-]*`, commandOf only ever looks up the word itself or its leading letters
  // (`python3` → `python`, `ansible-vault` → `ansible`).
  return isCommand(v, start, end) || (letters > 0 && isCommand(v, start, letters));
}

/** Longest command name the shape table covers; COMMANDS has none longer (checked when it is built). */
const MAX_NAME = 29;
/** Index of a name character in the shape table: a–z, 0–9, `-`; 37 when the name has ended. */
const END = 37;
const shapeChar = (c: number): number => (isLetter(c) ? (c | 32) - 97 : c >= 48 && c <= 57 ? c - 22 : c === 45 ? 36 : -1);

/**
 * For each first letter and second character of a command name, a bit per name length: most words
 * share no shape with any command and are rejected without a string being built.
 */
const SHAPES = new Int32Array(26 * 38);
for (const name of COMMANDS.keys()) {
  if (name.length > MAX_NAME) throw new Error(`command name longer than ${MAX_NAME}: ${name}`);
  const first = shapeChar(name.charCodeAt(0));
  const second = name.length > 1 ? shapeChar(name.charCodeAt(1)) : END;
  if (first >= 0 && first < 26 && second >= 0) SHAPES[first * 38 + second]! |= 1 << name.length;
}

/** Whether `v[from, to)`, a `[a-z][a-z0-9-]*` word in any case, is a name in COMMANDS. */
function isCommand(v: string, from: number, to: number): boolean {
  const len = to - from;
  if (len > MAX_NAME) return false;
  const second = len > 1 ? shapeChar(v.charCodeAt(from + 1)) : END;
  if ((SHAPES[shapeChar(v.charCodeAt(from)) * 38 + second]! & (1 << len)) === 0) return false;
  return COMMANDS.has(v.slice(from, to).toLowerCase());
}
