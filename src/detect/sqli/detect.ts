/**
 * Decides whether a value's SQL shape is an injection. The value is tokenized in each context it
 * could have been pasted into (bare, inside '…', inside "…"); rules then look for a break out of
 * that context followed by SQL that does something: a tautology, a UNION, a stacked statement, a
 * time or error function, a comment that cuts the rest of the query off.
 */
import type { Detection } from '../types.js';
import { bareMayFire, quotedMayFire } from './precheck.js';
import { tokenize, type Context, type Token } from './tokenize.js';
import { CATALOG, DOTTED_DANGER, mayNamePackage, STATEMENT_STARTS } from './words.js';

/** Only this much of a value is scanned: an injection needs to reach SQL early to do anything. */
export const SCAN_LIMIT = 4096;

export interface Finding {
  confidence: number;
  reason: string;
  /** Token index range [from, to) that made the decision. */
  from: number;
  to: number;
}

type Rule = (t: Token[], ctx: Context, value: string) => Finding | undefined;

const kindAt = (t: Token[], i: number): string => t[i]?.kind ?? '';
const textAt = (t: Token[], i: number): string => t[i]?.text ?? '';

/** Skips closing or opening parentheses from `i`. */
function skip(t: Token[], i: number, kind: '(' | ')'): number {
  while (kindAt(t, i) === kind) i++;
  return i;
}

/** Where the injected SQL starts: right after the literal the value broke out of, or at 0 when bare. */
function breakIndex(t: Token[], ctx: Context): number | undefined {
  if (ctx === '') return 0;
  const first = t[0];
  return first && first.kind === 's' && first.closed ? 1 : undefined;
}

/**
 * Index after the parameter a bare value starts with (`5`, `-3`, `@v`, `abc`), or -1 when the value
 * does not start with one. `numeric` limits it to numbers and variables, the typical numeric context.
 */
function bareParam(t: Token[], numeric: boolean): number {
  let i = 0;
  if (kindAt(t, 0) === 'o' && (textAt(t, 0) === '-' || textAt(t, 0) === '+')) i++;
  const k = kindAt(t, i);
  return k === 'n' || k === 'v' || (!numeric && k === 'b') ? i + 1 : -1;
}

/** SELECT followed by something only SQL has in a select list, not prose like "select your seat". */
function selectLooksReal(t: Token[], i: number): boolean {
  for (let j = i + 1; j < t.length && j <= i + 8; j++) {
    const k = kindAt(t, j);
    const x = textAt(t, j);
    if (k === 'n' || k === 's' || k === 'v' || k === 'f' || x === '*' || k === 'c' || k === ';') return true;
    // `SELECT (SELECT …)`, `SELECT (1)`; a script call `select(x)` has a plain name inside.
    if (k === '(') return kindAt(t, j + 1) !== 'b' && kindAt(t, j + 1) !== ')';
    if (x === 'FROM') return fromTargetLooksReal(t, j);
    if (x === 'TOP' || x === 'DISTINCT' || x === 'ALL') return true;
  }
  return j0end(t, i);
}

/** `FROM users WHERE id=1`, `FROM db.tbl`, `FROM t--`: a table reference, then SQL or the end of the query. */
function fromTargetLooksReal(t: Token[], j: number): boolean {
  const name = t[j + 1];
  if (!name || name.kind !== 'b') return name?.kind === '(';
  if (/[._]/.test(name.text)) return true;
  const after = kindAt(t, j + 2);
  const x = textAt(t, j + 2);
  if (after === 'c' || after === ';' || after === ')' || after === 'U') return true;
  if (x === 'WHERE' || x === 'HAVING') return conditionAt(t, j + 2, false);
  return x === 'LIMIT' || x === 'ORDER BY' || x === 'GROUP BY' || x === 'JOIN';
}

/** `SELECT x--`: a one-column select cut off by a comment is the attacker's query tail. */
function j0end(t: Token[], i: number): boolean {
  return kindAt(t, i + 1) !== '' && kindAt(t, i + 2) === 'c';
}

