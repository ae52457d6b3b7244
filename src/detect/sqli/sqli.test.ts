import { describe, expect, it } from 'vitest';
import { detectInContext, detectSqliExhaustive } from './detect.js';
import { sqli, tokenize, type Context } from './index.js';
import { bareMayFire, quotedMayFire } from './precheck.js';
import { seededRandom } from '../../../test/helpers/seeded.js';

// Hand-written examples: each attack shows one SQL shape; each benign value is a look-alike that a
// keyword or regex filter would trip on. None is taken from the measuring corpus.
const ATTACKS: Array<[string, string]> = [
  ["x' OR 1=1", 'tautology'],
  ["pw' or 'q'='q", 'tautology'],
  ["bob') OR ('z'='z", 'tautology'],
  ['7 OR 2=2', 'tautology'],
  ['42 AND 3>2', 'tautology'],
  ['OR k=k--', 'tautology'],
  ["zz' AnD SlEeP(7)-- x", 'time-function'],
  ['12 and sleep(3)', 'time-function'],
  ["q'; WAITFOR DELAY '0:0:9'--", 'stacked-query'],
  ['3 AND BENCHMARK(900000,SHA1(2))', 'time-function'],
  ["v' || pg_sleep(4)--", 'time-function'],
  ['-3 UNION SELECT 1,2,3--', 'union-select'],
  ["k' UNION ALL SELECT NULL,NULL#", 'union-select'],
  ['9 UN/**/ION SEL/**/ECT pass FROM members', 'union-select'],
  ['9 /*!50000UNION*/ /*!50000SELECT*/ 1,2', 'union-select'],
  ["m'; DROP TABLE accounts;--", 'stacked-query'],
  ['5; INSERT INTO staff VALUES (1)', 'stacked-query'],
  ["y'; exec master..xp_cmdshell 'dir'--", 'stacked-query'],
  ["root'--", 'comment-terminated'],
  ["root'#", 'comment-terminated'],
  ["root')-- -", 'comment-terminated'],
  ['2 ORDER BY 4--', 'order-by-probe'],
  ["p' AND extractvalue(7,concat(0x5c,version()))-- ", 'sql-function'],
  ['4 AND updatexml(2,concat(0x3a,user()),2)', 'sql-function'],
  ["r' UNION SELECT load_file('/etc/hosts')--", 'union-select'],
  ['0 UNION SELECT table_name FROM information_schema.tables', 'union-select'],
  ["t' AND (SELECT count(*) FROM information_schema.columns)>0-- ", 'tautology'],
  ["g' AND ascii(substring((SELECT pwd FROM u LIMIT 1),1,1))>77--", 'tautology'],
  ['8 AND char(65)=0x41', 'tautology'],
  ["w'+(SELECT 1 FROM dual)+'", 'subquery'],
  ['SELECT * FROM staff WHERE id = 3', 'sql-statement'],
  ['( 3 OR 4 ) --', 'sql-expression'],
  ["zz' ^ 0 = 'zz", 'quote-balanced-expression'],
  ["q' EXEC xp_cmdshell 'whoami'", 'stacked-query'],
  ['exec xp_cmdshell', 'command-exec'],
  ['EXEC(@cmd)', 'dynamic-exec'],
  ['-4 ORDER BY 1,2,3--', 'order-by-probe'],
  ['6\u00a0UNION\u00a0SELECT\u00a07--', 'union-select'],
  ['9 GROUP BY concat(version(),floor(rand(0)*2)) HAVING min(0)', 'group-by-error'],
  ["IF(2>1) SELECT 1 ELSE DROP TABLE t--", 'sql-statement'],
  ['3 --', 'comment-terminated'],
  ["'or'2=2", 'quote-balanced-expression'],
  ["guest' or '", 'quote-balanced-expression'],
  ["' or ''^'", 'quote-balanced-expression'],
  ['" and ""*"', 'quote-balanced-expression'],
  ["' -- &pass=x", 'comment-terminated'],
  ['select user_name();', 'sql-statement'],
  ['SELECT current_schema();', 'sql-statement'],
];

const BENIGN = [
  "O'Brien",
  "Rock 'n' roll",
  'SELECT a plan',
  'select your seat',
  'Union Station',
  'Union Select Committee minutes',
  'drop me a line; thanks',
  '1-2-3',
  '--help',
  `I'm 5'11"`,
  'salt and pepper or sugar',
  'rock or roll and jazz',
  'Select Comfort mattress from our store',
  'ORDER BY date please',
  'jane.doe+orders@example.com',
  'https://shop.example.com/p?id=12&sort=desc#top',
  '{"name":"Ann","tags":["a","b"],"n":[1,2]}',
  '[[-3,"-4"],[5,6]]',
  'TRUE#LAST',
  'It\'s 5 o\'clock -- time for tea',
  'Delete from cart',
  '"Hello" and "goodbye"',
  'size 16" or 18"',
  'insert coin; play again',
  'where is 1 = 1 in math?',
  'C# or F#',
  '1950 or 1960',
  'we sleep (5 hours)',
  "what's up; drop it",
  "don't; select none",
  "L'Union SELECT nouveau",
  '1---',
  "Don't--stop",
  'Page 3 -- intro',
  'Drop table tennis',
  '"Tom" & "Jerry"',
  'x = y',
  "Aisle 4 '#'",
  "'and'",
  "'hello' or 'bye'",
  '"#1 DAD"',
  "'-- see below'",
  "'or'",
  'select current offers',
];

