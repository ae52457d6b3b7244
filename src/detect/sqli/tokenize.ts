/**
 * A small SQL tokenizer in the spirit of libinjection: it reads a value as if it were pasted into a
 * SQL statement at one of three places (bare, inside '…', inside "…") and emits folded tokens. It
 * never backtracks: every step consumes at least one character, so the cost is linear in the input.
 */

/** Token kinds, kept to one letter so rule code reads like a shape. */
export type Kind =
  | 's' // string literal
  | 'n' // number, hex literal, NULL/TRUE/FALSE
  | 'k' // clause keyword (FROM, WHERE, ORDER BY, TABLE…)
  | 'U' // UNION [ALL|DISTINCT]
  | 'E' // statement starter (SELECT, INSERT, DROP…)
  | 'f' // a known SQL function followed by '('
  | 'F' // any other word followed by '('
  | '&' // logic: AND OR XOR && ||
  | 'o' // operator, including LIKE, IS, IN, BETWEEN
  | 'v' // @variable or @@system_variable
  | 'b' // bareword / identifier
  | 'c' // comment
  | 'x' // punctuation SQL rarely uses: [ ] { } : ?
  | '(' | ')' | ',' | ';' | '.';

export interface Token {
  kind: Kind;
  /** Upper-cased word text for words; raw text otherwise. */
  text: string;
  start: number;
  end: number;
  /** For strings: closed by its quote (false when the value ends inside it); false for every other kind. */
  closed: boolean;
}

/** Where the value sits in the host query: bare (numeric context) or inside a quoted literal. */
export type Context = '' | "'" | '"';

const LOGIC = new Set(['AND', 'OR', 'XOR', 'NOT', 'DIV', 'MOD']);
const WORD_OPS = new Set(['LIKE', 'RLIKE', 'REGEXP', 'IS', 'IN', 'BETWEEN', 'SOUNDS', 'ESCAPE', 'COLLATE']);
/** Words that evaluate to a value: literals and the parameterless functions SQL writes without `()`. */
const LITERAL_WORDS = new Set(['NULL', 'TRUE', 'FALSE', 'CURRENT_USER', 'SESSION_USER', 'SYSTEM_USER', 'CURRENT_DATABASE', 'CURRENT_SCHEMA', 'CURRENT_TIMESTAMP', 'LOCALTIME']);
export const STATEMENTS = new Set([
  'SELECT', 'INSERT', 'UPDATE', 'DELETE', 'DROP', 'CREATE', 'ALTER', 'TRUNCATE', 'EXEC', 'EXECUTE',
  'DECLARE', 'SHUTDOWN', 'WAITFOR', 'REPLACE', 'WHILE', 'COPY', 'GRANT', 'RENAME', 'HANDLER', 'LOAD', 'CALL', 'SET',
]);
const KEYWORDS = new Set([
  'FROM', 'WHERE', 'HAVING', 'LIMIT', 'OFFSET', 'INTO', 'VALUES', 'TABLE', 'DATABASE', 'SCHEMA', 'JOIN',
  'ALL', 'DISTINCT', 'TOP', 'AS', 'ON', 'CASE', 'WHEN', 'THEN', 'ELSE', 'END', 'IF', 'DELAY', 'TIME',
  'OUTFILE', 'DUMPFILE', 'PROCEDURE', 'ANALYSE', 'USER', 'VIEW', 'INDEX', 'FUNCTION', 'TRIGGER',
  'DUAL', 'BEGIN', 'ORDER', 'GROUP', 'BY', 'ASC', 'DESC', 'MASTER', 'CHARSET', 'BINARY',
]);
/** Functions that appear in injections (time, error, file, string-building, metadata). */
const FUNCTIONS = new Set([
  'SLEEP', 'BENCHMARK', 'PG_SLEEP', 'EXTRACTVALUE', 'UPDATEXML', 'LOAD_FILE', 'XP_CMDSHELL',
  'CHAR', 'CHR', 'NCHAR', 'CONCAT', 'CONCAT_WS', 'GROUP_CONCAT', 'UNHEX', 'HEX', 'ASCII', 'ORD',
  'SUBSTRING', 'SUBSTR', 'MID', 'LEFT', 'RIGHT', 'LENGTH', 'LEN', 'CAST', 'CONVERT', 'COUNT', 'IF',
  'IFNULL', 'ISNULL', 'NULLIF', 'COALESCE', 'MD5', 'SHA1', 'RAND', 'FLOOR', 'EXP', 'NAME_CONST',
  'VERSION', 'DATABASE', 'USER', 'CURRENT_USER', 'SYSTEM_USER', 'SESSION_USER', 'SCHEMA', 'DB_NAME',
  'USER_NAME', 'HOST_NAME', 'EXISTS', 'ELT', 'MAKE_SET', 'GTID_SUBSET', 'JSON_KEYS', 'POLYGON',
  'MULTIPOINT', 'GEOMETRYCOLLECTION', 'LINESTRING', 'UTL_INADDR', 'UTL_HTTP', 'DBMS_PIPE', 'CTXSYS',
  'DBMS_LOCK', 'DBMS_XMLGEN', 'XMLTYPE', 'TO_CHAR', 'TO_NUMBER', 'RANDOMBLOB', 'SQLITE_VERSION',
  'LIKELIHOOD', 'UNICODE', 'PG_READ_FILE', 'CURRENT_DATABASE', 'OPENROWSET', 'OPENQUERY', 'REVERSE',
  'TRIM', 'LOWER', 'UPPER', 'LCASE', 'UCASE', 'BIN', 'OCT', 'CONV', 'INSTR', 'LOCATE', 'POSITION',
  'STRCMP', 'SUBSTRING_INDEX', 'REPEAT', 'SPACE', 'NOW', 'SYSDATE', 'GETDATE', 'ABS', 'POW', 'SQRT',
  'CHAR_LENGTH', 'BIT_LENGTH', 'UUID', 'CONNECTION_ID', 'LAST_INSERT_ID', 'ROW_COUNT', 'REGEXP_LIKE',
  'REGEXP_SUBSTR', 'SYS_CONTEXT', 'DECODE', 'NVL', 'EXTRACT', 'SOUNDEX', 'WAITFOR', 'IIF', 'CHOOSE',
]);