/** `UNION [ALL] SELECT …` with a real select list, anywhere in the value. */
const unionSelect: Rule = (t, _ctx, value) => {
  for (let i = 0; i < t.length; i++) {
    if (kindAt(t, i) !== 'U') continue;
    const j = skip(t, i + 1, '(');
    // `-1 UNION--`, `5 union/*`: a numeric parameter followed by a cut-off UNION.
    if (i === bareParam(t, true) && (j >= t.length || (kindAt(t, j) === 'c' && j === t.length - 1)))
      return { confidence: 0.6, reason: 'union-probe', from: 0, to: i + 1 };
    if (textAt(t, j) !== 'SELECT') continue;
    if (selectLooksReal(t, j) || (kindAt(t, i - 1) !== 'b' && fromClause(t, j))) return { confidence: 0.95, reason: 'union-select', from: i, to: j + 2 };
    // `' UNION SELECT` cut off at the end: still a UNION probe when it follows a literal, not a word.
    const prev = kindAt(t, i - 1);
    const spaced = /\s/.test(value[(t[i] as Token).start - 1] ?? '');
    if (j === t.length - 1 && spaced && (prev === 's' || prev === 'n' || prev === ')')) return { confidence: 0.7, reason: 'union-select', from: i, to: j + 1 };
  }
  return undefined;
};

/** A statement whose first words show it is SQL, not English (`drop me a line`). */
function statementAt(t: Token[], i: number): boolean {
  const x = textAt(t, i);
  const n = textAt(t, i + 1);
  const nk = kindAt(t, i + 1);
  // The pre-check reads a `;` as a stacked query only before one of these words: keep every case below in the set.
  if (!STATEMENT_STARTS.has(x)) return false;
  switch (x) {
    case 'SELECT':
      return selectLooksReal(t, i);
    case 'DROP':
    case 'CREATE':
    case 'ALTER':
    case 'TRUNCATE':
      if (nk === 'b' && kindAt(t, i + 2) === 'c' && textAt(t, i - 1) === ';') return true;
      return ['TABLE', 'DATABASE', 'SCHEMA', 'USER', 'VIEW', 'INDEX', 'PROCEDURE', 'FUNCTION', 'TRIGGER'].includes(n);
    case 'INSERT':
    case 'REPLACE':
      return n === 'INTO';
    case 'DELETE':
      return n === 'FROM';
    case 'UPDATE':
      return textAt(t, i + 2) === 'SET';
    case 'EXEC':
    case 'EXECUTE':
      return /^(MASTER|XP_|SP_|IMMEDIATE$)/.test(n) || nk === '(' || nk === 'v' || nk === 's';
    case 'COPY':
      // PostgreSQL `COPY t FROM '/etc/passwd'` / `COPY (…) TO PROGRAM '…'`: a file path or program follows.
      return (textAt(t, i + 2) === 'FROM' || textAt(t, i + 2) === 'TO') && (kindAt(t, i + 3) === 's' || textAt(t, i + 3) === 'PROGRAM');
    case 'LOAD':
      return n === 'DATA' || n === 'XML';
    case 'BEGIN':
      return n !== 'BEGIN' && statementAt(t, i + 1); // one level only: no recursion on `begin begin …`
    case 'GRANT':
      return nk === 'b' && textAt(t, i + 2) === 'TO';
    case 'DECLARE':
      return nk === 'v';
    case 'SET':
      return nk === 'v';
    case 'SHUTDOWN':
      return nk === '' || nk === 'c' || nk === ';';
    case 'WAITFOR DELAY':
    case 'WAITFOR TIME':
      return nk === 's';
    case 'IF':
    case 'WHILE':
      return conditionalStatement(t, i);
    default:
      // `; SLEEP(5)`, `; BENCHMARK(…)`: a time function run as its own statement.
      return kindAt(t, i) === 'f' && ['SLEEP', 'BENCHMARK', 'PG_SLEEP'].includes(x);
  }
}

/** `; DROP TABLE …`, `; EXEC …`, `'; WAITFOR DELAY …`: a second statement after the value. */
const stacked: Rule = (t, ctx) => {
  const b = breakIndex(t, ctx);
  // `x' EXEC master..xp_cmdshell …`, `'); DROP TABLE …`: a statement right after the broken literal.
  if (ctx !== '' && b !== undefined) {
    const j = skip(t, b, ')');
    if (kindAt(t, j) === 'E' && textAt(t, j) !== 'SET' && statementAt(t, j)) return { confidence: 0.85, reason: 'stacked-query', from: b, to: j + 2 };
  }
  for (let i = 0; i < t.length; i++) {
    if (kindAt(t, i) !== ';') continue;
    const j = skip(t, i + 1, '(');
    if (statementAt(t, j)) return { confidence: 0.9, reason: 'stacked-query', from: i, to: j + 2 };
  }
  return undefined;
};

