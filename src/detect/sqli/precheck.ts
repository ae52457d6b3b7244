/**
 * Pre-checks of the SQLi detector: for each context a value is read in, a necessary condition for
 * any rule of detect.ts to fire there, checked on the text without building tokens (tokenizing
 * costs ~25 ns a character, these a few). They follow the tokenizer's own reading where it decides
 * what a token is (strings, `@variables`, numbers, dotted words, `#` comments), so a condition on
 * "the next token" or "the first tokens" means the same thing to both. What each rule needs, read
 * off detect.ts:
 *
 * Bare context (the value is SQL as it stands):
 *   - unionSelect: a UNION; whereTautology: WHERE or HAVING; dangerousCall: WAITFOR DELAY/TIME,
 *     INTO OUTFILE/DUMPFILE, EXEC, a dotted package name, or a call (`(`); catalog: a catalog name;
 *     subquery: `(`;
 *   - stacked: a `;` whose next token starts a statement (STATEMENT_STARTS);
 *   - fullQuery: a statement word as the first token;
 *   - tautology: a logic word after at most `-`, one operand and a run of `)` (unit ≤ 3), or a
 *     `&&`/`||`; splice: a SELECT after a number, a run of `)` and one operator (unit ≤ 5);
 *   - orderBy: ORDER BY / GROUP BY (the pair folds only when BY is the next token);
 *   - commentCut and sqlTail: a comment that cuts (`--`, `/*`, or a `#` whose comment holds at most
 *     two letters, their `proseComment` test); a `#` comment running to the end with words in it is
 *     the last token and inert, and nothing after it is a token.
 * Every other word (SELECT, logic and statement words further on, ORDER without BY…) is only read
 * by a rule that one of the above already let through.
 *
 * Quoted context (the value sits inside '…' or "…"): every rule needs the value to close the
 * literal (its first unescaped quote, as readString reads it); after that, either the first token
 * after the quote is one a rule reads there (`)`, `;`, `,`, `(`, an operator, a comment, a logic,
 * operator or statement word: tautology, stacked, splice, commentCut, sqlTail), or the rest holds
 * what the bare context's position-free conditions look for (the other rules read the whole
 * token list, not the break).
 *
 * Checked against the un-gated rules (detectSqliExhaustive) by the differential tests, on generated
 * values and on every reading of the corpus: a rule added to detect.ts must keep them exact.
 */
import { classifyWord, isSpace, isWordChar, KNOWN_WORDS, PAIRS, STATEMENTS } from './tokenize.js';
import { CATALOG, DOTTED_DANGER, mayNamePackage, NAME_PREFIXES, STATEMENT_STARTS } from './words.js';

/** Bare context: can any rule fire on `v` read as SQL as it stands? */
export function bareMayFire(v: string): boolean {
  return scan(v, 0, true);
}

/** Quoted context (`quote` is `'` or `"`): can any rule fire on `v` read from inside that literal? */
export function quotedMayFire(v: string, quote: number): boolean {
  const rest = stringEnd(v, 0, quote);
  if (rest < 0) return false; // never closed: one string token, and every rule needs the break
  return breakMayFire(v, rest) || scan(v, rest, false);
}

// Character classes, one table lookup per ASCII character.
const OTHER = 0;
const SPACE = 1;
const LETTER = 2;
const DIGIT = 3;
/** `_` and `$`: part of a word, never of a packed one (non-ASCII word characters are handled apart). */
const WORD = 4;
const QUOTE = 5;
const HASH = 6;
const OPEN = 7;
const CLOSE = 8;
const SEMI = 9;
const AT = 10;
const DOT = 11;
const DASH = 12;
const SLASH = 13;
/** `&` and `|`: logic when doubled. */
const AMP = 14;
const ASCII_CLASS = (() => {
  const t = new Uint8Array(128);
  for (let c = 0; c < 128; c++) {
    if (isSpace(c)) t[c] = SPACE;
    else if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) t[c] = LETTER;
    else if (c >= 48 && c <= 57) t[c] = DIGIT;
    else if (isWordChar(c)) t[c] = WORD;
  }
  const set = (chars: string, cls: number): void => { for (const ch of chars) t[ch.charCodeAt(0)] = cls; };
  set('\'"`', QUOTE);
  set('#', HASH);
  set('(', OPEN);
  set(')', CLOSE);
  set(';', SEMI);
  set('@', AT);
  set('.', DOT);
  set('-', DASH);
  set('/', SLASH);
  set('&|', AMP);
  return t;
})();
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
/** tokenize.ts's isWordChar on this module's class table (the hot loops stay in one module's tables). */
const wordChar = (c: number): boolean => (c < 128 ? ASCII_CLASS[c]! >= LETTER && ASCII_CLASS[c]! <= WORD : !isSpace(c));