/**
 * Kinds of the words whose kind does not depend on a following `(`, and of statement starters and
 * clause keywords (which become calls when one follows): one map lookup per word instead of a set
 * per kind, because prose-heavy values are mostly words.
 */
const FIXED_KIND = new Map<string, Kind>();
const PLAIN_KIND = new Map<string, Kind>();
for (const w of KEYWORDS) PLAIN_KIND.set(w, 'k');
for (const w of STATEMENTS) PLAIN_KIND.set(w, 'E');
for (const w of LITERAL_WORDS) FIXED_KIND.set(w, 'n');
for (const w of [...LOGIC, ...WORD_OPS]) FIXED_KIND.set(w, 'o');
for (const w of ['AND', 'OR', 'XOR']) FIXED_KIND.set(w, '&');
FIXED_KIND.set('UNION', 'U');
FIXED_KIND.set('EXEC', 'E'); // `EXEC(@sql)` runs a statement, it is no function
FIXED_KIND.set('EXECUTE', 'E');

/** Every word whose kind is not the default bareword's (keywords, statements, operators, literals): what a pre-check may look up. */
export const KNOWN_WORDS: readonly string[] = [...new Set([...FIXED_KIND.keys(), ...PLAIN_KIND.keys()])];

/** Maps an upper-cased word to its kind; `followedByParen` turns names into calls. */
export function classifyWord(word: string, followedByParen: boolean): Kind {
  const fixed = FIXED_KIND.get(word);
  if (fixed !== undefined) return fixed;
  if (followedByParen) return FUNCTIONS.has(word) || (word.includes('.') && FUNCTIONS.has(word.slice(0, word.indexOf('.')))) ? 'f' : 'F';
  return PLAIN_KIND.get(word) ?? 'b';
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
/** ASCII character classes, looked up once per character on the tokenizer's hot loop. */
const SPACE_BIT = 1;
const WORD_BIT = 2;
const ASCII = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if (c === 32 || (c >= 9 && c <= 13) || c === 0) ASCII[c] = SPACE_BIT;
  else if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || isDigit(c) || c === 95 || c === 36) ASCII[c] = WORD_BIT;
}
export const isSpace = (c: number): boolean => (c < 128 ? ASCII[c] === SPACE_BIT : c >= 128 && isUnicodeSpace(c));
/** Word characters include any non-ASCII code unit, so prose in other scripts stays one bareword. */
export const isWordChar = (c: number): boolean => (c < 128 ? ASCII[c] === WORD_BIT : c >= 128 && !isUnicodeSpace(c)); // NaN (past the end) is none
/** Non-ASCII spaces (NBSP, en/em spaces, ideographic space, BOM) separate tokens like a space does. */
const isUnicodeSpace = (c: number): boolean =>
  c === 160 || c === 0x1680 || (c >= 0x2000 && c <= 0x200b) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;