/** A whole statement as the value (`SELECT * FROM users WHERE …`, `DROP TABLE x`). */
const fullQuery: Rule = (t, ctx) => {
  if (ctx !== '') return undefined;
  const j = skip(t, 0, '(');
  const x = textAt(t, j);
  if (!hasSqlPunctuation(t)) return undefined;
  // `IF(1=1) SELECT … ELSE …`: MSSQL's conditional statement.
  if (x === 'IF' && kindAt(t, j) === 'f') {
    const e = closeParen(t, j + 1);
    if (e > 0 && kindAt(t, e) === 'E' && statementAt(t, e)) return { confidence: 0.8, reason: 'sql-statement', from: j, to: e + 1 };
  }
  if (x === 'SELECT' ? selectStatement(t, j) : kindAt(t, j) === 'E' && x !== 'SET' && statementAt(t, j))
    return { confidence: 0.8, reason: 'sql-statement', from: j, to: j + 3 };
  return undefined;
};

/**
 * MSSQL `IF (1=1) WAITFOR …` / `IF 1=1 DROP …`: a condition, then a statement. Script code
 * (`;if(a){…}`) has the condition but no SQL statement after it.
 */
function conditionalStatement(t: Token[], i: number): boolean {
  if (kindAt(t, i + 1) === '(') {
    const e = closeParen(t, i + 1);
    return e > 0 && kindAt(t, e) === 'E';
  }
  if (!conditionAt(t, i, true)) return false;
  for (let j = i + 2; j < t.length && j < i + 8; j++) if (kindAt(t, j) === 'E') return true;
  return false;
}

/** Words alone (`Delete from cart`, `drop table tennis`) are prose; a statement has SQL punctuation or literals. */
function hasSqlPunctuation(t: Token[]): boolean {
  return t.some((x) => x.kind === ';' || x.kind === 'c' || x.kind === '(' || x.kind === 'o' || x.kind === 'v' || x.kind === 'n' || x.kind === 's' || x.kind === ',');
}

/** A stand-alone SELECT: with a real FROM clause, or selecting a variable or call and nothing else. */
function selectStatement(t: Token[], j: number): boolean {
  if (fromClause(t, j)) return selectLooksReal(t, j);
  const k = kindAt(t, j + 1);
  if (k !== 'v' && k !== 'f' && k !== 'F' && !(k === 'n' && NILADIC.has(textAt(t, j + 1)))) return false;
  // `SELECT current_database();`: a niladic name may still carry an empty argument list.
  const niladicEnd = kindAt(t, j + 2) === '(' && kindAt(t, j + 3) === ')' ? j + 4 : j + 2;
  const end = k === 'v' ? j + 2 : k === 'n' ? niladicEnd : closeParen(t, j + 2);
  const e = kindAt(t, end);
  // An unknown call (`current_setting('port')`) counts only when a `;` or comment ends it.
  return end > 0 && (e === ';' || e === 'c' || (e === '' && k !== 'F'));
}

/** SQL's parameterless functions, written without parentheses (`SELECT current_user;`). */
const NILADIC = new Set(['CURRENT_USER', 'SESSION_USER', 'SYSTEM_USER', 'CURRENT_DATABASE', 'CURRENT_SCHEMA', 'CURRENT_TIMESTAMP', 'LOCALTIME']);

/** Index after the `)` matching the `(` at `i`, or -1; looks at most 64 tokens ahead to stay linear. */
function closeParen(t: Token[], i: number): number {
  if (kindAt(t, i) !== '(') return -1;
  let depth = 0;
  for (let j = i; j < t.length && j < i + 64; j++) {
    if (kindAt(t, j) === '(') depth++;
    else if (kindAt(t, j) === ')' && --depth === 0) return j + 1;
  }
  return -1;
}