/**
 * The first tokens a positional rule reads: tautology's logic word stands at unit ≤ 3, splice's
 * SELECT at ≤ 5 (a number, a run of `)`, an operator of up to three characters). A unit is one
 * token, except that a multi-character operator counts a unit per character, so a unit index is
 * never below its token's index.
 */
const EARLY_UNITS = 5;

// What a word can mean to the rules, one bit each.
/** Read wherever it stands (UNION, WHERE, HAVING, EXEC). */
const TRIGGER = 1;
/** Read as the first token (fullQuery). */
const STATEMENT = 2;
/** Read among the first tokens (tautology's logic word, splice's SELECT). */
const EARLY = 4;
/** Read only when folded with the next token (ORDER BY, GROUP BY, INTO OUTFILE, WAITFOR DELAY). */
const PAIR = 8;
/** Not a bareword: after digits it is a token of its own (`1union` is a number and UNION). */
const KEYWORD = 16;
/** A kind some rule reads right after a quote that closes the literal: logic, operator, statement. */
const AFTER_BREAK = 32;

const TRIGGERS = ['UNION', 'WHERE', 'HAVING', 'EXEC', 'EXECUTE'];
const EARLY_WORDS = ['AND', 'OR', 'XOR', 'SELECT'];
/** Openers whose lone word no rule reads (UNION's pairs do not matter: UNION is a trigger; NOT/IS pairs are operators either way). */
const PAIR_OPENERS = ['ORDER', 'GROUP', 'INTO', 'WAITFOR'];
const PARTNERS: ReadonlySet<string> = new Set(PAIR_OPENERS.flatMap((w) => PAIRS.get(w) ?? []));
/** First words of the statements statementAt accepts (`WAITFOR DELAY` starts with WAITFOR). */
const STACK_WORDS: ReadonlySet<string> = new Set([...STATEMENT_STARTS].map((x) => x.split(' ')[0]!));