const MULTI_OPS = ['<=>', '<=', '>=', '<>', '!=', '||', '&&', ':=', '::', '<<', '>>', '!<', '!>'];

class Scanner {
  readonly tokens: Token[] = [];
  pos = 0;
  /** Inside a MySQL `/*! … *\/` executable comment: its closing `*\/` is skipped, not a comment. */
  inExecComment = false;

  constructor(readonly s: string) {}

  push(kind: Kind, text: string, start: number, closed = false): void {
    // Every token has the same shape (closed is only read on strings): the rules' loops stay monomorphic.
    this.tokens.push({ kind, text, start, end: this.pos, closed });
  }

  /** Reads a quoted literal starting after its opening quote; doubled quotes and backslashes escape. */
  readString(quote: number, start: number): void {
    const s = this.s;
    let i = this.pos;
    while (i < s.length) {
      const c = s.charCodeAt(i);
      if (c === 92) i += 2;
      else if (c === quote && s.charCodeAt(i + 1) === quote) i += 2;
      else if (c === quote) break;
      else i++;
    }
    const closed = i < s.length;
    this.pos = closed ? i + 1 : s.length;
    this.push('s', s.slice(start, this.pos), start, closed);
  }

  readNumber(start: number): void {
    const s = this.s;
    let i = this.pos;
    const c1 = s.charCodeAt(i + 1) | 32;
    if (s.charCodeAt(i) === 48 && (c1 === 120 || c1 === 98)) {
      i += 2; // 0x… hex or 0b… binary literal
      while (i < s.length && isWordChar(s.charCodeAt(i))) i++;
    } else {
      while (i < s.length && (isDigit(s.charCodeAt(i)) || s.charCodeAt(i) === 46)) i++;
      if ((s.charCodeAt(i) | 32) === 101 && (isDigit(s.charCodeAt(i + 1)) || s.charCodeAt(i + 1) === 45 || s.charCodeAt(i + 1) === 43)) {
        i += 2;
        while (i < s.length && isDigit(s.charCodeAt(i))) i++;
      }
    }
    // `1union` is a number then a keyword to MySQL, but `5th` or `3d` is a word in prose.
    let j = i;
    while (j < s.length && isWordChar(s.charCodeAt(j))) j++;
    if (j > i) {
      const word = s.slice(i, j).toUpperCase();
      const kind = classifyWord(word, false);
      if (kind === 'b' || kind === 'n') {
        this.pos = j;
        this.push('b', word, start);
        return;
      }
    }
    this.pos = i;
    this.push('n', s.slice(start, i), start);
  }

  readWord(start: number): void {
    const s = this.s;
    let i = this.pos;
    while (i < s.length && isWordChar(s.charCodeAt(i))) i++;
    // Dotted names such as `information_schema.tables` or `dbms_pipe.receive_message` stay one word.
    while (s.charCodeAt(i) === 46 && isWordChar(s.charCodeAt(i + 1)) && !isDigit(s.charCodeAt(i + 1))) {
      i++;
      while (i < s.length && isWordChar(s.charCodeAt(i))) i++;
    }
    this.pos = i;
    const word = s.slice(start, i).toUpperCase();
    this.push(classifyWord(word, this.nextIsParen()), word, start);
  }

  /** True when the next non-space character is `(`; bounded to a short look-ahead. */
  nextIsParen(): boolean {
    const s = this.s;
    for (let i = this.pos; i < s.length && i < this.pos + 16; i++) {
      const c = s.charCodeAt(i);
      if (c === 40) return true;
      if (!isSpace(c)) return false;
    }
    return false;
  }

  readComment(start: number): void {
    const s = this.s;
    const c = s.charCodeAt(this.pos);
    if (c === 47) {
      if (s.charCodeAt(this.pos + 2) === 33) {
        // MySQL `/*!50000 … */` runs its content: skip the marker and the version, keep scanning.
        this.pos += 3;
        while (isDigit(s.charCodeAt(this.pos))) this.pos++;
        this.inExecComment = true;
        return;
      }
      const close = s.indexOf('*/', this.pos + 2);
      this.pos = close < 0 ? s.length : close + 2;
    } else {
      const nl = s.indexOf('\n', this.pos);
      this.pos = nl < 0 ? s.length : nl + 1;
    }
    this.push('c', s.slice(start, this.pos), start);
  }