/** A FROM within the next 40 tokens of the SELECT at `i`. */
function fromClause(t: Token[], i: number): boolean {
  for (let j = i + 1; j < t.length && j < i + 40; j++) if (textAt(t, j) === 'FROM') return true;
  return false;
}

const TIME_OR_ERROR = new Set([
  'SLEEP', 'BENCHMARK', 'PG_SLEEP', 'EXTRACTVALUE', 'UPDATEXML', 'LOAD_FILE', 'XP_CMDSHELL', 'NAME_CONST',
  'GTID_SUBSET', 'PG_READ_FILE', 'RANDOMBLOB', 'OPENROWSET',
]);

/** Time-based, error-based and file functions; `sleep(5)` needs its numeric argument to count. */
const dangerousCall: Rule = (t) => {
  for (let i = 0; i < t.length; i++) {
    const k = kindAt(t, i);
    const x = textAt(t, i);
    if (x === 'WAITFOR DELAY' || x === 'WAITFOR TIME') {
      if (kindAt(t, i + 1) === 's') return { confidence: 0.9, reason: 'time-delay', from: i, to: i + 2 };
      continue;
    }
    if (x === 'INTO OUTFILE' || x === 'INTO DUMPFILE') {
      const a = kindAt(t, i + 1);
      if (a === 's' || a === '(' || a === 'f') return { confidence: 0.9, reason: 'file-write', from: i, to: i + 2 };
      continue;
    }
    if (k === 'b' && mayNamePackage(x) && DOTTED_DANGER.test(x) && (kindAt(t, i - 1) === '&' || kindAt(t, i - 1) === 'o'))
      return { confidence: 0.8, reason: 'sql-function', from: i - 1, to: i + 1 };
    if ((x === 'EXEC' || x === 'EXECUTE') && (kindAt(t, i + 1) === 'v' || (kindAt(t, i + 1) === '(' && kindAt(t, i + 2) === 'v')))
      return { confidence: 0.85, reason: 'dynamic-exec', from: i, to: i + 3 };
    // `EXEC xp_cmdshell`, `exec master..sp_oacreate`: system procedures that run commands.
    if ((x === 'EXEC' || x === 'EXECUTE') && /^(MASTER\.?\.?)?(XP_|SP_OA|SP_EXECUTESQL|SP_CONFIGURE)/.test(textAt(t, i + 1) + (kindAt(t, i + 2) === '.' ? textAt(t, i + 3) + textAt(t, i + 4) : '')))
      return { confidence: 0.85, reason: 'command-exec', from: i, to: i + 2 };
    if (k !== 'f' && k !== 'F') continue;
    if (!(TIME_OR_ERROR.has(x) || (mayNamePackage(x) && DOTTED_DANGER.test(x)))) continue;
    const a = kindAt(t, i + 2);
    // `sleep(5)` takes one number or expression (`sleep (5 hours)` is prose); names no prose uses
    // (`extractvalue(`, `load_file(`, `pg_sleep(`) count even when cut short.
    const argOk = x === 'SLEEP' ? (a === 'n' && kindAt(t, i + 3) === ')') || a === '(' || a === 'f' : a !== ')' || x === 'PG_SLEEP';
    if (argOk) return { confidence: 0.85, reason: x === 'SLEEP' || x === 'BENCHMARK' || x === 'PG_SLEEP' ? 'time-function' : 'sql-function', from: i, to: i + 4 };
  }
  return undefined;
};


/** System catalogs read through FROM or a dotted name. */
const catalog: Rule = (t) => {
  for (let i = 0; i < t.length; i++) {
    if (kindAt(t, i) !== 'b' || !mayNamePackage(textAt(t, i)) || !CATALOG.test(textAt(t, i))) continue;
    if (textAt(t, i - 1) === 'FROM' || textAt(t, i).includes('.') || kindAt(t, i + 1) === '.') return { confidence: 0.85, reason: 'catalog-access', from: i - 1, to: i + 1 };
  }
  return undefined;
};

/** A literal, call, variable or sub-expression: something a condition can compare. */
function isOperand(t: Token[], i: number): boolean {
  const k = kindAt(t, i);
  return k === 'n' || k === 's' || k === 'f' || k === 'v' || k === '(' || k === 'F' || k === 'b' || (k === 'k' && COLUMN_LIKE.has(textAt(t, i)));
}