/** Upper-cased word → its roles. */
const ROLE_OF = (() => {
  const m = new Map<string, number>();
  const mark = (w: string, role: number): void => { m.set(w, (m.get(w) ?? 0) | role); };
  for (const w of TRIGGERS) mark(w, TRIGGER);
  for (const w of STATEMENTS) mark(w, STATEMENT);
  for (const w of EARLY_WORDS) mark(w, EARLY);
  for (const w of PAIR_OPENERS) mark(w, PAIR);
  for (const w of KNOWN_WORDS) {
    const kind = classifyWord(w, false);
    if (kind !== 'b' && kind !== 'n') mark(w, KEYWORD);
    if (kind === '&' || kind === 'o' || kind === 'E') mark(w, AFTER_BREAK);
  }
  return m;
})();
/** Words of ASCII letters are looked up by a packed code of their letters (a = 1 … z = 26, base 27), no string built. */
const LONGEST = Math.max(...[...ROLE_OF.keys()].filter((w) => /^[A-Z]+$/.test(w)).map((w) => w.length));
// 27^11 < 2^53: longer words would not pack exactly into a double.
if (LONGEST > 11) throw new Error(`sqli pre-check: a ${LONGEST}-letter keyword does not pack`);
/** Per first letter (1–26), a bit per length of the letters-only words with a role: most words have no such shape and skip the map. */
const ROLE_SHAPES = (() => {
  const t = new Int32Array(27);
  for (const w of ROLE_OF.keys()) if (/^[A-Z]+$/.test(w)) t[w.charCodeAt(0) - 64]! |= 1 << w.length;
  return t;
})();
const PACKED_ROLES = (() => {
  const m = new Map<number, number>();
  for (const [w, roles] of ROLE_OF) {
    if (!/^[A-Z]+$/.test(w)) continue;
    let code = 0;
    for (let k = 0; k < w.length; k++) code = code * 27 + (w.charCodeAt(k) - 64);
    m.set(code, roles);
  }
  return m;
})();
/** An ASCII character as toUpperCase makes it. */
const upper = (c: number): number => (c >= 97 && c <= 122 ? c - 32 : c);
/** NAME_PREFIXES, three upper-cased ASCII characters packed into one number. */
const prefixCode = (a: number, b: number, c: number): number => (a << 16) | (b << 8) | c;
const NAME_PREFIX_CODES: ReadonlySet<number> = new Set([...NAME_PREFIXES].map((p) => prefixCode(p.charCodeAt(0), p.charCodeAt(1), p.charCodeAt(2))));
/** Their first two characters, either case, as a table: most words are rejected on it before the set. */
const NAME_STARTS = (() => {
  const t = new Uint8Array(128 * 128);
  for (const p of NAME_PREFIXES) {
    for (const a of new Set([p[0]!, p[0]!.toLowerCase()])) for (const b of new Set([p[1]!, p[1]!.toLowerCase()])) t[a.charCodeAt(0) * 128 + b.charCodeAt(0)] = 1;
  }
  return t;
})();

/** A catalog or dangerous package name (`information_schema.tables`, `utl_http.request`): their rules read them anywhere. */
function namesCatalog(w: string): boolean {
  return mayNamePackage(w) && (CATALOG.test(w) || DOTTED_DANGER.test(w));
}

/** namesCatalog on the word v[s, e), upper-cased only when it starts like one of the names (most words do not). */
function catalogAt(v: string, s: number, e: number): boolean {
  if (e - s <= 3) return false;
  const a = v.charCodeAt(s);
  const b = v.charCodeAt(s + 1);
  const c = v.charCodeAt(s + 2);
  // Upper-casing a non-ASCII character can make an ASCII one (`ſys.` is SYS.): those take the exact path.
  if ((a | b | c) < 128 && (NAME_STARTS[a * 128 + b] === 0 || !NAME_PREFIX_CODES.has(prefixCode(upper(a), upper(b), upper(c))))) return false;
  return namesCatalog(v.slice(s, e).toUpperCase());
}

/** The roles of the word v[s, e) as the tokenizer would upper-case it. */
function rangeRoles(v: string, s: number, e: number): number {
  if (e - s > LONGEST) return 0; // upper-casing never shortens a word
  let code = 0;
  for (let k = s; k < e; k++) {
    const d = v.charCodeAt(k);
    if (d >= 128) return ROLE_OF.get(v.slice(s, e).toUpperCase()) ?? 0; // `ſelect` is SELECT
    if (ASCII_CLASS[d] !== LETTER) return 0; // no keyword holds a digit, `_` or `$`
    code = code * 27 + ((d | 32) - 96);
  }
  return PACKED_ROLES.get(code) ?? 0;
}

/** Where a word starting at `i` ends, as readWord reads it: word characters, dotted names joined before a non-digit. */
function wordEnd(v: string, i: number): number {
  const n = v.length;
  let j = i;
  while (j < n) {
    const d = v.charCodeAt(j);
    if (wordChar(d)) j++;
    else if (d === 46 && j + 1 < n && wordChar(v.charCodeAt(j + 1)) && !isDigit(v.charCodeAt(j + 1))) j++;
    else break;
  }
  return j;
}