describe('sqli detector', () => {
  it.each(ATTACKS)('flags %s', (value, reason) => {
    const d = sqli.detect(value);
    expect(d, value).toBeDefined();
    expect(d?.reason).toBe(reason);
    expect(d?.detector).toBe('sqli');
    expect(d?.confidence).toBeGreaterThan(0);
    expect(d?.confidence).toBeLessThanOrEqual(1);
    expect(d?.fragment.length).toBeLessThanOrEqual(64);
  });

  it.each(BENIGN)('passes %s', (value) => {
    expect(sqli.detect(value)).toBeUndefined();
  });

  it('only scans a bounded prefix of huge values, in linear time', () => {
    const huge = "'".repeat(300_000) + '('.repeat(300_000) + 'a or '.repeat(100_000);
    const t0 = performance.now();
    sqli.detect(huge);
    sqli.detect('x'.repeat(1 << 20) + "' OR 1=1--");
    expect(performance.now() - t0).toBeLessThan(200);
    // Padding past the head window does not hide a payload at the end; the middle is not scanned.
    expect(sqli.detect('a'.repeat(5000) + "' OR 1=1--")?.reason).toBe('tautology');
    expect(sqli.detect("' OR 1=1--" + 'a'.repeat(10000))?.reason).toBe('tautology');
    expect(sqli.detect('a'.repeat(5000) + "x' OR 1=1--" + 'a'.repeat(5000))).toBeUndefined();
  });

  it('tokenizes from inside a quoted literal', () => {
    const kinds = tokenize("ab' OR 'c'='c", "'").map((t) => t.kind).join('');
    expect(kinds).toBe('s&sos');
    expect(tokenize('1 UNION ALL SELECT @@version -- x', '').map((t) => t.kind).join('')).toBe('nUEvc');
  });

  it('the pre-checks never hide a finding (differential test against the exhaustive scan)', () => {
    // Seeded mix of SQL pieces, punctuation that changes tokenizing (quotes, comments, variables,
    // dots, digits, exponents, operators, `)` runs) and prose: a pre-check may only rule out a
    // context in which no rule fires.
    const pieces = [
      'union', 'UNION ALL', 'select', 'SELECT', 'from', 'where', 'having', 'order by', 'group by', 'order', 'by', 'waitfor', 'delay', 'into', 'outfile',
      'exec', 'execute', 'xp_cmdshell', 'master', 'drop', 'table', 'delete', 'insert', 'update', 'set', 'create', 'shutdown', 'begin', 'declare', 'if', 'while',
      'and', 'or', 'xor', 'not', 'like', 'is', 'null', 'true', 'information_schema.tables', 'sysobjects', 'sys.objects', 'pg_shadow',
      'utl_http.request', 'dbms_pipe.receive_message', 'sleep', 'benchmark', 'version', 'user', '1', '2', '0x41', '3.14', '1e5', '.5', '.5e-3', '1e-',
      '1union', '5sysobjects', '2or', '20order', '2Forder', '3Dselect', '9by', '-', '+', '=', '<', '>', '<=', '<>', '!=', '<=>', '::', ':=', ':', '*', '/', '%', ',', '.', '[', ']', '{',
      '\\', '~', '!', '^', 'x', 'name', 'keyboard', 'with', 'the', 'cats', 'dogs', '\u00a0', 'ſelect', 'unıon', 'ʙy',
      '&', '|', '&&', '||', 'a=1&b=2', '|/', '||/', '&amp;',
      "'", "''", '"', '`', "\\'", "'x'", '"y"', "'a b c d e f'", '@', '@@version', '@x', 'me@x.sys.objects', 'a@b.com',
      '#', '#x', '#abc', '#=1', '\n', '--', '/*', '*/', '/*!', ';', ';;', ')', ') )', '))', '(',
    ];
    const rand = seededRandom(20261203);
    let fired = 0;
    const skipped = { bare: 0, quoted: 0 };
    for (let n = 0; n < 30_000; n++) {
      const len = 1 + rand(8);
      const parts: string[] = [];
      for (let k = 0; k < len; k++) parts.push(pieces[rand(pieces.length)]!);
      // Half the values break out of a literal somewhere, so the quoted contexts get as many as the bare one.
      if (rand(2) === 0) parts.splice(rand(parts.length + 1), 0, rand(3) === 0 ? '"' : "'");
      const value = parts.join(rand(3) === 0 ? '' : ' ');
      const exhaustive = detectSqliExhaustive(value);
      if (exhaustive) fired++;
      expect(sqli.detect(value), value).toEqual(exhaustive);
      // Per context: what the pre-check rules out, no rule may fire on.
      if (!bareMayFire(value)) { skipped.bare++; expect(detectInContext(value, ''), `bare: ${value}`).toBeUndefined(); }
      for (const q of ["'", '"'] as Context[]) {
        if (value.includes(q) && !quotedMayFire(value, q.charCodeAt(0))) { skipped.quoted++; expect(detectInContext(value, q), `${q}: ${value}`).toBeUndefined(); }
      }
    }
    for (const [value] of ATTACKS) expect(sqli.detect(value), value).toEqual(detectSqliExhaustive(value));
    // The generator must reach the rules and the pre-checks must rule things out, or the comparison proves nothing.
    expect(fired).toBeGreaterThan(1000);
    expect(skipped.bare).toBeGreaterThan(5000);
    expect(skipped.quoted).toBeGreaterThan(5000);
  });

  // The edges of each pre-check condition: the value just inside it (the rule it guards fires, so
  // the pre-check must let it through) and just outside it (nothing can fire there).
  const BARE_EDGES: Array<[string, boolean, string | undefined]> = [
    ['5 OR 1=1', true, 'tautology'],
    ['-5 ) ) ) ) ) ) OR 1=1', true, 'tautology'], // a run of `)` is one unit, spaced or not
    ["'a b c d e f g' OR 1=1", true, 'tautology'], // a literal is one token however many words it holds
    ['`a b c d e f g` OR 1=1', true, 'tautology'],
    ['we would really like you to stay or go = 1', false, undefined], // a logic word far from the start
    ['1 + SELECT 5', true, 'subquery'], // splice: SELECT after a number and an operator
    ['1 <=> SELECT 5', true, 'subquery'],
    ['we would really like you to select * from users', false, undefined],
    ['5 #', true, 'comment-terminated'], // a `#` comment with no words cuts
    ['5 #ab', true, undefined], // two letters: still not prose to the rules
    ['5 #abc', false, undefined], // words: inert, and it runs to the end
    ['fst=1660647600000#=1&bg=ffffff&guid=ON', false, undefined],
    ['UN#x\nION SELECT 1,2', true, 'union-select'], // a `#` comment that a newline ends can join words
    ['; DROP TABLE users', true, 'stacked-query'],
    ['x;#\nDROP TABLE t', true, 'stacked-query'],
    ['type=form-enter;optType=add;countryCode=IL', false, undefined], // `;` before no statement word
    ['a;ſet @x=1', true, 'stacked-query'], // ſ upper-cases to S: SET follows the `;`
    ['me@x.sys.objects', true, 'catalog-access'], // a variable ends before a dot; the dotted name after it is read
    ['username=agamile43@gmail.com', false, undefined],
    ['20order by 3', true, 'order-by-probe'], // digits before a keyword: a number, then the keyword
    ['2Forder by 3', false, undefined], // digits before a non-keyword: one bareword, FORDER
    ['order by 2', true, 'order-by-probe'],
    ['sort=order&by=date', false, undefined], // ORDER not followed by BY
    ['1 into outfile', true, undefined],
    ['log into the site', false, undefined],
    ["x' OR 'a'='a", false, undefined], // bare: literals swallow the logic word (`' OR '`)
    ["x' OR 1=1", false, undefined], // a literal that never closes runs to the end
  ];
  it.each(BARE_EDGES)('bare pre-check on %j is %s', (value, may, reason) => {
    expect(bareMayFire(value)).toBe(may);
    expect(detectInContext(value, '')?.reason).toBe(reason);
  });

  const QUOTED_EDGES: Array<[string, boolean, string | undefined]> = [
    ["abc' OR 'x'='x", true, 'tautology'], // a logic word right after the quote
    ["abc') OR ('x'='x", true, 'tautology'],
    ["abc'+(SELECT 1)+'", true, 'subquery'], // an operator right after the quote
    ["abc'; DROP TABLE t--", true, 'stacked-query'],
    ["abc' DROP TABLE t", true, 'stacked-query'], // a statement right after the quote
    ["abc'--", true, 'comment-terminated'],
    ["abc'#", true, 'comment-terminated'],
    ["abc' UNION SELECT 1,2--", true, 'union-select'], // anywhere after the quote
    ["abc' x ORDER BY 2--", true, undefined],
    ["xpath=//div[@id='batman-dialog-wrap']/div[1]", false, undefined], // `]` after the quote, nothing else
    ["it's a 'test' - run", false, undefined],
    ["abc'", false, undefined], // nothing after the quote
    ["abc\\' OR 1=1", false, undefined], // an escaped quote does not close the literal
    ["abc'' OR 1=1", false, undefined], // nor does a doubled one
    ["x':=1", true, undefined], // `:=` is an operator
    ["x':a", false, undefined], // a lone `:` is not
  ];
  it.each(QUOTED_EDGES)("' pre-check on %j is %s", (value, may, reason) => {
    expect(quotedMayFire(value, 39)).toBe(may);
    expect(detectInContext(value, "'")?.reason).toBe(reason);
  });
});