  readOperator(start: number): void {
    const s = this.s;
    // Only these start a multi-character operator: `< > ! | & :`.
    const c = s.charCodeAt(this.pos);
    if (c === 60 || c === 62 || c === 33 || c === 124 || c === 38 || c === 58) for (const op of MULTI_OPS) {
      if (s.startsWith(op, this.pos)) {
        this.pos += op.length;
        this.push(op === '||' || op === '&&' ? '&' : 'o', op, start);
        return;
      }
    }
    const ch = s[this.pos] ?? '';
    this.pos++;
    // Brackets, braces and colons are JSON, paths and markup far more often than SQL: not operators.
    const kind: Kind = ch === '(' || ch === ')' || ch === ',' || ch === ';' || ch === '.' ? ch : '[]{}:?'.includes(ch) ? 'x' : 'o';
    this.push(kind, ch, start);
  }

  step(): void {
    const s = this.s;
    const start = this.pos;
    const c = s.charCodeAt(start);
    const c2 = s.charCodeAt(start + 1);
    if (isSpace(c)) this.pos++;
    else if (c === 39 || c === 34 || c === 96) {
      this.pos++;
      this.readString(c, start);
      if (c === 96) (this.tokens[this.tokens.length - 1] as Token).kind = 'b'; // `quoted identifier`
    } else if (isDigit(c) || (c === 46 && isDigit(c2))) this.readNumber(start);
    else if (c === 64) {
      this.pos++;
      while (s.charCodeAt(this.pos) === 64) this.pos++;
      while (this.pos < s.length && isWordChar(s.charCodeAt(this.pos))) this.pos++;
      this.push('v', s.slice(start, this.pos).toUpperCase(), start);
    } else if (isWordChar(c)) this.readWord(start);
    else if ((c === 45 && c2 === 45) || c === 35 || (c === 47 && c2 === 42)) this.readComment(start);
    else if (c === 42 && c2 === 47 && this.inExecComment) {
      this.pos += 2;
      this.inExecComment = false;
    } else this.readOperator(start);
  }
}

/**
 * Tokenizes `value` as SQL placed in `ctx`. In a quoted context the first token is the literal the
 * value starts inside (closed by the value's first unescaped matching quote, if any).
 */
export function tokenize(value: string, ctx: Context): Token[] {
  const sc = new Scanner(value);
  if (ctx !== '') sc.readString(ctx.charCodeAt(0), 0);
  while (sc.pos < value.length) sc.step();
  return fold(sc.tokens, value);
}

/** Words an inline comment split (`UN/**\/ION`) that SQL parsers or filters would rejoin. */
function tryJoin(a: Token, b: Token): Token | undefined {
  if (a.kind !== 'b' || !(b.kind === 'b' || b.kind === 'E' || b.kind === 'k' || b.kind === 'f' || b.kind === 'F')) return undefined;
  const word = a.text + b.text;
  const kind = classifyWord(word, b.kind === 'f' || b.kind === 'F');
  return kind === 'b' || kind === 'F' ? undefined : { kind, text: word, start: a.start, end: b.end, closed: false };
}

export const PAIRS: ReadonlyMap<string, readonly string[]> = new Map<string, readonly string[]>([
  ['UNION', ['ALL', 'DISTINCT']],
  ['ORDER', ['BY']],
  ['GROUP', ['BY']],
  ['WAITFOR', ['DELAY', 'TIME']],
  ['INTO', ['OUTFILE', 'DUMPFILE']],
  ['NOT', ['LIKE', 'IN', 'BETWEEN', 'REGEXP', 'EXISTS']],
  ['IS', ['NOT']],
]);

/**
 * Folds the raw stream: drops inline comments (keeping the last one, which ends the query), rejoins
 * comment-split keywords and merges two-word keywords (`UNION ALL`, `ORDER BY`) into one token.
 */
function fold(raw: Token[], value: string): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < raw.length; i++) {
    const t = raw[i] as Token;
    const next = raw[i + 1];
    if (t.kind === 'c' && next !== undefined) {
      const prev = out[out.length - 1];
      // A comment glued between two word pieces (`UN/**/ION`): rejoin when that makes a keyword.
      const joined = prev && value[t.start - 1] !== ' ' && value[t.end] !== ' ' ? tryJoin(prev, next) : undefined;
      if (joined) {
        out[out.length - 1] = joined;
        i++;
      }
      continue;
    }
    const prev = out[out.length - 1];
    // Every pair opens with a keyword, a statement, UNION or an operator word: skip the lookup for the rest.
    if (prev && (prev.kind === 'k' || prev.kind === 'E' || prev.kind === 'U' || prev.kind === 'o') && PAIRS.get(prev.text)?.includes(t.text)) {
      out[out.length - 1] = { ...prev, text: `${prev.text} ${t.text}`, end: t.end, kind: prev.text === 'NOT' ? 'o' : prev.kind };
      continue;
    }
    out.push(t);
  }
  return out;
}