/** The next token from `i` when it is a word (upper-cased, as the tokenizer reads it), else ''. */
function nextWord(v: string, i: number): string {
  const n = v.length;
  while (i < n && isSpace(v.charCodeAt(i))) i++;
  if (i >= n) return '';
  const c = v.charCodeAt(i);
  if (!wordChar(c) || isDigit(c)) return '';
  return v.slice(i, wordEnd(v, i)).toUpperCase();
}

/** Index after the literal that starts at `i` (after its opening quote), as readString reads it; -1 when it never closes. */
function stringEnd(v: string, i: number, quote: number): number {
  const n = v.length;
  while (i < n) {
    const c = v.charCodeAt(i);
    if (c === 92) i += 2;
    else if (c !== quote) i++;
    else if (i + 1 < n && v.charCodeAt(i + 1) === quote) i += 2;
    else return i + 1;
  }
  return -1;
}

/** Where readNumber's numeric part ends, from `i` (a digit, or a `.` before one). */
function numberEnd(v: string, i: number): number {
  const n = v.length;
  const c1 = i + 1 < n ? v.charCodeAt(i + 1) | 32 : 0;
  if (v.charCodeAt(i) === 48 && (c1 === 120 || c1 === 98)) {
    i += 2; // 0x… / 0b…: every word character belongs to the literal
    while (i < n && wordChar(v.charCodeAt(i))) i++;
    return i;
  }
  while (i < n && (isDigit(v.charCodeAt(i)) || v.charCodeAt(i) === 46)) i++;
  if (i + 1 < n && (v.charCodeAt(i) | 32) === 101) {
    const d = v.charCodeAt(i + 1);
    if (isDigit(d) || d === 45 || d === 43) {
      i += 2;
      while (i < n && isDigit(v.charCodeAt(i))) i++;
    }
  }
  return i;
}

/** More than two ASCII letters from `i` to the end: proseComment's test on a `#` comment that runs to the end. */
function proseFrom(v: string, i: number): boolean {
  let letters = 0;
  for (; i < v.length; i++) {
    const x = v.charCodeAt(i) | 32;
    if (x >= 97 && x <= 122 && ++letters > 2) return true;
  }
  return false;
}

/**
 * The scan behind both pre-checks, from `from`; `positional` adds the bare context's conditions
 * on the first tokens. True as soon as something a rule needs is found.
 */