/** Keywords that are also common column names in injected conditions (`user like '%`). */
const COLUMN_LIKE = new Set(['USER', 'DATABASE', 'SCHEMA', 'TIME', 'END']);

/** Same literal text on both sides of `=`: `x=x`, `'a'='a`, `1=1` are true whatever the words are. */
function sameOperands(t: Token[], l: number, r: number): boolean {
  const a = t[l];
  const b = t[r];
  if (!a || !b || a.kind !== b.kind) return false;
  const strip = (x: string): string => x.replace(/^['"]|['"]$/g, '');
  return strip(a.text).toUpperCase() === strip(b.text).toUpperCase();
}

const UNARY = new Set(['NOT', '!', '+', '-', '~']);
const COMPARE = new Set(['IS NOT', '=', '<', '>', '<=', '>=', '<>', '!=', '<=>', 'LIKE', 'RLIKE', 'REGEXP', 'IS', 'IN', 'BETWEEN', 'NOT LIKE', 'NOT IN', 'NOT BETWEEN', 'SOUNDS', '!<', '!>']);

/**
 * After AND/OR at `i`: is the condition SQL? A comparison, a call, a subquery, or a literal that
 * ends the query. Barewords count only beside a literal (`username='admin'`), never two of them.
 */
function conditionAt(t: Token[], i: number, strict: boolean): boolean {
  let j = i + 1;
  // Unary signs and negations (`OR+1=1`, `OR !0`, `OR ~column`) do not change the shape.
  while (j < i + 5 && UNARY.has(textAt(t, j))) j++;
  j = skip(t, j, '(');
  const k = kindAt(t, j);
  if (textAt(t, j) === 'SELECT' || kindAt(t, j) === 'f' || textAt(t, j) === 'EXISTS') return true;
  if (!isOperand(t, j)) return false;
  // Skip over an operand's own arithmetic (`1+1`, `ascii(...)`): look for a comparison soon after.
  for (let m = j + 1; m < t.length && m <= j + 6; m++) {
    const km = kindAt(t, m);
    if (km === 'o' && COMPARE.has(textAt(t, m))) {
      let r = skip(t, m + 1, '(');
      if (textAt(t, r) === 'NOT') r++;
      const rk = kindAt(t, r);
      if (!isOperand(t, r) && textAt(t, r) !== 'SELECT') return false;
      if (m === j + 1 && textAt(t, m) === '=' && sameOperands(t, j, r)) return true;
      if (k === 'b' && rk === 'b') return !strict && (kindAt(t, r + 1) === 'c' || kindAt(t, r + 1) === '');
      return !strict || (k !== 'b' && rk !== 'b') || kindAt(t, r + 1) === 'c';
    }
    if (km === '&' || km === 'c' || km === ';' || km === 'k' || km === 'U' || km === 'E') break;
  }
  // `' OR 1--`, `' OR TRUE#`: a bare truth value that cuts the query short.
  return (k === 'n' || k === 's') && kindAt(t, j + 1) === 'c' && !strict;
}

/** `' OR 1=1`, `' AND 'a'='a`, `1 AND SLEEP(5)`, `') OR (1=1`. */
const tautology: Rule = (t, ctx) => {
  const b = breakIndex(t, ctx);
  if (b === undefined) return undefined;
  // Bare values must start like a number parameter: `5 OR 1=1`, not prose `cats and dogs = pets`.
  let i = b;
  if (ctx === '') {
    // A fragment made to be appended (`OR 1=1`, `HAVING 1=1`) starts with the operator itself.
    const s0 = kindAt(t, 0) === ';' ? 1 : 0;
    if (kindAt(t, s0) === '&' || textAt(t, s0) === 'WHERE' || textAt(t, s0) === 'HAVING') {
      const f = conditionAt(t, s0, true);
      return f ? { confidence: 0.8, reason: 'tautology', from: s0, to: s0 + 4 } : undefined;
    }
    if (kindAt(t, 0) === 'o' && textAt(t, 0) === '-') i++;
    if (kindAt(t, i) === 'n' || kindAt(t, i) === 'b' || (kindAt(t, i) === 's' && t[i]?.closed)) i++;
    else if (kindAt(t, i) !== ')') return undefined;
  }
  i = skip(t, i, ')');
  if (kindAt(t, i) !== '&') return undefined;
  const strict = ctx === '' && kindAt(t, 0) !== 'n' && kindAt(t, 1) !== 'n';
  if (conditionAt(t, i, strict)) return { confidence: 0.9, reason: 'tautology', from: b, to: i + 4 };
  return undefined;
};

/** `WHERE 1=1`, `HAVING 1=1` anywhere: a clause with a literal-only condition is written by an attacker. */
const whereTautology: Rule = (t) => {
  for (let i = 0; i < t.length; i++) {
    const x = textAt(t, i);
    if ((x === 'WHERE' || x === 'HAVING') && conditionAt(t, i, true)) return { confidence: 0.8, reason: 'tautology', from: i, to: i + 4 };
  }
  return undefined;
};

/** Comments that cut a bare number with nothing after them; `1---` (a dash run) stays text. */
const BARE_CUTS = new Set(['--', '#', '/*', '/**/']);

/** `admin'--`, `x')#`, `1) --`: the value closes the literal and comments the rest of the query out. */
const commentCut: Rule = (t, ctx) => {
  const b = breakIndex(t, ctx);
  if (b === undefined) return undefined;
  let i = ctx === '' ? bareParam(t, true) : b;
  if (i < 0) return undefined;
  const afterParens = skip(t, i, ')');
  // A bare number cut by a comment (`5--`, `7 /*`) is the numeric-context form of `admin'--`.
  if (ctx === '' && afterParens === i && !(kindAt(t, i) === 'c' && i === t.length - 1 && BARE_CUTS.has(textAt(t, i).trim()))) return undefined;
  // `SOAP 1 '#`: a quote after a space opens a quotation in prose; `admin'#` closes a literal.
  if (ctx !== '' && i === afterParens && /\s$/.test((t[0] as Token).text.slice(0, -1))) return undefined;
  i = afterParens;
  if (kindAt(t, i) === ';') i++;
  // A value that opens by closing the literal with a `--` cut (`' -- &password=`) is cut whatever words
  // the comment holds, unless the value is a quoted phrase (`"#2 MOM"`, `'-- see below'`).
  const c = t[i];
  const cutAfterClose = ctx !== '' && (t[0] as Token).text === ctx && c !== undefined && c.text.startsWith('--') && !c.text.trimEnd().endsWith(ctx);
  if (kindAt(t, i) === 'c' && i === t.length - 1 && (cutAfterClose || !proseComment(t[i] as Token))) return { confidence: ctx === '' ? 0.7 : 0.8, reason: 'comment-terminated', from: b, to: i + 1 };
  return undefined;
};

/** `'# BLAH`, `' --INFANT`: a "comment" carrying words is text with a dash or hash, not a cut-off. */
function proseComment(c: Token): boolean {
  let letters = 0;
  for (let i = 0; i < c.text.length; i++) {
    const x = c.text.charCodeAt(i) | 32;
    if (x >= 97 && x <= 122 && ++letters > 2) return true;
  }
  return false;
}

/** `1 ORDER BY 3--`, `' GROUP BY 1,2#`: column counting before a UNION. */
const orderBy: Rule = (t, ctx) => {
  const b = breakIndex(t, ctx);
  if (b === undefined) return undefined;
  let i = ctx === '' ? Math.max(0, bareParam(t, false)) : b;
  i = skip(t, i, ')');
  const x = textAt(t, i);
  if (x === 'GROUP BY' && kindAt(t, i + 1) === 'f') return { confidence: 0.85, reason: 'group-by-error', from: b, to: i + 3 };
  if (x === 'GROUP BY' && kindAt(t, i + 1) === 'b' && textAt(t, i + 2) === 'HAVING' && conditionAt(t, i + 2, false))
    return { confidence: 0.85, reason: 'group-by-having', from: b, to: i + 4 };
  if ((x === 'ORDER BY' || x === 'GROUP BY') && kindAt(t, i + 1) === 'n') {
    let j = i + 2;
    while (kindAt(t, j) === ',' && kindAt(t, j + 1) === 'n') j += 2;
    const end = kindAt(t, j);
    // Bare `ORDER BY 5` as the whole value is the column-count probe; `1 order by 2` alone is not enough.
    const wholeValue = ctx === '' && (i === 0 || kindAt(t, i - 1) === 'n') && end === '';
    if (end === 'c' || (end === '' && ctx !== '') || wholeValue || end === '&' || textAt(t, j) === 'LIMIT')
      return { confidence: wholeValue ? 0.6 : 0.8, reason: 'order-by-probe', from: b, to: j };
  }
  return undefined;
};

/** `'+(SELECT …)+'`, `'||pg_sleep(5)||'`, `' AND (SELECT …)`: a subquery or call spliced in after a break. */
const splice: Rule = (t, ctx) => {
  const b = breakIndex(t, ctx);
  if (b === undefined) return undefined;
  let i = ctx === '' ? (kindAt(t, 0) === 'n' ? 1 : -1) : b;
  if (i < 0) return undefined;
  i = skip(t, i, ')');
  const op = kindAt(t, i);
  if (op !== 'o' && op !== '&' && op !== ',' && !(op === '(' && ctx !== '')) return undefined;
  const j = skip(t, op === '(' ? i : i + 1, '(');
  if (textAt(t, j) === 'SELECT' && selectLooksReal(t, j)) return { confidence: 0.9, reason: 'subquery', from: b, to: j + 2 };
  const call = kindAt(t, j) === 'f' || (kindAt(t, j) === 'F' && op === '&');
  if (call && kindAt(t, j + 2) !== ')' && ctx !== '') return { confidence: 0.75, reason: 'function-splice', from: b, to: j + 2 };
  return undefined;
};

/** Anywhere: `(SELECT … FROM …)` as a real subquery, the shape of blind extraction. */
const subquery: Rule = (t) => {
  for (let i = 0; i + 1 < t.length; i++) {
    if (kindAt(t, i) === '(' && textAt(t, i + 1) === 'SELECT' && selectLooksReal(t, i + 1))
      return { confidence: 0.85, reason: 'subquery', from: i, to: i + 3 };
  }
  return undefined;
};

/** Token kinds that prose does not produce on their own: no barewords, only SQL's pieces. */
const SQL_ONLY = new Set(['n', 's', 'v', 'o', '&', '(', ')', ',', 'f', 'F', 'k', 'E', 'U', 'c', ';']);

/**
 * A pure SQL expression after the break that re-balances the query: it ends in a comment (`( 1 OR 1 ) --`)
 * or, inside a literal, re-opens the quote the query will close (`A' AND 'B`, `aa'^0+0='0`).
 */
const sqlTail: Rule = (t, ctx) => {
  const b = breakIndex(t, ctx);
  if (b === undefined || b >= t.length) return undefined;
  let ops = 0;
  let strong = 0;
  for (let i = b; i < t.length; i++) {
    const k = kindAt(t, i);
    // A lone column name between operators (`' or column^'1`) is SQL; two words in a row are prose.
    if (k === 'b' && i > b && (kindAt(t, i + 1) === 'o' || kindAt(t, i - 1) === 'o' || kindAt(t, i - 1) === '&')) continue;
    if (!SQL_ONLY.has(k)) return undefined;
    if (k === 'o' || k === '&' || k === '(' || k === 'E' || k === 'U') ops++;
    if (k === '&' || k === 'E' || k === 'U' || k === 'f' || k === ';' || (k === 'o' && COMPARE.has(textAt(t, i)))) strong++;
  }
  const last = t[t.length - 1] as Token;
  if (ops === 0) return undefined;
  const endsInComment = last.kind === 'c' && !proseComment(last) && t.length - b >= 3;
  if (ctx === '') return endsInComment && hasStructure(t) ? { confidence: 0.7, reason: 'sql-expression', from: 0, to: t.length } : undefined;
  const first = kindAt(t, b);
  if (first !== 'o' && first !== '&' && first !== ')' && first !== ';') return undefined;
  // Re-opening the quote is only an attack shape around one short token each side (`aa' OR 'b`):
  // quoted words inside prose (`SMALL "&" SIGN`, `16" or 18"`) have spaces or nothing around them.
  // A value that opens by closing the literal (`'or'1=1`) has an empty first token; one that ends on
  // a bare quote after a logic word (`admin' or '`) leaves the query's own quote to close it.
  const opensByClosing = (t[0] as Token).text === ctx;
  const logic = t.some((x) => x.kind === '&');
  const reopens = strong > 0 && last.kind === 's' && !last.closed && t.length - b >= 2
    && (isShortToken((t[0] as Token).text) || (opensByClosing && logic))
    && (isShortToken(last.text) || (last.text === ctx && logic))
    && !(opensByClosing && last.text === ctx && t.length - b === 2); // `'and'`: a quoted word, nothing around it
  return endsInComment || reopens ? { confidence: 0.65, reason: 'quote-balanced-expression', from: b, to: t.length } : undefined;
};

/** Parentheses, logic or a keyword: an expression, not a path or a range like `0://1/2#3`. */
function hasStructure(t: Token[]): boolean {
  return t.some((x) => x.kind === '(' || x.kind === '&' || x.kind === 'E' || x.kind === 'U' || x.kind === 'f' || x.kind === 'F');
}

/** A quote-delimited fragment holding one non-empty token: no whitespace, at least one letter or digit. */
function isShortToken(raw: string): boolean {
  const body = raw.trim().replace(/^['"]|['"]$/g, '');
  if (body === '' || body.length > 32 || /\s/.test(body)) return false;
  return /[A-Za-z0-9]/.test(body);
}

const RULES: Rule[] = [unionSelect, stacked, dangerousCall, tautology, whereTautology, splice, orderBy, commentCut, catalog, subquery, fullQuery, sqlTail];

/** The contexts worth trying: a quoted context only when the value holds that quote to break out with. */
function contexts(value: string): Context[] {
  const out: Context[] = [''];
  if (value.includes("'")) out.push("'");
  if (value.includes('"')) out.push('"');
  return out;
}

/**
 * Scans at most two windows of SCAN_LIMIT characters: the head (where a value's SQL context starts)
 * and, for longer values, the tail (so padding a payload past the head does not hide it). The work
 * is bounded whatever the input size; the middle of a huge value is not looked at.
 */
export function detectSqli(input: string): Detection | undefined {
  if (input.length <= SCAN_LIMIT) return detectWindow(input);
  return detectWindow(input.slice(0, SCAN_LIMIT)) ?? detectWindow(input.slice(input.length - SCAN_LIMIT));
}

/** The rules on every context, without the pre-checks: for differential tests of precheck.ts. */
export function detectSqliExhaustive(input: string): Detection | undefined {
  const scan = (v: string): Detection | undefined => detectWindow(v, false);
  if (input.length <= SCAN_LIMIT) return scan(input);
  return scan(input.slice(0, SCAN_LIMIT)) ?? scan(input.slice(input.length - SCAN_LIMIT));
}

function detectWindow(value: string, precheck = true): Detection | undefined {
  if (!maybeSql(value)) return undefined;
  for (const ctx of contexts(value)) {
    // Tokenizing prose costs ~25 ns a character; most free text cannot fire a rule in a given context.
    if (precheck && !(ctx === '' ? bareMayFire(value) : quotedMayFire(value, ctx.charCodeAt(0)))) continue;
    const hit = detectInContext(value, ctx);
    if (hit) return hit;
  }
  return undefined;
}

/** The first rule that fires on `value` read in `ctx`, without any pre-check: what a context's pre-check must never rule out. */
export function detectInContext(value: string, ctx: Context): Detection | undefined {
  const tokens = tokenize(value, ctx);
  for (const rule of RULES) {
    const f = rule(tokens, ctx, value);
    if (f) return toDetection(f, tokens, value);
  }
  return undefined;
}

/**
 * Cheap pre-check: every rule needs at least two tokens, so a value made of word characters only
 * (`abc123`, `user_name`, `3.14`) cannot be an injection and skips tokenizing.
 */
function maybeSql(v: string): boolean {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    const word = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46 || c > 127;
    if (!word || c === 160 || c === 0x3000) return true;
  }
  return false;
}

/** The fragment is the source text of the deciding tokens, capped at 64 characters. */
function toDetection(f: Finding, t: Token[], value: string): Detection {
  const from = t[Math.max(0, f.from)]?.start ?? 0;
  const last = t[Math.min(t.length, f.to) - 1];
  const to = last ? last.end : value.length;
  const fragment = value.slice(from, Math.max(from + 1, to)).slice(0, 64);
  return { detector: 'sqli', confidence: f.confidence, fragment, reason: f.reason };
}