function scan(v: string, from: number, positional: boolean): boolean {
  const n = v.length;
  let unit = 0;
  let i = from;
  while (i < n) {
    const c = v.charCodeAt(i);
    const cls = c < 128 ? ASCII_CLASS[c]! : isSpace(c) ? SPACE : WORD;
    // Reads stay in bounds: an out-of-range charCodeAt deoptimizes the loop (several times slower).
    const c2 = i + 1 < n ? v.charCodeAt(i + 1) : 0;
    if (cls === SPACE) {
      i++;
    } else if (cls === LETTER || cls === WORD) {
      // A word, as readWord reads it; ASCII letters only are judged on their packed code.
      let code = 0;
      let plain = cls === LETTER;
      let ascii = c < 128;
      let j = i;
      for (; j < n; j++) {
        const d = v.charCodeAt(j);
        if (d < 128) {
          const dc = ASCII_CLASS[d]!;
          if (dc === LETTER) {
            if (plain) code = code * 27 + ((d | 32) - 96);
            continue;
          }
          if (dc === DIGIT || dc === WORD) {
            plain = false;
            continue;
          }
          const e = j + 1 < n ? v.charCodeAt(j + 1) : 0;
          if (d === 46 && wordChar(e) && !isDigit(e)) {
            plain = false;
            continue;
          }
          break;
        }
        if (isSpace(d)) break;
        plain = false;
        ascii = false;
      }
      let roles = 0;
      if (plain) {
        if (j - i <= LONGEST && (ROLE_SHAPES[(c | 32) - 96]! & (1 << (j - i))) !== 0) roles = PACKED_ROLES.get(code) ?? 0;
        if (catalogAt(v, i, j)) return true;
      } else if (!ascii) {
        const w = v.slice(i, j).toUpperCase();
        roles = ROLE_OF.get(w) ?? 0;
        if (namesCatalog(w)) return true;
      } else if (catalogAt(v, i, j)) {
        return true;
      }
      if (roles !== 0) {
        if ((roles & TRIGGER) !== 0) return true;
        if (positional && unit === 0 && (roles & STATEMENT) !== 0) return true;
        if (positional && unit <= EARLY_UNITS && (roles & EARLY) !== 0) return true;
        if ((roles & PAIR) !== 0 && PARTNERS.has(nextWord(v, j))) return true;
      }
      unit++;
      i = j;
    } else if (cls === DIGIT || (cls === DOT && isDigit(c2))) {
      // A number, as readNumber reads it: `1union` is a number then UNION (read next, as a word);
      // `5th` or `5sysobjects` is one bareword named by its letters.
      const e = numberEnd(v, i);
      let j = e;
      while (j < n && wordChar(v.charCodeAt(j))) j++;
      unit++;
      if (j > e && (rangeRoles(v, e, j) & KEYWORD) !== 0) {
        i = e;
        continue;
      }
      if (j > e && catalogAt(v, e, j)) return true;
      i = j;
    } else if (cls === QUOTE) {
      // A literal is one token whatever it holds; one that never closes runs to the end.
      i = stringEnd(v, i + 1, c);
      if (i < 0) return false;
      unit++;
    } else if (cls === AT) {
      // `@var`, `@@version`: one token, word characters only (a dot after it is a token of its own).
      i++;
      while (i < n && v.charCodeAt(i) === 64) i++;
      while (i < n && wordChar(v.charCodeAt(i))) i++;
      unit++;
    } else if (cls === HASH) {
      // A comment to the end of the line. One that ends before the value does is inline (it can join
      // words: `UN#x\nION`); one that runs to the end is the last token and cuts only without words.
      return v.indexOf('\n', i) >= 0 || !proseFrom(v, i);
    } else if (cls === OPEN || (cls === DASH && c2 === 45) || (cls === SLASH && c2 === 42) || (cls === AMP && c2 === c)) {
      return true;
    } else if (cls === CLOSE) {
      // A run of `)` is skipped as one by every rule that reads past it.
      i++;
      while (i < n && (v.charCodeAt(i) === 41 || isSpace(v.charCodeAt(i)))) i++;
      unit++;
    } else if (cls === SEMI) {
      if (STACK_WORDS.has(nextWord(v, i + 1))) return true;
      unit++;
      i++;
    } else {
      unit++;
      i++;
    }
  }
  return false;
}

/** Characters readOperator makes a token some rule reads right after the break: `( ) , ;` and operators (not `. [ ] { } : ?`). */
const BREAK_PUNCTUATION = (() => {
  const t = new Uint8Array(128);
  for (let c = 33; c < 127; c++) if (ASCII_CLASS[c] === OTHER || ASCII_CLASS[c] === AMP || ASCII_CLASS[c] === DASH || ASCII_CLASS[c] === SLASH) t[c] = 1;
  for (const ch of '.[]{}:?') t[ch.charCodeAt(0)] = 0;
  for (const ch of '(),;#') t[ch.charCodeAt(0)] = 1; // `#`: a comment cut right after the quote
  return t;
})();

/** The first token after the quote that closed the literal, at `k`: one tautology, stacked, splice, commentCut or sqlTail reads. */
function breakMayFire(v: string, k: number): boolean {
  const n = v.length;
  while (k < n && isSpace(v.charCodeAt(k))) k++;
  if (k >= n) return false;
  const c = v.charCodeAt(k);
  if (c < 128 && BREAK_PUNCTUATION[c] === 1) return true;
  // `:=` and `::` are operators; a lone `:` is not.
  if (c === 58) return k + 1 < n && (v.charCodeAt(k + 1) === 61 || v.charCodeAt(k + 1) === 58);
  if (!wordChar(c) || isDigit(c)) return false;
  return (rangeRoles(v, k, wordEnd(v, k)) & AFTER_BREAK) !== 0;
}
